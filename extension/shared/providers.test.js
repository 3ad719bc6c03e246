// Provider presets: the base URL a request goes to, and which hosts need an
// optional permission.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import {
  PROVIDERS, DEFAULT_PROVIDER, LOCAL_ORIGIN_PERMISSION, LOCAL_ORIGIN_RULE_ID, baseUrlProblem, permissionsFor, effectiveBaseUrl, extensionOriginPattern, localOriginRule, optionalOriginFor, providerName,
} from './providers.js';

test('OpenAI is the default and every preset has a label', () => {
  assert.equal(DEFAULT_PROVIDER, 'openai');
  assert.deepEqual(Object.keys(PROVIDERS), ['openai', 'anthropic', 'gemini', 'openrouter', 'ollama', 'custom']);
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
  assert.equal(optionalOriginFor('http://[::1]:8080/v1'), 'http://[::1]/*');
  // Nothing is asked for an address the settings refuse: no wildcard host,
  // and no plain HTTP off this computer.
  assert.equal(optionalOriginFor('https://*.example.com/v1'), '');
  assert.equal(optionalOriginFor('http://llm.example.com/v1'), '');
});

test('the popup asks for Ollama’s local host when it is chosen with its own address', () => {
  assert.equal(optionalOriginFor(effectiveBaseUrl({ provider: 'ollama', baseUrl: '' })), 'http://localhost/*');
});

// optionalOriginFor asks for nothing on a keyed preset's host because it
// trusts the manifest to grant that host; a new keyed preset without a host
// permission would otherwise never be asked for and every request would fail.
test('the manifest grants every host the popup does not ask for, and may grant the rest', async () => {
  const { readFile } = await import('node:fs/promises');
  const manifest = JSON.parse(await readFile(new URL('../manifest.json', import.meta.url), 'utf8'));
  for (const [id, p] of Object.entries(PROVIDERS)) {
    if (!p.baseUrl) continue;
    const origin = optionalOriginFor(p.baseUrl);
    if (origin) {
      assert.ok(manifest.optional_host_permissions.includes(`${new URL(p.baseUrl).protocol}//*/*`), `${id}: ${origin} is not optional`);
    } else {
      assert.ok(manifest.host_permissions.includes(`${new URL(p.baseUrl).origin}/*`), `${id}: ${p.baseUrl} is not granted`);
    }
  }
});

test('messages name the provider as the person chose it', () => {
  assert.equal(providerName({ provider: 'openai', baseUrl: '' }), 'OpenAI');
  assert.equal(providerName({ provider: 'gemini', baseUrl: '' }), 'Google Gemini');
  assert.equal(providerName({ provider: 'ollama', baseUrl: '' }), 'Ollama');
  assert.equal(providerName({ provider: 'custom', baseUrl: 'https://llm.example.com/v1' }), 'llm.example.com');
});

test('Anthropic is offered with its own host granted and a key required', () => {
  const p = PROVIDERS.anthropic;
  assert.equal(p.baseUrl, 'https://api.anthropic.com/v1');
  assert.equal(p.keyRequired, true);
  assert.ok(p.defaultModel.startsWith('claude-'));
  assert.equal(new URL(p.keyUrl).host, 'console.anthropic.com');
  assert.equal(providerName({ provider: 'anthropic', baseUrl: '' }), 'Anthropic');
  assert.equal(optionalOriginFor(p.baseUrl), '', 'granted by the manifest, never asked for');
});

test('a host that only starts like this computer is not this computer', () => {
  for (const url of [
    'http://localhost.attacker.example/v1',
    'http://localhost.attacker.example:11434/v1',
    'http://127.0.0.1.nip.io/v1',
    'http://localhost@attacker.example/v1',
  ]) {
    assert.match(baseUrlProblem(url), /https:\/\/|user name/, url);
    assert.equal(optionalOriginFor(url), '', url);
  }
  assert.equal(baseUrlProblem('https://localhost.attacker.example/v1'), '', 'over https it is an ordinary host');
  for (const url of ['http://localhost:11434/v1', 'http://127.0.0.1:8080/v1', 'http://[::1]:8080/v1']) {
    assert.equal(baseUrlProblem(url), '', url);
  }
});

test('the Ollama rule removes Origin only from Visen’s own requests to the local Ollama', () => {
  const rule = localOriginRule({ provider: 'ollama', baseUrl: '' }, 'abcdefghijklmnop');
  assert.deepEqual(rule.action, { type: 'modifyHeaders', requestHeaders: [{ header: 'origin', operation: 'remove' }] });
  assert.equal(rule.condition.urlFilter, '|http://localhost:11434/');
  assert.deepEqual(rule.condition.initiatorDomains, ['abcdefghijklmnop']);
  assert.deepEqual(rule.condition.tabIds, [-1], 'never a tab’s request');
  assert.equal(rule.id, LOCAL_ORIGIN_RULE_ID);
  assert.equal(localOriginRule({ provider: 'ollama', baseUrl: 'http://127.0.0.1:11435/v1' }, 'id').condition.urlFilter, '|http://127.0.0.1:11435/');
  assert.equal(localOriginRule({ provider: 'ollama', baseUrl: 'http://localhost/v1' }, 'id').condition.urlFilter, '|http://localhost/');
  // Nothing for another provider, another computer, or a look-alike host.
  assert.equal(localOriginRule({ provider: 'custom', baseUrl: 'http://localhost:11434/v1' }, 'id'), null);
  assert.equal(localOriginRule({ provider: 'ollama', baseUrl: 'http://localhost.attacker.example:11434/v1' }, 'id'), null);
  assert.equal(localOriginRule({ provider: 'ollama', baseUrl: 'https://ollama.example.com/v1' }, 'id'), null);
  assert.equal(localOriginRule({ provider: 'ollama', baseUrl: '' }, ''), null);
});

test('the Ollama command names the browser’s extension origins', () => {
  assert.equal(extensionOriginPattern('chrome-extension://abcdefghijklmnop/'), 'chrome-extension://*');
  assert.equal(extensionOriginPattern('moz-extension://0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/'), 'moz-extension://*');
});

test('saving Ollama asks for its host and the rule’s permission, and nothing else asks for the rule', async () => {
  const chromeOffers = [LOCAL_ORIGIN_PERMISSION];
  assert.deepEqual(permissionsFor({ provider: 'ollama', baseUrl: '' }, chromeOffers), { origins: ['http://localhost/*'], permissions: [LOCAL_ORIGIN_PERMISSION] });
  assert.deepEqual(permissionsFor({ provider: 'ollama', baseUrl: 'http://127.0.0.1:11435/v1' }, chromeOffers), { origins: ['http://127.0.0.1/*'], permissions: [LOCAL_ORIGIN_PERMISSION] });
  assert.deepEqual(permissionsFor({ provider: 'ollama', baseUrl: '' }, []), { origins: ['http://localhost/*'], permissions: [] }, 'nothing a browser does not offer');
  assert.deepEqual(permissionsFor({ provider: 'custom', baseUrl: 'http://localhost:8080/v1' }, chromeOffers), { origins: ['http://localhost/*'], permissions: [] });
  assert.deepEqual(permissionsFor({ provider: 'openai', baseUrl: '' }, chromeOffers), { origins: [], permissions: [] });
  assert.deepEqual(permissionsFor({ provider: 'anthropic', baseUrl: '' }, chromeOffers), { origins: [], permissions: [] });
  const { readFile } = await import('node:fs/promises');
  const read = async (name) => JSON.parse(await readFile(new URL(`../${name}`, import.meta.url), 'utf8'));
  // Chrome may be asked for it; Firefox takes no such optional permission,
  // so there the message gives the command instead.
  assert.ok((await read('manifest.chrome.json')).optional_permissions.includes(LOCAL_ORIGIN_PERMISSION), 'the rule’s permission may be asked for');
  assert.ok(!(await read('manifest.json')).permissions.some((p) => p.startsWith('declarativeNetRequest')), 'and is held only once asked for');
});
