// The background's link to the Go engine: the one place that calls it. The
// entry (background.js) loads the engine and hands it over; tests hand over
// a fake with the same four calls.
import { ext } from '../shared/ext.js';
import { normalize } from '../shared/storage.js';
import { LOCAL_ORIGIN_RULE_ID, effectiveBaseUrl, extensionOriginPattern, localOriginRule, providerName } from '../shared/providers.js';
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
  return {
    notionSecret: s.notionSecret,
    baseUrl: effectiveBaseUrl(s),
    apiKey: s.apiKey,
    provider: providerName(s),
    extensionOrigin: extensionOriginPattern(ext.runtime.getURL('')),
  };
}

// A local Ollama refuses the extension's Origin unless it was started with
// OLLAMA_ORIGINS. Before every call that reaches the model, the one session
// rule that removes the header from Visen's own requests to that Ollama is
// made to match the settings in hand, saved or not, or removed. Its
// permission is optional, asked for when Ollama is saved: without it (the
// API is then absent), or where the browser cannot apply the rule, Ollama
// still answers 403 and the engine's message gives the command to run.
let localOriginApplied = null;
export async function allowLocalOrigin(settings) {
  const dnr = ext.declarativeNetRequest;
  if (!dnr?.updateSessionRules) return;
  const rule = localOriginRule(normalize(settings), new URL(ext.runtime.getURL('')).host);
  const key = JSON.stringify(rule);
  if (key === localOriginApplied) return;
  try {
    // Chromium can leave this call unanswered when the permission was
    // granted after the extension started; the request then goes without
    // the rule rather than never.
    let timer;
    const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error('no answer in 3 s')), 3000); });
    await Promise.race([dnr.updateSessionRules({ removeRuleIds: [LOCAL_ORIGIN_RULE_ID], addRules: rule ? [rule] : [] }), late])
      .finally(() => clearTimeout(timer));
    localOriginApplied = key;
  } catch (err) {
    logCause('the rule for a local Ollama could not be set', err?.message ?? err);
  }
}

