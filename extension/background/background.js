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
  // start-up cost in DevTools, phase by phase: the fetch (to the response's
  // headers), compiling the module as it streams in, instantiating it, and
  // running Go's runtime and package inits until the engine's calls exist.
  performance.mark('visen:engine-load');
  const go = new globalThis.Go();
  const response = await fetch(ext.runtime.getURL('background/visen.wasm'));
  performance.mark('visen:engine-fetched');
  const module = await WebAssembly.compileStreaming(response);
  performance.mark('visen:engine-compiled');
  const instance = await WebAssembly.instantiate(module, go.importObject);
  performance.mark('visen:engine-instantiated');
  go.run(instance);
  if (typeof globalThis.visenCall !== 'function') {
    throw new Error('the engine did not start');
  }
  performance.measure('visen:engine-start', 'visen:engine-load');
  performance.measure('visen:engine-fetch', 'visen:engine-load', 'visen:engine-fetched');
  performance.measure('visen:engine-compile', 'visen:engine-fetched', 'visen:engine-compiled');
  performance.measure('visen:engine-instantiate', 'visen:engine-compiled', 'visen:engine-instantiated');
  performance.measure('visen:engine-run', 'visen:engine-instantiated');
  return {
    call: globalThis.visenCall,
    generate: globalThis.visenGenerate,
    fill: globalThis.visenFill,
    cancel: globalThis.visenCancel,
  };
}

recoverInterrupted();

ext.runtime.onMessage.addListener(onMessage);
