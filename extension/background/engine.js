// The background's link to the Go engine: the one place that calls it. The
// entry (background.js) loads the engine and hands it over; tests hand over
// a fake with the same four calls.
import { normalize } from '../shared/storage.js';
import { effectiveBaseUrl, providerName } from '../shared/providers.js';
import { logCause } from './log.js';

// The engine once it has started: {call, generate, fill, cancel}.
let engine = new Promise(() => {});

/**
 * Sets the engine every call waits for: a promise of `{call(name, json),
 * generate(json, onUpdate), fill(json, onUpdate), cancel(jobId)}`, each
 * JSON in and out as the wasm bridge takes it.
 */
export function useEngine(ready) {
  engine = ready;
}

/** The engine, once it has started. */
export function engineReady() {
  return engine;
}

/** Makes one named engine call; a failure's cause goes to the console, not to the reply. */
export async function call(name, payload) {
  const { call: visenCall } = await engine;
  let unexpected = false;
  return JSON.parse(await visenCall(name, JSON.stringify(payload)), (key, value) => {
    if (key === 'code' && value === 'internal') unexpected = true;
    if (key !== 'cause') return value;
    logCause(`${name} failed`, value, unexpected);
    return undefined;
  });
}

// The parts of the settings the engine needs, with the provider resolved to
// the base URL it stands for.
export function connection(settings) {
  const s = normalize(settings);
  return { notionSecret: s.notionSecret, baseUrl: effectiveBaseUrl(s), apiKey: s.apiKey, provider: providerName(s) };
}

