// The background: a service worker in Chrome, an event page in Firefox. It
// loads the Go engine once and serves the popup's messages from one map of
// named handlers. Listeners are registered synchronously at the top level so
// the event that wakes the worker is never missed; handlers await the engine.

import './wasm_exec.js';
import { ext } from '../shared/ext.js';
import { MSG, failure } from '../shared/messages.js';
import { loadSettings, normalize } from '../shared/storage.js';
import { effectiveBaseUrl } from '../shared/providers.js';

const engine = startEngine();

async function startEngine() {
  // User Timing marks let anyone profiling the extension see the engine's
  // start-up cost in DevTools.
  performance.mark('visen:engine-load');
  const go = new globalThis.Go();
  const { instance } = await WebAssembly.instantiateStreaming(
    fetch(ext.runtime.getURL('background/visen.wasm')),
    go.importObject,
  );
  go.run(instance);
  if (typeof globalThis.visenCall !== 'function') {
    throw new Error('the engine did not start');
  }
  performance.measure('visen:engine-start', 'visen:engine-load');
  return globalThis.visenCall;
}

async function call(name, payload) {
  const visenCall = await engine;
  return JSON.parse(await visenCall(name, JSON.stringify(payload)));
}

// The parts of the settings the engine needs, with the provider resolved to
// the base URL it stands for.
function connection(settings) {
  const s = normalize(settings);
  return { notionSecret: s.notionSecret, baseUrl: effectiveBaseUrl(s), apiKey: s.apiKey };
}

const handlers = {
  [MSG.TEST_CONNECTION]: ({ settings }) => call('testConnection', connection(settings)),
  [MSG.LIST_MODELS]: ({ settings }) => call('listModels', connection(settings)),
  [MSG.INSPECT_TARGET]: async ({ url }) => {
    const settings = await loadSettings();
    return call('inspectTarget', { url: String(url ?? ''), notionSecret: settings.notionSecret });
  },
};

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = handlers[message?.type];
  if (!handler || sender.id !== ext.runtime.id) {
    return false;
  }
  handler(message).then(sendResponse, (err) => {
    // The error's text is from JavaScript or the engine loader, never from
    // user data, but it still stays out of the reply.
    console.error('Visen: %s failed: %s', message.type, err?.name ?? 'error');
    sendResponse(failure('internal', 'Visen’s engine could not start. Reload the extension and try again.'));
  });
  return true;
});
