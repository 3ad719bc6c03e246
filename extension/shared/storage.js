// The one owner of Visen's settings. They live in storage.local only: the
// secrets never go to sync storage or anywhere off this device.

import { ext } from './ext.js';
import { PROVIDERS, DEFAULT_PROVIDER, baseUrlProblem } from './providers.js';

const KEY = 'settings';

/** The current schema version; bump it and add a migration to change the shape. */
export const SCHEMA_VERSION = 1;

/** Settings before the user saves anything. */
export const DEFAULTS = Object.freeze({
  schemaVersion: SCHEMA_VERSION,
  notionSecret: '',
  provider: DEFAULT_PROVIDER,
  apiKey: '',
  model: PROVIDERS[DEFAULT_PROVIDER].defaultModel,
  baseUrl: '',
  temperature: 0.7,
  maxTokens: 0,
  instructions: '',
  // How many database rows generate at once when filling rows.
  concurrency: 8,
  // What Notion said the token is, learnt when it was checked: 'personal'
  // (a personal access token) or 'integration' (an internal integration's
  // secret); '' until then.
  notionKind: '',
});

const TOKEN_KINDS = new Set(['', 'personal', 'integration']);

// Keyed by the version they upgrade from.
const MIGRATIONS = {
  0: (old) => ({ ...old, schemaVersion: 1 }),
};

const INSTRUCTIONS_MAX = 2000;
const CONCURRENCY_MAX = 16;

function storageArea() {
  return ext.storage.local;
}

function migrate(stored) {
  let s = { ...stored };
  let v = Number.isInteger(s.schemaVersion) ? s.schemaVersion : 0;
  while (v < SCHEMA_VERSION && MIGRATIONS[v]) {
    s = MIGRATIONS[v](s);
    v = s.schemaVersion;
  }
  return s;
}

/**
 * Reduces a pasted token to the token itself: spaces and quotes around it
 * go, and so does an "Authorization: Bearer" copied from a request.
 */
export function cleanToken(raw) {
  let t = String(raw ?? '');
  for (let was = null; was !== t;) {
    was = t;
    t = t.trim().replace(/^["'`“”‘’«»]+|["'`“”‘’«»]+$/g, '').replace(/^authorization\s*:\s*/i, '').replace(/^bearer\s+/i, '');
  }
  return t;
}

/** Trims strings and turns the temperature into a number, without judging. */
export function normalize(values) {
  const s = { ...DEFAULTS, ...values };
  for (const k of ['model', 'baseUrl', 'instructions', 'provider']) {
    s[k] = String(s[k] ?? '').trim();
  }
  s.notionSecret = cleanToken(s.notionSecret);
  s.apiKey = cleanToken(s.apiKey);
  if (!TOKEN_KINDS.has(s.notionKind)) s.notionKind = '';
  s.temperature = s.temperature === '' ? DEFAULTS.temperature : Number(s.temperature);
  s.maxTokens = s.maxTokens === '' || s.maxTokens == null ? 0 : Number(s.maxTokens);
  s.concurrency = s.concurrency === '' || s.concurrency == null ? DEFAULTS.concurrency : Number(s.concurrency);
  s.schemaVersion = SCHEMA_VERSION;
  return s;
}

/**
 * Checks settings and returns `{field: message}` for each problem; an empty
 * object means they can be saved.
 */
export function validate(values) {
  const s = normalize(values);
  const errors = {};
  const tokenProblem = notionTokenProblem(s.notionSecret);
  if (tokenProblem) errors.notionSecret = tokenProblem;
  const preset = PROVIDERS[s.provider];
  if (!preset) {
    errors.provider = 'Choose an AI provider.';
    return errors;
  }
  if (preset.keyRequired && !s.apiKey) {
    errors.apiKey = `Paste your ${preset.label} API key.`;
  } else if (/\s/.test(s.apiKey)) {
    errors.apiKey = 'An API key has no spaces in it.';
  }
  if (!s.model) {
    errors.model = 'Choose or type a model.';
  }
  if (s.provider === 'custom' && !s.baseUrl) {
    errors.baseUrl = 'A custom provider needs its base URL, for example https://example.com/v1.';
  } else if (s.baseUrl && baseUrlProblem(s.baseUrl)) {
    errors.baseUrl = baseUrlProblem(s.baseUrl);
  }
  if (!Number.isFinite(s.temperature) || s.temperature < 0 || s.temperature > 2) {
    errors.temperature = 'Temperature is a number from 0 to 2.';
  }
  if (!Number.isInteger(s.maxTokens) || s.maxTokens < 0 || s.maxTokens > 1_000_000) {
    errors.maxTokens = 'Max tokens is a whole number; leave it empty for the model’s own limit.';
  }
  if (!Number.isInteger(s.concurrency) || s.concurrency < 1 || s.concurrency > CONCURRENCY_MAX) {
    errors.concurrency = `Database rows at once is a whole number from 1 to ${CONCURRENCY_MAX}.`;
  }
  if (s.instructions.length > INSTRUCTIONS_MAX) {
    errors.instructions = `Keep standing instructions under ${INSTRUCTIONS_MAX} characters.`;
  }
  return errors;
}

/**
 * What is wrong with a cleaned Notion token, as a sentence, or ''. Notion's
 * prefixes change, so a token is judged by its form, not its first letters;
 * Notion itself says whether it accepts it.
 */
export function notionTokenProblem(token) {
  if (!token) return 'Paste your Notion token.';
  if (/^https?:\/\//i.test(token) || /(^|\.)notion\.(so|site|com)\//i.test(token)) {
    return 'That is a page’s address. Paste a token instead: make one at notion.so/developers/tokens.';
  }
  if (/\s/.test(token)) return 'A Notion token has no spaces in it.';
  if (/^(sk-|AIza|gsk_|xai-)/.test(token)) return 'That looks like an AI key. Paste it under AI, and your Notion token here.';
  if (!/^[A-Za-z0-9_-]{20,}$/.test(token)) return 'This doesn’t look like a Notion token. Copy it again, whole.';
  return '';
}

/** Whether the settings are complete enough to talk to Notion and the AI. */
export function isConfigured(settings) {
  return Object.keys(validate(settings)).length === 0;
}

/** Loads the stored settings, migrated and filled with defaults. */
export async function loadSettings() {
  const got = await storageArea().get(KEY);
  const stored = got[KEY];
  if (!stored || typeof stored !== 'object') {
    return { ...DEFAULTS };
  }
  return { ...DEFAULTS, ...migrate(stored) };
}

/**
 * Validates and, only when everything is valid, stores the settings whole.
 * Returns `{ok: true, settings}` or `{ok: false, errors}`.
 */
export async function saveSettings(values) {
  const errors = validate(values);
  if (Object.keys(errors).length > 0) {
    return { ok: false, errors };
  }
  const settings = normalize(values);
  await storageArea().set({ [KEY]: settings });
  return { ok: true, settings };
}

/**
 * Wipes everything Visen stored in this browser: the settings, saved
 * templates and the job history with its prompts and drafts.
 */
export async function clearSettings() {
  await storageArea().clear();
}
