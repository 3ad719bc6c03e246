// The settings popup in Chromium, driven as a person would: a Notion tab in
// front, a click on the toolbar icon, typing and clicking in the real popup.
// The API hosts are mapped to the strict local fakes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { launchChromium } from './chromium.mjs';
import { startFakes } from './fakes.mjs';
import { DIST, assertSecretsStayPut, fill, isShown, openSettings, saveSettings, textOf, waitForText } from './harness.mjs';

describe('Chromium: settings and target', () => {
  let fakes;
  let chrome;
  let seed;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'visen-profile-'));

  before(async () => {
    fakes = await startFakes();
    seed = await fakes.control('GET', '/seed');
    chrome = await launchChromium({ extensionDir: DIST('chrome'), tlsPort: fakes.ports.tls, userDataDir: profile });
  });

  after(async () => {
    await chrome?.close();
    await fakes?.stop();
    fs.rmSync(profile, { recursive: true, force: true });
  });

  const notionTab = (page) => chrome.openTab(page.url);
  const valid = () => ({ secret: seed.notion.secret, provider: 'openai', apiKey: seed.ai.key, model: 'gpt-5-mini' });

  // Each test starts from what it says; storage is emptied as a fresh
  // profile would be.
  async function freshPopup(page) {
    const tab = page ? await notionTab(page) : await chrome.openTab(`http://127.0.0.1:${fakes.ports.control}/`);
    let popup = await chrome.openPopup();
    await popup.evaluate(() => chrome.storage.local.clear());
    await popup.close();
    popup = await chrome.openPopup();
    return { tab, popup };
  }

  test('before set-up, the popup opens on the guided steps with focus in the secret', async () => {
    const { tab, popup } = await freshPopup(seed.notion.pages.connected);
    await popup.waitForSelector('#settings', { visible: true, timeout: 10_000 });
    await waitForText(popup, '#settings-heading', 'Set up Visen');
    for (const step of ['#step-notion', '#step-ai', '#step-page']) {
      assert.equal(await popup.$eval(step, (el) => el.dataset.state), 'todo', step);
    }
    assert.equal(await popup.evaluate(() => document.activeElement?.id), 'notion-secret');
    await popup.close();
    await tab.close();
  });

  test('a non-Notion tab says to open a Notion page, in Settings and at home', async () => {
    const { tab, popup } = await freshPopup();
    await waitForText(popup, '#step-page-state', 'Open a Notion page or database');
    await fill(popup, '#notion-secret', seed.notion.secret);
    await fill(popup, '#api-key', seed.ai.key);
    await popup.click('#save');
    await waitForText(popup, '#state', 'Open a Notion page or database');
    assert.equal(await isShown(popup, '#target'), false);
    await popup.close();
    await tab.close();
  });

  test('Save refuses bad input beside each field, stores nothing, and each message clears once its field is right', async () => {
    const { tab, popup } = await freshPopup(seed.notion.pages.connected);
    await saveSettings(popup, { secret: 'not-a-secret', provider: 'custom', apiKey: '', model: 'x', baseUrl: 'ftp:/nope' });
    await waitForText(popup, '#notion-secret-error', 'ntn_');
    await waitForText(popup, '#base-url-error', 'http');
    await waitForText(popup, '#test-result', 'Fix the fields marked in red');
    assert.equal(await popup.$eval('#notion-secret', (el) => el.getAttribute('aria-invalid')), 'true');
    assert.equal(await popup.$eval('#step-notion', (el) => el.dataset.state), 'attention');
    assert.equal(await popup.evaluate(() => document.activeElement?.id), 'notion-secret', 'the first bad field has focus');
    assert.deepEqual(await popup.evaluate(() => chrome.storage.local.get('settings')), {}, 'nothing half-saved');
    // Typing the right secret clears its message at once, before leaving the field.
    await fill(popup, '#notion-secret', seed.notion.secret);
    assert.equal(await isShown(popup, '#notion-secret-error'), false);
    assert.equal(await popup.$eval('#notion-secret', (el) => el.hasAttribute('aria-invalid')), false);
    assert.equal(await isShown(popup, '#base-url-error'), true, 'the other field still says what is wrong');
    await fill(popup, '#base-url', 'https://llm.example.com/v1');
    assert.equal(await isShown(popup, '#base-url-error'), false);
    await popup.close();
    await tab.close();
  });

  test('what is typed in Settings survives closing the popup and following the integrations link', async () => {
    const { tab, popup } = await freshPopup(seed.notion.pages.connected);
    await popup.waitForSelector('#notion-secret', { visible: true, timeout: 10_000 });
    await popup.type('#notion-secret', seed.notion.secret.slice(0, 20));
    const opened = chrome.browser.waitForTarget((t) => t.url().includes('/profile/integrations'), { timeout: 10_000 });
    await popup.click('#open-integrations');
    const integrations = await (await opened).asPage();
    await popup.close().catch(() => {});
    await integrations.close();
    await tab.bringToFront();

    let again = await chrome.openPopup();
    await again.waitForSelector('#settings', { visible: true, timeout: 10_000 });
    assert.equal(await again.$eval('#notion-secret', (el) => el.value), seed.notion.secret.slice(0, 20));
    await again.type('#api-key', 'sk-typed-then-closed');
    await again.close();

    again = await chrome.openPopup();
    await again.waitForSelector('#settings', { visible: true, timeout: 10_000 });
    assert.equal(await again.$eval('#notion-secret', (el) => el.value), seed.notion.secret.slice(0, 20));
    assert.equal(await again.$eval('#api-key', (el) => el.value), 'sk-typed-then-closed');
    await again.close();
    await tab.close();
  });

  test('Test connection shows the bot, the workspace and that the key works; the model picker searches the provider’s models', async () => {
    const { tab, popup } = await freshPopup(seed.notion.pages.connected);
    await openSettings(popup);
    await fill(popup, '#notion-secret', seed.notion.secret);
    await fill(popup, '#api-key', seed.ai.key);
    await popup.click('#test-connection');
    await waitForText(popup, '#test-result', seed.notion.botName);
    await waitForText(popup, '#test-result', seed.notion.workspaceName);
    await waitForText(popup, '#test-result', 'OpenAI: the key works');
    assert.equal(await popup.$eval('#step-notion', (el) => el.dataset.state), 'done');
    assert.equal(await popup.$eval('#step-ai', (el) => el.dataset.state), 'done');
    // The result is in view, beside the button.
    assert.ok(await popup.$eval('#test-result', (el) => el.getBoundingClientRect().bottom <= innerHeight));

    await fill(popup, '#model', '');
    await popup.click('#load-models');
    await popup.waitForFunction((n) => document.querySelectorAll('#model-list [role=option]').length === n, { timeout: 10_000 }, seed.ai.models.length);
    const models = await popup.$$eval('#model-list [role=option]', (os) => os.map((o) => o.textContent));
    assert.deepEqual(models, [...seed.ai.models].sort());
    await waitForText(popup, '#model-count', `${seed.ai.models.length} models from OpenAI`);
    assert.equal(await popup.$eval('#model', (el) => el.value), 'gpt-5-mini', 'an empty model gets OpenAI’s own default');
    // Typing searches; arrow keys and Enter choose.
    const pick = [...seed.ai.models].sort().at(-1);
    await fill(popup, '#model', pick.slice(0, -1));
    await popup.waitForFunction((want) => [...document.querySelectorAll('#model-list [role=option]')].every((o) => o.textContent.includes(want)), { timeout: 5_000 }, pick.slice(0, -1));
    await popup.keyboard.press('ArrowDown');
    await popup.keyboard.press('Enter');
    assert.equal(await popup.$eval('#model', (el) => el.value), pick);
    assert.equal(await isShown(popup, '#model-list'), false);
    await popup.close();
    await tab.close();
  });

  test('Save tests the connection by itself and goes home with focus in the prompt; settings persist', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    let popup = await chrome.openPopup();
    await saveSettings(popup, valid());
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    await popup.waitForFunction(() => document.activeElement?.id === 'prompt', { timeout: 5_000 });
    await popup.close();

    popup = await chrome.openPopup();
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    assert.match(await textOf(popup, '#target-kind'), /page/i);
    await popup.waitForFunction(() => document.activeElement?.id === 'prompt', { timeout: 5_000 });
    await openSettings(popup);
    assert.equal(await popup.$eval('#notion-secret', (el) => el.value), seed.notion.secret);
    assert.equal(await popup.$eval('#api-key', (el) => el.value), seed.ai.key);
    assert.equal(await popup.$eval('#provider', (el) => el.value), 'openai');
    assert.equal(await popup.$eval('#model', (el) => el.value), 'gpt-5-mini');
    await waitForText(popup, '#step-page-state', `“${seed.notion.pages.connected.title}” is connected`);
    await popup.close();
    await tab.close();
  });

  test('a database tab shows the database', async () => {
    const tab = await notionTab(seed.notion.databases.calendar);
    const popup = await chrome.openPopup();
    await waitForText(popup, '#target-title', seed.notion.databases.calendar.title);
    assert.match(await textOf(popup, '#target-kind'), /database/i);
    await popup.close();
    await tab.close();
  });

  test('an unconnected page shows the connect steps with the integration name, at home and in Settings', async () => {
    const tab = await notionTab(seed.notion.pages.unconnected);
    const popup = await chrome.openPopup();
    await waitForText(popup, '#connect-steps', `Search for “${seed.notion.botName}”`);
    const steps = await popup.$$eval('#connect-steps li', (lis) => lis.map((li) => li.textContent.trim()));
    assert.ok(steps.some((s) => s.includes('Connections')), steps.join(' | '));
    assert.ok(steps.some((s) => s.includes('Confirm')), steps.join(' | '));
    assert.doesNotMatch(await textOf(popup, '#home'), /404|object_not_found/);
    await openSettings(popup);
    assert.equal(await popup.$eval('#step-page', (el) => el.dataset.state), 'attention');
    await waitForText(popup, '#step-page-steps', `Search for “${seed.notion.botName}”`);
    await popup.close();
    await tab.close();
  });

  test('an archived page says so', async () => {
    const tab = await notionTab(seed.notion.pages.archived);
    const popup = await chrome.openPopup();
    await waitForText(popup, '#state', 'trash');
    await popup.close();
    await tab.close();
  });

  test('settings survive a browser restart', async () => {
    await chrome.close();
    chrome = await launchChromium({ extensionDir: DIST('chrome'), tlsPort: fakes.ports.tls, userDataDir: profile });
    const tab = await notionTab(seed.notion.pages.connected);
    const popup = await chrome.openPopup();
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    await popup.close();
    await tab.close();
  });

  test('a wrong secret is named beside Save, and home offers the way back to Settings', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    let popup = await chrome.openPopup();
    await saveSettings(popup, { ...valid(), secret: 'ntn_' + 'x'.repeat(46) });
    await waitForText(popup, '#test-result', 'did not accept the integration secret');
    assert.equal(await popup.$eval('#step-notion', (el) => el.dataset.state), 'attention');
    assert.equal(await isShown(popup, '#settings'), true, 'stays in Settings to fix it');
    await popup.click('#back');
    await waitForText(popup, '#state', 'did not accept the integration secret');
    assert.ok(await isShown(popup, '#setup'), 'offers a way back to Settings');
    await popup.close();
    popup = await chrome.openPopup();
    await saveSettings(popup, valid());
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    await popup.close();
    await tab.close();
  });

  test('a wrong AI key gives a clear message in Test connection', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    const popup = await chrome.openPopup();
    await openSettings(popup);
    await fill(popup, '#notion-secret', seed.notion.secret);
    await fill(popup, '#api-key', 'sk-wrong-key-1234567890');
    await popup.click('#test-connection');
    await waitForText(popup, '#test-result', 'OpenAI did not accept the API key');
    await waitForText(popup, '#test-result', seed.notion.botName);
    assert.equal(await popup.$eval('#step-ai', (el) => el.dataset.state), 'attention');
    // Fixing the key and pressing Back keeps nothing half-typed around.
    await fill(popup, '#api-key', seed.ai.key);
    await popup.click('#back');
    await popup.close();
    await tab.close();
  });

  test('Clear asks first, then wipes every setting', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    const popup = await chrome.openPopup();
    await openSettings(popup);
    await popup.click('#clear');
    await popup.waitForSelector('#clear-cancel', { visible: true, timeout: 5_000 });
    await popup.click('#clear-cancel');
    assert.notDeepEqual(await popup.evaluate(() => chrome.storage.local.get('settings')), {});
    await popup.click('#clear');
    await popup.waitForSelector('#clear-confirm', { visible: true, timeout: 5_000 });
    await popup.click('#clear-confirm');
    await popup.waitForFunction(async () => Object.keys(await chrome.storage.local.get('settings')).length === 0, { timeout: 5_000 });
    assert.equal(await popup.$eval('#notion-secret', (el) => el.value), '');
    await popup.close();

    const again = await chrome.openPopup();
    await waitForText(again, '#settings-heading', 'Set up Visen');
    await again.close();
    await tab.close();
  });

  test('the Notion secret reaches only Notion and the AI key only the AI host; neither is logged', async () => {
    await assertSecretsStayPut(fakes, seed, chrome.consoleLines);
  });

  test('the extensions page shows no errors or warnings', async () => {
    const report = await chrome.extensionReport();
    assert.deepEqual(report, { installWarnings: [], manifestErrors: [], runtimeErrors: [] });
  });
});
