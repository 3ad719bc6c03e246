// The logic in the popup's strings: a message cut into its cause and its
// fix, the platform's shortcut, counts in words, and the destination on
// the Fill button.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { S, isMac, quoted, splitMessage } from './strings.js';

test('a message splits into its first sentence (the cause) and the rest (the fix)', () => {
  assert.deepEqual(splitMessage('The integration may read but not write. In Notion’s integrations page, give it the “Insert content” capability.'),
    ['The integration may read but not write.', 'In Notion’s integrations page, give it the “Insert content” capability.']);
  assert.deepEqual(splitMessage('Stopped before anything was written.'), ['Stopped before anything was written.', '']);
  assert.deepEqual(splitMessage('No full stop'), ['No full stop', '']);
  // A dot inside a name or number does not end the sentence.
  assert.deepEqual(splitMessage('Use llama3.2 or gpt-4.1 here. Then retry.'), ['Use llama3.2 or gpt-4.1 here.', 'Then retry.']);
  assert.deepEqual(splitMessage(undefined), ['', '']);
});

test('the shortcut is ⌘ on a Mac and Ctrl elsewhere', () => {
  assert.equal(isMac({ userAgentData: { platform: 'macOS' } }), true);
  assert.equal(isMac({ platform: 'MacIntel' }), true);
  assert.equal(isMac({ platform: 'Linux x86_64' }), false);
  assert.equal(isMac({ userAgentData: { platform: 'Windows' }, platform: 'Win32' }), false);
  assert.equal(isMac(undefined), false);
  assert.equal(S.compose.shortcut(true), '⌘+Enter to generate');
  assert.equal(S.compose.shortcut(false), 'Ctrl+Enter to generate');
});

test('counts read as words, one or many', () => {
  assert.equal(S.db.fillTo(1, S.db.pageContent), 'Fill 1 row → page content');
  assert.equal(S.db.fillTo(12, 'Summary'), 'Fill 12 rows → Summary');
  assert.equal(S.db.done(2, 2), 'Done. 2 of 2 rows written.');
  assert.equal(S.history.rows(1, 1), '1 of 1 row written');
});

test('a title is quoted as Notion shows it, and an empty one is Untitled', () => {
  assert.equal(quoted('Quarterly Plan'), '“Quarterly Plan”');
  assert.equal(quoted(''), '“Untitled”');
});

test('no sentence of the popup is written twice', () => {
  const seen = new Map();
  const walk = (value, path) => {
    if (typeof value === 'string') {
      if (value.split(/\s+/).length >= 4) {
        assert.ok(!seen.has(value), `${path} repeats ${seen.get(value)}: “${value}”`);
        seen.set(value, path);
      }
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`);
    }
  };
  walk(S, 'S');
});
