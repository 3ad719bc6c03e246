// The background: a service worker in Chrome, an event page in Firefox. It
// starts the Go engine once (Go's wasm_exec.js, imported here, gives it its
// runtime), marks the jobs the browser closed under, and serves the popup's
// messages from one map of named handlers (handlers.js). Listeners are
// registered synchronously at the top level so the event that wakes the
// worker is never missed; handlers await the engine.

import './wasm_exec.js';
import { ext } from '../shared/ext.js';
import { startEngine, useEngine } from './engine.js';
import { onMessage } from './handlers.js';
import { recoverInterrupted } from './recovery.js';

useEngine(startEngine());

recoverInterrupted();

ext.runtime.onMessage.addListener(onMessage);
