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

/**
 * The host-permission pattern a base URL needs, or '' when the manifest
 * already grants it, so the popup asks only for custom or local hosts.
 */
export function optionalOriginFor(baseUrl) {
  let u;
  try {
    u = new URL(baseUrl);
  } catch {
    return '';
  }
  const granted = Object.values(PROVIDERS).some(
    (p) => p.baseUrl && p.keyRequired && new URL(p.baseUrl).origin === u.origin,
  );
  return granted ? '' : `${u.protocol}//${u.hostname}/*`;
}
