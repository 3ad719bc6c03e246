// The background's link to the Go engine: the one place that starts and
// calls it. The entry (background.js) starts the engine and hands it over;
// tests hand over a fake with the same four calls.
import { ext } from '../shared/ext.js';
import { loadSettings, normalize } from '../shared/storage.js';
import { LOCAL_ORIGIN_RULE_ID, effectiveBaseUrl, extensionOriginPattern, localOriginRule, providerName } from '../shared/providers.js';
import { logCause } from './log.js';

/**
 * Loads and starts the engine (visen.wasm, run by the Go runtime that
 * wasm_exec.js puts at globalThis.Go), resolving to its four calls.
 */
export async function startEngine() {
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

/** Makes one named engine call for Notion alone, with the saved Notion token. */
export async function notionCall(name, payload) {
  const { notionSecret } = await loadSettings();
  return call(name, { notionSecret, ...payload });
}

/**
 * Makes one named engine call that reaches the model, with the settings in
 * hand (saved or not), once the rule a local Ollama needs is set.
 */
export async function modelCall(name, settings) {
  await allowLocalOrigin(settings);
  return call(name, connection(settings));
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

