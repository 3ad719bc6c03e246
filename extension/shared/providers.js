// The AI providers Visen knows. Every one speaks the OpenAI chat API, so a
// provider is only a base URL, whether it needs a key, and a default model.

/** Provider presets keyed by id, in the order the popup lists them. */
export const PROVIDERS = Object.freeze({
  openai: {
    label: 'OpenAI',
    baseUrl: 'https://api.openai.com/v1',
    keyRequired: true,
    defaultModel: 'gpt-5-mini',
    keyUrl: 'https://platform.openai.com/api-keys',
  },
  anthropic: {
    label: 'Anthropic (Claude)',
    baseUrl: 'https://api.anthropic.com/v1',
    keyRequired: true,
    defaultModel: 'claude-sonnet-4-5',
    keyUrl: 'https://console.anthropic.com/settings/keys',
  },
  gemini: {
    label: 'Google Gemini',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    keyRequired: true,
    defaultModel: 'gemini-2.5-flash',
    keyUrl: 'https://aistudio.google.com/apikey',
  },
  openrouter: {
    label: 'OpenRouter',
    baseUrl: 'https://openrouter.ai/api/v1',
    keyRequired: true,
    defaultModel: 'openai/gpt-5-mini',
    keyUrl: 'https://openrouter.ai/settings/keys',
  },
  ollama: {
    label: 'Ollama (local)',
    baseUrl: 'http://localhost:11434/v1',
    keyRequired: false,
    defaultModel: 'llama3.2',
    keyUrl: '',
  },
  custom: {
    label: 'Custom base URL',
    baseUrl: '',
    keyRequired: false,
    defaultModel: '',
    keyUrl: '',
  },
});

/** The provider used when none is chosen. */
export const DEFAULT_PROVIDER = 'openai';

/** The base URL requests go to: the user's override, else the preset's. */
export function effectiveBaseUrl(settings) {
  const preset = PROVIDERS[settings.provider] || PROVIDERS[DEFAULT_PROVIDER];
  return (settings.baseUrl || preset.baseUrl).replace(/\/+$/, '');
}

/** How messages name the provider: as the person chose it, or a custom host. */
export function providerName(settings) {
  if (settings.provider !== 'custom' && PROVIDERS[settings.provider]) {
    return PROVIDERS[settings.provider].label.replace(/\s*\(.*\)$/, '');
  }
  try {
    return new URL(effectiveBaseUrl(settings)).host;
  } catch {
    return 'Your provider';
  }
}

/** The hosts that are this computer, where plain http:// stays on the machine. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

// A host name or IPv4 address: letters, digits, dots and hyphens only, so
// no wildcard or other pattern character can widen the permission asked for.
const EXACT_HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

/**
 * Why a base URL cannot be used, as a sentence for the settings form, or ''
 * when it can: it must be a full https:// address of one exact host, and
 * http:// only for this computer, since a key sent over plain HTTP on a
 * network can be read by anyone on the way.
 */
export function baseUrlProblem(baseUrl) {
  let u;
  try {
    u = new URL(baseUrl);
  } catch {
    return 'Enter a full https:// URL, for example https://llm.example.com/v1.';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    return 'Enter a full https:// URL, for example https://llm.example.com/v1.';
  }
  if (u.username || u.password) {
    return 'Leave the user name and password out of the URL; the key goes in the API key field.';
  }
  if (!LOOPBACK.has(u.hostname) && !EXACT_HOST.test(u.hostname)) {
    return 'Enter one exact host, with no wildcards, for example https://llm.example.com/v1.';
  }
  if (u.protocol === 'http:' && !LOOPBACK.has(u.hostname)) {
    return 'Use https:// for this host: over http:// your API key would cross the network unencrypted. http:// is only for this computer (localhost, 127.0.0.1 or ::1).';
  }
  return '';
}

/**
 * The host-permission pattern a base URL needs: its one host and scheme,
 * nothing wider. It is '' when the manifest already grants the host, so
 * the popup asks only for custom or local hosts, and '' for a base URL
 * baseUrlProblem refuses, for which nothing may be asked.
 */
export function optionalOriginFor(baseUrl) {
  if (baseUrlProblem(baseUrl)) return '';
  const u = new URL(baseUrl);
  const granted = Object.values(PROVIDERS).some(
    (p) => p.baseUrl && p.keyRequired && new URL(p.baseUrl).origin === u.origin,
  );
  return granted ? '' : `${u.protocol}//${u.hostname}/*`;
}

/**
 * The optional permissions saving `settings` needs, for
 * `permissions.request` inside the Save click: the custom or local host,
 * and for a local Ollama the rule that lets it answer, when this browser's
 * manifest offers it (`declared`, its optional_permissions; Firefox takes
 * no such optional permission, and there the message gives the command
 * instead). The rule's permission is optional so that no one else's browser
 * holds it: Chromium defers its first page loads at start-up for an
 * extension that has it.
 */
export function permissionsFor(settings, declared = []) {
  const origin = optionalOriginFor(effectiveBaseUrl(settings));
  const rule = localOriginRule(settings, 'visen') && declared.includes(LOCAL_ORIGIN_PERMISSION);
  return { origins: origin ? [origin] : [], permissions: rule ? [LOCAL_ORIGIN_PERMISSION] : [] };
}

/** The permission the rule for a local Ollama needs. */
export const LOCAL_ORIGIN_PERMISSION = 'declarativeNetRequestWithHostAccess';

/** The id of the session rule that lets a local Ollama answer Visen. */
export const LOCAL_ORIGIN_RULE_ID = 1;

/**
 * The declarativeNetRequest session rule that lets a local Ollama answer
 * the extension without being restarted, or null when none is needed.
 * Ollama refuses requests whose Origin is an extension's unless it was
 * started with OLLAMA_ORIGINS; a request with no Origin is not a
 * cross-origin one, so it is answered. The rule removes the header only
 * from the extension's own requests (`initiatorHost`, the host of its
 * pages' URL), not from a tab's, to the one host and port of Ollama as the
 * settings name it, and only on this computer: a web page keeps Ollama's
 * protection, and no other server sees a request it would have refused.
 */
export function localOriginRule(settings, initiatorHost) {
  if (settings.provider !== 'ollama' || !initiatorHost) return null;
  const baseUrl = effectiveBaseUrl(settings);
  if (baseUrlProblem(baseUrl)) return null;
  const u = new URL(baseUrl);
  if (!LOOPBACK.has(u.hostname)) return null;
  return {
    id: LOCAL_ORIGIN_RULE_ID,
    priority: 1,
    action: { type: 'modifyHeaders', requestHeaders: [{ header: 'origin', operation: 'remove' }] },
    condition: {
      // URL.host leaves out a default port, as the request's URL does.
      urlFilter: `|${u.protocol}//${u.host}/`,
      initiatorDomains: [initiatorHost],
      // Requests of no tab: the background's.
      tabIds: [-1],
      resourceTypes: ['xmlhttprequest', 'other'],
    },
  };
}

/**
 * The origin pattern of the browser's extensions, for the command that
 * lets Ollama answer when the rule cannot: "chrome-extension://*" or
 * "moz-extension://*".
 */
export function extensionOriginPattern(extensionUrl) {
  return `${new URL(extensionUrl).protocol}//*`;
}
