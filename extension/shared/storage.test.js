// Settings storage: validation that reports instead of crashing, saving only
// whole valid settings, migrations and clearing.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

// The fake extension API, installed before the module loads.
import { resetExt } from './ext.fake.js';
const { DEFAULTS, validate, normalize, cleanToken, saveSettings, loadSettings, clearSettings, isConfigured, SCHEMA_VERSION } = await import('./storage.js');

const SECRET = 'ntn_' + 'a1'.repeat(23);
const valid = { notionSecret: SECRET, provider: 'openai', apiKey: 'sk-abc123', model: 'gpt-5-mini' };

beforeEach(resetExt);

test('valid settings have no errors', () => {
  assert.deepEqual(validate(valid), {});
  assert.deepEqual(validate({ ...valid, notionSecret: 'secret_' + 'b'.repeat(43) }), {});
});

test('a token is judged by its form, not a prefix that may change', () => {
  for (const token of ['ntn_' + 'a1'.repeat(23), 'secret_' + 'b'.repeat(43), 'pat_' + 'c3'.repeat(20), 'A'.repeat(20) + '-_0']) {
    assert.deepEqual(validate({ ...valid, notionSecret: token }), {}, token);
  }
});

test('a pasted token is reduced to the token', () => {
  const cases = [
    [`  ${SECRET}\n`, SECRET],
    [`"${SECRET}"`, SECRET],
    [`'${SECRET}'`, SECRET],
    [`“${SECRET}”`, SECRET],
    [`Bearer ${SECRET}`, SECRET],
    [`Authorization: Bearer ${SECRET}`, SECRET],
    [`authorization:bearer   ${SECRET}`, SECRET],
    [`"Authorization: Bearer ${SECRET}"`, SECRET],
    [`Authorization: "Bearer ${SECRET}"`, SECRET],
  ];
  for (const [pasted, want] of cases) {
    assert.equal(cleanToken(pasted), want, pasted);
    assert.deepEqual(validate({ ...valid, notionSecret: pasted, apiKey: pasted.replace(SECRET, 'sk-abc123') }), {}, pasted);
    assert.equal(normalize({ notionSecret: pasted }).notionSecret, want);
  }
});

test('the kind of token Notion named is kept, and nothing else', () => {
  assert.equal(normalize({ notionKind: 'personal' }).notionKind, 'personal');
  assert.equal(normalize({ notionKind: 'integration' }).notionKind, 'integration');
  assert.equal(normalize({ notionKind: 'admin' }).notionKind, '');
  assert.equal(normalize({}).notionKind, '');
});

test('each problem is reported against its field', () => {
  const cases = [
    [{ notionSecret: '' }, 'notionSecret', /Paste your Notion/],
    [{ notionSecret: 'ntn_short' }, 'notionSecret', /doesn’t look like a Notion token/],
    [{ notionSecret: 'ntn_abc def_0123456789012345' }, 'notionSecret', /no spaces/],
    [{ notionSecret: 'sk-' + 'a'.repeat(40) }, 'notionSecret', /looks like an AI key/],
    [{ notionSecret: 'https://www.notion.so/acme/Quarterly-Plan-1f0c8a2b3d4e4f5a8b9c0d1e2f3a4b5c' }, 'notionSecret', /page’s address.*notion\.so\/developers\/tokens/],
    [{ notionSecret: 'www.notion.so/Quarterly-Plan-1f0c8a2b3d4e4f5a8b9c0d1e2f3a4b5c' }, 'notionSecret', /page’s address/],
    [{ apiKey: '' }, 'apiKey', /OpenAI API key/],
    [{ apiKey: 'sk abc' }, 'apiKey', /no spaces/],
    [{ model: '' }, 'model', /model/],
    [{ provider: 'custom', baseUrl: '' }, 'baseUrl', /base URL/],
    [{ baseUrl: 'ftp://example.com' }, 'baseUrl', /https/],
    [{ baseUrl: 'not a url' }, 'baseUrl', /https/],
    [{ provider: 'custom', baseUrl: 'http://llm.example.com/v1' }, 'baseUrl', /Use https:\/\/ for this host: over http:\/\/ your API key would cross the network unencrypted/],
    [{ provider: 'custom', baseUrl: 'http://192.168.1.20:11434/v1' }, 'baseUrl', /only for this computer/],
    [{ provider: 'custom', baseUrl: 'https://*.example.com/v1' }, 'baseUrl', /one exact host, with no wildcards/],
    [{ provider: 'custom', baseUrl: 'https://user:pw@llm.example.com/v1' }, 'baseUrl', /user name and password/],
    [{ temperature: '3' }, 'temperature', /0 to 2/],
    [{ temperature: 'warm' }, 'temperature', /0 to 2/],
    [{ instructions: 'x'.repeat(2001) }, 'instructions', /2000/],
    [{ maxTokens: '1.5' }, 'maxTokens', /whole number/],
    [{ maxTokens: '-3' }, 'maxTokens', /whole number/],
    [{ concurrency: '0' }, 'concurrency', /1 to 16/],
    [{ concurrency: '17' }, 'concurrency', /1 to 16/],
    [{ concurrency: '2.5' }, 'concurrency', /whole number/],
    [{ concurrency: 'many' }, 'concurrency', /whole number/],
    [{ provider: 'nope' }, 'provider', /Choose an AI provider/],
  ];
  for (const [change, field, message] of cases) {
    const errors = validate({ ...valid, ...change });
    assert.match(errors[field] ?? '', message, `${JSON.stringify(change)} → ${field}`);
  }
});

test('rows at once default to 8 and take any whole number from 1 to 16', async () => {
  assert.equal(normalize({}).concurrency, 8);
  assert.equal(normalize({ concurrency: '' }).concurrency, 8);
  for (const n of ['1', '16', 4]) {
    assert.deepEqual(validate({ ...valid, concurrency: n }), {}, `concurrency ${n}`);
  }
  assert.equal((await saveSettings({ ...valid, concurrency: '12' })).ok, true);
  assert.equal((await loadSettings()).concurrency, 12);
});

test('local providers need no key', () => {
  assert.deepEqual(validate({ ...valid, provider: 'ollama', apiKey: '', model: 'llama3.2' }), {});
  for (const baseUrl of ['http://127.0.0.1:8080/v1', 'http://localhost:11434/v1', 'http://[::1]:8080/v1', 'https://llm.example.com:8443/v1']) {
    assert.deepEqual(validate({ ...valid, provider: 'custom', apiKey: '', baseUrl }), {}, baseUrl);
  }
});

test('save stores trimmed settings, and nothing when any field is bad', async () => {
  const bad = await saveSettings({ ...valid, apiKey: '' });
  assert.equal(bad.ok, false);
  assert.deepEqual(await chrome.storage.local.get(null), {});

  const good = await saveSettings({ ...valid, notionSecret: `  ${SECRET}\n`, temperature: '0.3' });
  assert.equal(good.ok, true);
  const loaded = await loadSettings();
  assert.equal(loaded.notionSecret, SECRET);
  assert.equal(loaded.temperature, 0.3);
  assert.equal(loaded.schemaVersion, SCHEMA_VERSION);
  assert.ok(isConfigured(loaded));
});

test('loading with nothing stored gives the defaults', async () => {
  assert.deepEqual(await loadSettings(), DEFAULTS);
  assert.equal(isConfigured(await loadSettings()), false);
});

test('settings from before schema versions are migrated', async () => {
  await chrome.storage.local.set({ settings: { notionSecret: SECRET, apiKey: 'sk-1', model: 'm' } });
  const loaded = await loadSettings();
  assert.equal(loaded.schemaVersion, SCHEMA_VERSION);
  assert.equal(loaded.provider, 'openai');
  assert.equal(loaded.notionSecret, SECRET);
});

test('clear removes the settings, templates and history', async () => {
  await saveSettings(valid);
  await chrome.storage.local.set({ templates: [{ name: 't', prompt: 'p' }], jobs: [{ id: '1', prompt: 'secret plans' }] });
  await clearSettings();
  assert.deepEqual(await chrome.storage.local.get(null), {});
});
