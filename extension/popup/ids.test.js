// Every id the browser tests rely on is in the popup, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { IDS, sel } from './ids.js';

const html = fs.readFileSync(new URL('./popup.html', import.meta.url), 'utf8');

test('every id in ids.js is in popup.html, once', () => {
  for (const [view, ids] of Object.entries(IDS)) {
    for (const id of ids) {
      const found = html.match(new RegExp(`\\sid="${id}"`, 'g')) ?? [];
      assert.equal(found.length, 1, `${view}: #${id} is in popup.html ${found.length} times`);
    }
  }
});

test('a selector comes from a listed id, and an unlisted one throws', () => {
  assert.equal(sel.keepBoth, '#keep-both');
  assert.equal(sel.prompt, '#prompt');
  assert.throws(() => sel.nothingLikeThis, /lists no #nothing-like-this/);
});
