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

  test('a non-Notion tab gives a clear state', async () => {
    const tab = await chrome.openTab(`http://127.0.0.1:${fakes.ports.control}/`);
    const popup = await chrome.openPopup();
    await waitForText(popup, '#state', 'Open a Notion page or database');
    assert.equal(await isShown(popup, '#target'), false);
    await popup.close();
    await tab.close();
  });

  test('before set-up, a Notion tab asks to set Visen up', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    const popup = await chrome.openPopup();
    await popup.waitForSelector('#setup', { visible: true, timeout: 10_000 });
    await popup.click('#setup');
    await popup.waitForSelector('#settings', { visible: true, timeout: 5_000 });
    await popup.close();
    await tab.close();
  });

  test('Save refuses bad input beside each field and stores nothing', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    const popup = await chrome.openPopup();
    await saveSettings(popup, { secret: 'not-a-secret', provider: 'custom', apiKey: '', model: 'x', baseUrl: 'ftp:/nope' });
    await waitForText(popup, '#notion-secret-error', 'ntn_');
    await waitForText(popup, '#base-url-error', 'http');
    assert.equal(await popup.$eval('#notion-secret', (el) => el.getAttribute('aria-invalid')), 'true');
    assert.equal(await popup.evaluate(() => document.activeElement?.id), 'notion-secret', 'the first bad field has focus');
    const stored = await popup.evaluate(() => chrome.storage.local.get(null));
    assert.deepEqual(stored, {}, 'nothing half-saved');
    await popup.close();
    await tab.close();
  });

  test('Test connection shows the bot, the workspace and that the key works', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    const popup = await chrome.openPopup();
    await openSettings(popup);
    await fill(popup, '#notion-secret', seed.notion.secret);
    await fill(popup, '#api-key', seed.ai.key);
    await popup.click('#test-connection');
    await waitForText(popup, '#test-result', seed.notion.botName);
    await waitForText(popup, '#test-result', seed.notion.workspaceName);
    await waitForText(popup, '#test-result', 'key works');
    await popup.click('#load-models');
    await popup.waitForFunction((n) => document.querySelectorAll('#models option').length === n, { timeout: 10_000 }, seed.ai.models.length);
    const models = await popup.$$eval('#models option', (os) => os.map((o) => o.value));
    assert.deepEqual(models, [...seed.ai.models].sort());
    await popup.close();
    await tab.close();
  });

  test('saved settings persist when the popup is reopened, and the page title shows', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    let popup = await chrome.openPopup();
    await saveSettings(popup, valid());
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    await popup.close();

    popup = await chrome.openPopup();
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    assert.match(await textOf(popup, '#target-kind'), /page/i);
    await openSettings(popup);
    assert.equal(await popup.$eval('#notion-secret', (el) => el.value), seed.notion.secret);
    assert.equal(await popup.$eval('#api-key', (el) => el.value), seed.ai.key);
    assert.equal(await popup.$eval('#provider', (el) => el.value), 'openai');
    assert.equal(await popup.$eval('#model', (el) => el.value), 'gpt-5-mini');
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

  test('an unconnected page shows the connect steps with the integration name', async () => {
    const tab = await notionTab(seed.notion.pages.unconnected);
    const popup = await chrome.openPopup();
    await waitForText(popup, '#connect-steps', `Search for “${seed.notion.botName}”`);
    const steps = await popup.$$eval('#connect-steps li', (lis) => lis.map((li) => li.textContent.trim()));
    assert.ok(steps.some((s) => s.includes('Connections')), steps.join(' | '));
    assert.ok(steps.some((s) => s.includes('Confirm')), steps.join(' | '));
    assert.doesNotMatch(await textOf(popup, '#home'), /404|object_not_found/);
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

  test('a wrong secret gives a clear message', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    const popup = await chrome.openPopup();
    await saveSettings(popup, { ...valid(), secret: 'ntn_' + 'x'.repeat(46) });
    await waitForText(popup, '#state', 'did not accept the integration secret');
    assert.ok(await isShown(popup, '#setup'), 'offers a way back to Settings');
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
    await waitForText(popup, '#test-result', 'did not accept the API key');
    await waitForText(popup, '#test-result', seed.notion.botName);
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
    await again.waitForSelector('#setup', { visible: true, timeout: 10_000 });
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
