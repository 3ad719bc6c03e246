// The background: a service worker in Chrome, an event page in Firefox. It
// loads the Go engine once and serves the popup's messages from one map of
// named handlers (handlers.js). Listeners are registered synchronously at
// the top level so the event that wakes the worker is never missed;
// handlers await the engine.

import './wasm_exec.js';
import { ext } from '../shared/ext.js';
import { useEngine } from './engine.js';
import { onMessage } from './handlers.js';
import { recoverInterrupted } from './run.js';

useEngine(startEngine());

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
  return {
    call: globalThis.visenCall,
    generate: globalThis.visenGenerate,
    fill: globalThis.visenFill,
    cancel: globalThis.visenCancel,
  };
}

recoverInterrupted();

ext.runtime.onMessage.addListener(onMessage);
