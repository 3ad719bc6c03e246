// The engine's link: how it starts, what a call gives back and logs, what
// the engine is told of the connection, and the rule a local Ollama needs.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';

import { SECRET, API_KEY, bench, until } from './bench.fake.js';
import { fakeExt } from '../shared/ext.fake.js';
import { allowLocalOrigin, call, connection, modelCall, notionCall, startEngine } from './engine.js';

const b = bench();

// The smallest WebAssembly module there is: the magic number and version.
const EMPTY_WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

// A stand-in for Go's wasm_exec.js runtime: running the module defines the
// engine's calls, as the real engine's main does, unless told not to.
function fakeGo({ defines = true } = {}) {
  return class {
    importObject = {};
    run(instance) {
      assert.ok(instance instanceof WebAssembly.Instance);
      if (!defines) return;
      globalThis.visenCall = async () => '{}';
      globalThis.visenGenerate = async () => '{}';
      globalThis.visenFill = async () => '{}';
      globalThis.visenCancel = () => false;
    }
  };
}

function serveWasm() {
  const fetched = [];
  mock.method(globalThis, 'fetch', async (url) => {
    fetched.push(url);
    return new Response(EMPTY_WASM, { headers: { 'content-type': 'application/wasm' } });
  });
  return fetched;
}

function forgetEngine() {
  for (const name of ['Go', 'visenCall', 'visenGenerate', 'visenFill', 'visenCancel']) delete globalThis[name];
}

test('the engine starts from the extension’s visen.wasm, gives its four calls and measures each phase', async () => {
  forgetEngine();
  performance.clearMeasures();
  const fetched = serveWasm();
  globalThis.Go = fakeGo();
  const engine = await startEngine();
  assert.deepEqual(fetched, ['chrome-extension://visen-id/background/visen.wasm']);
  assert.equal(engine.call, globalThis.visenCall);
  assert.equal(engine.generate, globalThis.visenGenerate);
  assert.equal(engine.fill, globalThis.visenFill);
  assert.equal(engine.cancel, globalThis.visenCancel);
  const measured = performance.getEntriesByType('measure').map((m) => m.name);
  assert.deepEqual(measured.sort(), ['visen:engine-compile', 'visen:engine-fetch', 'visen:engine-instantiate', 'visen:engine-run', 'visen:engine-start']);
  forgetEngine();
});

test('an engine whose calls never appear is an engine that did not start', async () => {
  forgetEngine();
  serveWasm();
  globalThis.Go = fakeGo({ defines: false });
  await assert.rejects(startEngine(), /the engine did not start/);
  forgetEngine();
});

test('a call sends its payload as JSON and gives back the engine’s reply', async () => {
  b.engine.answers.listModels = (payload) => ({ ok: true, data: { models: [payload.model] } });
  assert.deepEqual(await call('listModels', { model: 'gpt-5-mini' }), { ok: true, data: { models: ['gpt-5-mini'] } });
  assert.deepEqual(b.engine.calls, [['listModels', { model: 'gpt-5-mini' }]]);
  assert.deepEqual(b.logged, []);
});

test('an engine call’s cause is logged without secrets, as an error only when unexpected', async () => {
  b.engine.answers.inspectTarget = { ok: false, error: { code: 'internal', message: 'Something went wrong inside Visen.', cause: `panic: token ${SECRET}` } };
  const r = await call('inspectTarget', { url: 'https://www.notion.so/Plan-1' });
  assert.deepEqual(r, { ok: false, error: { code: 'internal', message: 'Something went wrong inside Visen.' } });
  await until(() => b.logged.length > 0, 'the cause logged');
  assert.deepEqual(b.logged, ['Visen: inspectTarget failed: panic: token [secret]']);
  assert.equal(console.error.mock.callCount(), 1);
});

test('an expected failure’s cause is information, not an error', async () => {
  b.engine.answers.checkNotion = { ok: false, error: { code: 'notion', message: 'Notion refused the token.', cause: '401 unauthorized' } };
  assert.equal((await call('checkNotion', {})).error.cause, undefined);
  await until(() => b.logged.length > 0, 'the cause logged');
  assert.deepEqual(b.logged, ['Visen: checkNotion failed: 401 unauthorized']);
  assert.equal(console.error.mock.callCount(), 0);
  assert.equal(console.info.mock.callCount(), 1);
});

test('a call for Notion alone goes with the saved token; one that reaches the model with the settings in hand', async () => {
  await notionCall('trashBlocks', { ids: ['b1'] });
  const unsaved = { notionSecret: SECRET, provider: 'anthropic', apiKey: 'sk-ant-unsaved', model: 'claude' };
  await modelCall('listModels', unsaved);
  assert.deepEqual(b.engine.calls, [
    ['trashBlocks', { notionSecret: SECRET, ids: ['b1'] }],
    ['listModels', connection(unsaved)],
  ]);
  assert.equal(b.engine.sent('listModels').apiKey, 'sk-ant-unsaved');
});

test('the connection the engine is told: the tokens, the provider’s base URL and name, and the extension’s origin', () => {
  assert.deepEqual(connection({ notionSecret: ` ${SECRET} `, provider: 'openai', apiKey: API_KEY, model: 'gpt-5-mini' }), {
    notionSecret: SECRET,
    baseUrl: 'https://api.openai.com/v1',
    apiKey: API_KEY,
    provider: 'OpenAI',
    extensionOrigin: 'chrome-extension://*',
  });
  assert.equal(connection({ provider: 'ollama' }).baseUrl, 'http://localhost:11434/v1');
});

test('the rule for a local Ollama is set once for the same settings, and taken away for another provider', async () => {
  const updates = [];
  fakeExt.declarativeNetRequest = { updateSessionRules: async (u) => updates.push(u) };
  try {
    const ollama = { provider: 'ollama', model: 'llama3.2' };
    await allowLocalOrigin(ollama);
    await allowLocalOrigin({ ...ollama, model: 'another' });
    assert.equal(updates.length, 1, 'the same rule is not set again');
    assert.deepEqual(updates[0].removeRuleIds, [1]);
    assert.equal(updates[0].addRules.length, 1);
    assert.equal(updates[0].addRules[0].condition.urlFilter, '|http://localhost:11434/');
    assert.deepEqual(updates[0].addRules[0].condition.initiatorDomains, ['visen-id']);
    await allowLocalOrigin({ provider: 'openai', apiKey: API_KEY });
    assert.deepEqual(updates[1], { removeRuleIds: [1], addRules: [] });
    await allowLocalOrigin({ provider: 'openai', apiKey: API_KEY });
    assert.equal(updates.length, 2);
  } finally {
    delete fakeExt.declarativeNetRequest;
  }
});

test('a rule the browser leaves unanswered is given up after 3 s, logged, and asked for again next time', async () => {
  let asked = 0;
  fakeExt.declarativeNetRequest = { updateSessionRules: () => { asked++; return new Promise(() => {}); } };
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const ollama = { provider: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1' };
    const first = allowLocalOrigin(ollama);
    mock.timers.tick(3000);
    await first;
    const second = allowLocalOrigin(ollama);
    mock.timers.tick(3000);
    await second;
    assert.equal(asked, 2);
  } finally {
    mock.timers.reset();
    delete fakeExt.declarativeNetRequest;
  }
  // (The console also hears Node's warning that mock timers are new.)
  const ruleLines = () => b.logged.filter((l) => l.startsWith('Visen:'));
  await until(() => ruleLines().length === 2, 'both logged');
  assert.deepEqual(ruleLines(), Array(2).fill('Visen: the rule for a local Ollama could not be set: no answer in 3 s'));
});

test('without the permission for the rule, nothing is asked', async () => {
  delete fakeExt.declarativeNetRequest;
  await allowLocalOrigin({ provider: 'ollama' });
  assert.deepEqual(b.logged, []);
});
