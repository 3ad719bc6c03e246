// Providers as they really stream, through the built extension in
// Chromium: recorded streams served by the fake model byte for byte
// (an OpenRouter error in the middle of an answer, a model that thinks in
// <think>), Claude's browser header, and a local Ollama that refuses an
// extension's Origin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { ROOT, expected, fill, isShown, openComposer, openSettings, saveSettings, shape, startChromium, textOf, waitForText } from './harness.mjs';

/** A recorded stream from the Go replay tests' testdata, as it was recorded. */
const recording = (name) => fs.readFileSync(path.join(ROOT, 'internal/ai/testdata', name), 'utf8');

describe('Chromium: providers as they really stream', () => {
  let fakes;
  let chrome;
  let seed;
  let tab;
  const pageChildren = async () => fakes.control('GET', `/notion/children?id=${seed.notion.pages.connected.id}`);
  const pageText = (blocks) => shape(blocks).join('\n');

  before(async () => {
    ({ fakes, seed, chrome } = await startChromium());
    tab = await chrome.openTab(seed.notion.pages.connected.url);
  });

  after(async () => {
    await chrome?.close();
    await fakes?.stop();
  });

  async function settle(settings) {
    await tab.bringToFront();
    const popup = await chrome.openPopup();
    await saveSettings(popup, { secret: seed.notion.secret, ...settings });
    await waitForText(popup, '#status', 'Saved.', 30_000);
    await popup.close();
  }

  async function generate(prompt) {
    const popup = await openComposer(chrome, tab);
    await fill(popup, '#prompt', prompt);
    await popup.click('#generate');
    return popup;
  }

  test('an OpenRouter error inside the stream fails the job with OpenRouter’s reason and keeps what was written', async () => {
    await settle({ provider: 'openrouter', apiKey: seed.ai.key, model: 'openai/gpt-5-mini', baseUrl: '' });
    await fakes.control('POST', '/ai/recording', { sse: recording('openrouter-midstream-error.sse') });
    const before = await pageChildren();
    const popup = await generate('A launch plan');
    // The cause is the headline; the provider's own words follow it.
    await waitForText(popup, '#job-status', 'OpenRouter stopped partway through the answer with an error.', 30_000);
    assert.match(await textOf(popup, '#job-error'), /OpenRouter said: “Provider disconnected”/);
    assert.doesNotMatch(await textOf(popup, '#job-status'), /Added/, 'nothing is claimed done');
    assert.ok(await isShown(popup, '#retry'), 'Retry is offered');
    await waitForText(popup, '#preview', 'Launch plan');
    // What was written before the error stays, and is what the model wrote.
    const written = shape((await pageChildren()).slice(before.length));
    const sofar = expected('# Launch plan\n\nA short plan for the launch.\n\n## Steps\n\n- Write the\n');
    assert.deepEqual(written, sofar.slice(0, written.length), 'the page holds the start of the answer, nothing else');
    await popup.close();
  });

  test('a model that thinks in <think> writes only its answer', async () => {
    await settle({ provider: 'openai', apiKey: seed.ai.key, model: 'gpt-5-mini', baseUrl: '' });
    await fakes.control('POST', '/ai/recording', { sse: recording('qwen-think.sse') });
    const before = await pageChildren();
    const popup = await generate('Say hello');
    await waitForText(popup, '#job-status', 'Added at the end', 30_000);
    const added = (await pageChildren()).slice(before.length);
    assert.deepEqual(shape(added), expected('# Hello\n\nNice to meet you.\n'));
    assert.doesNotMatch(pageText(added), /Okay|user greets|think/);
    assert.doesNotMatch(await textOf(popup, '#preview'), /Okay|user greets|think/);
    await popup.close();
  });

  test('Claude is reached with Anthropic’s browser header on every request', async () => {
    const { models } = await fakes.control('GET', '/seed').then((s) => s.ai);
    await fakes.control('POST', '/ai/config', { models: [...models, 'claude-sonnet-4-5'] });
    await settle({ provider: 'anthropic', apiKey: seed.ai.key, model: '', baseUrl: '' });
    let popup = await chrome.openPopup();
    await popup.waitForSelector('#open-settings', { visible: true, timeout: 10_000 });
    // The saved steps are folded; Change opens them again.
    await openSettings(popup);
    await popup.click('#load-models');
    await popup.waitForFunction(() => [...document.querySelectorAll('#model-list li')].some((li) => li.textContent.includes('claude-sonnet-4-5')), { timeout: 15_000 });
    await popup.close();
    await fakes.control('POST', '/ai/answer', { text: 'Written by Claude.\n' });
    popup = await generate('Via Claude');
    await waitForText(popup, '#job-status', 'Added at the end', 30_000);
    const { ai } = await fakes.control('GET', '/requests');
    const claude = ai.filter((r) => r.host === 'api.anthropic.com');
    assert.ok(claude.some((r) => r.path === '/v1/models'), 'models were listed at Anthropic');
    assert.ok(claude.some((r) => r.path === '/v1/chat/completions'), 'the answer came from Anthropic');
    for (const r of claude) {
      assert.deepEqual(r.header['Anthropic-Dangerous-Direct-Browser-Access'], ['true'], `${r.method} ${r.path}`);
    }
    // A POST from the extension carries its Origin, which the fake, as
    // Anthropic, refuses without the header.
    assert.ok(claude.some((r) => r.method === 'POST' && r.header.Origin?.[0]?.startsWith('chrome-extension://')));
    await popup.close();
  });

  test('a local Ollama answers through the rule, or the job names the command to run', async () => {
    await fakes.control('POST', '/ai/config', { allowNoKey: true, models: ['llama3.2'], answer: 'A local answer.\n' });
    const baseUrl = `http://127.0.0.1:${fakes.ports.ai_http}/v1`;
    const local = async () => (await fakes.control('GET', '/requests')).ai.filter((r) => r.host === `127.0.0.1:${fakes.ports.ai_http}` && r.path.endsWith('/chat/completions'));
    const command = /refused requests from the extension\. Quit Ollama and start it again with: OLLAMA_ORIGINS=chrome-extension:\/\/\* ollama serve/;
    await grantHost('http://127.0.0.1/*');
    await grantRulePermission();
    await settle({ provider: 'ollama', apiKey: '', model: 'llama3.2', baseUrl });
    const before = await pageChildren();
    let popup = await generate('Ask the local model');
    await popup.waitForFunction(() => {
      const status = document.querySelector('#job-status');
      return status?.classList.contains('is-error') || /Added at the end/.test(status?.textContent ?? '');
    }, { timeout: 30_000 });
    const [sent] = (await local()).slice(-1);
    assert.ok(sent, 'the job reached the local model');
    if (sent.header.Origin === undefined) {
      // The rule took the extension's Origin off: Ollama answered.
      await waitForText(popup, '#job-status', 'Added at the end');
      assert.deepEqual(shape((await pageChildren()).slice(before.length)), expected('A local answer.\n'));
    } else {
      // The browser did not apply the rule: Ollama refused, and the job says what to run.
      assert.match(sent.header.Origin[0], /^chrome-extension:\/\//);
      assert.match(await textOf(popup, '#job'), command);
    }
    await popup.close();

    // The same server as a custom provider gets no rule: Ollama refuses the
    // extension, and the job says what to run.
    await settle({ provider: 'custom', apiKey: '', model: 'llama3.2', baseUrl });
    popup = await generate('Ask it again');
    await popup.waitForSelector('#job-status.is-error', { timeout: 30_000 });
    assert.match(await textOf(popup, '#job'), command);
    const [refused] = (await local()).slice(-1);
    assert.match(refused.header.Origin?.[0] ?? '', /^chrome-extension:\/\//, 'the refused request carried the extension’s Origin');
    await popup.close();
    await settle({ provider: 'openai', apiKey: seed.ai.key, model: 'gpt-5-mini', baseUrl: '' });
  });

  // Asks for the rule's optional permission inside a real click in an
  // extension page, as Save does; with the host already granted it brings
  // no new warning, so Chromium grants it without a prompt.
  async function grantRulePermission() {
    const popup = await chrome.openPopup();
    await popup.evaluate(() => {
      const b = document.createElement('button');
      b.id = 'ask-rule';
      b.textContent = 'ask';
      b.addEventListener('click', async () => {
        b.dataset.granted = String(await chrome.permissions.request({ permissions: ['declarativeNetRequestWithHostAccess'] }));
      });
      document.body.prepend(b);
    });
    await popup.click('#ask-rule');
    await popup.waitForFunction(() => document.querySelector('#ask-rule').dataset.granted, { timeout: 10_000 });
    assert.equal(await popup.$eval('#ask-rule', (b) => b.dataset.granted), 'true');
    await popup.close();
  }

  // Grants an optional host permission as a person does on the extensions
  // page (Site access), since a test cannot click the browser's prompt; the
  // popup's request then finds it granted.
  async function grantHost(pattern) {
    const page = await chrome.browser.newPage();
    await page.goto(`chrome://extensions/?id=${chrome.extensionId}`);
    await page.evaluate((id, host) => new Promise((resolve, reject) => {
      chrome.developerPrivate.addHostPermission(id, host, () => (chrome.runtime.lastError ? reject(new Error(chrome.runtime.lastError.message)) : resolve()));
    }), chrome.extensionId, pattern);
    await page.close();
  }
});
