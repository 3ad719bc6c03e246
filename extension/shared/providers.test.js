// Provider presets: the base URL a request goes to, and which hosts need an
// optional permission.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { PROVIDERS, DEFAULT_PROVIDER, effectiveBaseUrl, optionalOriginFor } from './providers.js';

test('OpenAI is the default and every preset has a label', () => {
  assert.equal(DEFAULT_PROVIDER, 'openai');
  assert.deepEqual(Object.keys(PROVIDERS), ['openai', 'gemini', 'openrouter', 'ollama', 'custom']);
  for (const p of Object.values(PROVIDERS)) assert.ok(p.label);
});

test('the base URL is the override, else the preset, without a trailing slash', () => {
  assert.equal(effectiveBaseUrl({ provider: 'gemini', baseUrl: '' }), 'https://generativelanguage.googleapis.com/v1beta/openai');
  assert.equal(effectiveBaseUrl({ provider: 'openai', baseUrl: 'https://proxy.example.com/v1/' }), 'https://proxy.example.com/v1');
  assert.equal(effectiveBaseUrl({ provider: 'unknown', baseUrl: '' }), 'https://api.openai.com/v1');
});

test('only hosts the manifest does not grant need a permission', () => {
  assert.equal(optionalOriginFor('https://api.openai.com/v1'), '');
  assert.equal(optionalOriginFor('https://openrouter.ai/api/v1'), '');
  assert.equal(optionalOriginFor('https://generativelanguage.googleapis.com/v1beta/openai'), '');
  assert.equal(optionalOriginFor('http://localhost:11434/v1'), 'http://localhost/*');
  assert.equal(optionalOriginFor('https://llm.example.com:8443/v1'), 'https://llm.example.com/*');
});
