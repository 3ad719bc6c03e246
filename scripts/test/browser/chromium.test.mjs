// The settings popup in Chromium, driven as a person would: a Notion tab in
// front, a click on the toolbar icon, typing and clicking in the real popup.
// The API hosts are mapped to the strict local fakes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { launchChromium } from '../../browser/chromium.mjs';
import { DIST, assertSecretsStayPut, fill, isShown, openSettings, paste, saveSettings, startChromium, stepIs, textOf, waitForText } from './harness.mjs';

describe('Chromium: settings and target', () => {
  let fakes;
  let chrome;
  let seed;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'visen-profile-'));

  before(async () => {
    ({ fakes, seed, chrome } = await startChromium({ userDataDir: profile }));
  });

  after(async () => {
    await chrome?.close();
    await fakes?.stop();
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
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

  // Visible words of the popup, for what must never be said.
  const words = (popup) => popup.evaluate(() => document.body.innerText);

  test('before set-up, the popup opens on a welcome, then two steps with focus in the token', async () => {
    const { tab, popup } = await freshPopup(seed.notion.pages.connected);
    await popup.waitForSelector('#welcome', { visible: true, timeout: 10_000 });
    await waitForText(popup, '#settings-heading', 'Set up Visen');
    await waitForText(popup, '#welcome', 'stay in this browser');
    assert.equal(await popup.evaluate(() => document.activeElement?.id), 'welcome-start');
    assert.equal(await isShown(popup, '#save'), false, 'one way on: Get started');
    assert.equal(await isShown(popup, '#welcome-start'), true);
    await popup.click('#welcome-start');
    for (const step of ['#step-notion', '#step-ai']) {
      assert.equal(await popup.$eval(step, (el) => el.dataset.state), 'todo', step);
    }
    await popup.waitForFunction((want) => document.activeElement?.id === want, { timeout: 5_000 }, 'notion-secret');
    await waitForText(popup, '#notion-secret-hint', 'Personal access token');
    assert.equal(await popup.$eval('#open-tokens', (a) => a.href), 'https://www.notion.so/developers/tokens');
    assert.equal(await popup.$('#test-connection'), null, 'Save is the one button that saves and tests');
    assert.equal(await popup.$eval('#clear', (el) => el.closest('details')?.id), 'advanced', 'clearing waits under Advanced');
    await popup.close();
    await tab.close();
  });

  test('a non-Notion tab says to open a Notion page', async () => {
    const { tab, popup } = await freshPopup();
    await saveSettings(popup, valid());
    await waitForText(popup, '#state', 'Open a Notion page or database');
    assert.equal(await isShown(popup, '#target'), false);
    await popup.close();
    await tab.close();
  });

  test('Save refuses bad input once, beside each field, stores nothing, and each message clears once its field is right', async () => {
    const { tab, popup } = await freshPopup(seed.notion.pages.connected);
    await saveSettings(popup, { secret: 'not-a-secret', provider: 'custom', apiKey: '', model: 'x', baseUrl: 'ftp:/nope' });
    await waitForText(popup, '#notion-secret-error', 'doesn’t look like a Notion token');
    await waitForText(popup, '#base-url-error', 'http');
    assert.equal(await popup.$eval('#notion-secret', (el) => el.getAttribute('aria-invalid')), 'true');
    await stepIs(popup, '#step-notion', 'attention');
    await popup.waitForFunction((want) => document.activeElement?.id === want, { timeout: 5_000 }, 'notion-secret');
    assert.deepEqual(await popup.evaluate(() => chrome.storage.local.get('settings')), {}, 'nothing half-saved');
    // Each problem is said once: not again in the step's line or the footer.
    const text = await words(popup);
    assert.equal(text.split('doesn’t look like a Notion token').length, 2, text);
    assert.equal(await textOf(popup, '#settings-status'), '');
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

  test('a pasted token loses what came with it; a page address gets a sentence saying what to paste', async () => {
    const { tab, popup } = await freshPopup(seed.notion.pages.connected);
    await openSettings(popup);
    await paste(popup, '#notion-secret', `  "Authorization: Bearer ${seed.notion.secret}"\n`);
    await popup.waitForFunction((want) => document.querySelector('#notion-secret').value === want, { timeout: 5_000 }, seed.notion.secret);
    await waitForText(popup, '#step-notion-summary', seed.notion.botName);
    await popup.click('#change-notion');
    await paste(popup, '#notion-secret', seed.notion.pages.connected.url);
    await waitForText(popup, '#notion-secret-error', 'That is a page’s address. Paste a token instead');
    await stepIs(popup, '#step-notion', 'attention');
    await popup.close();
    await tab.close();
  });

  test('what is typed in Settings survives closing the popup and following the token link', async () => {
    const { tab, popup } = await freshPopup(seed.notion.pages.connected);
    await openSettings(popup);
    await popup.type('#notion-secret', seed.notion.secret.slice(0, 20));
    const opened = chrome.browser.waitForTarget((t) => t.url().includes('/developers/tokens'), { timeout: 10_000 });
    await popup.click('#open-tokens');
    const tokens = await (await opened).asPage();
    await popup.close().catch(() => {});
    await tokens.close();
    await tab.bringToFront();

    let again = await chrome.openPopup();
    await again.waitForSelector('#notion-secret', { visible: true, timeout: 10_000 });
    assert.equal(await isShown(again, '#welcome'), false, 'the welcome is not shown twice');
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

  test('a pasted token is checked at once: its step folds to one line saying who it acts as, and focus moves on to the key', async () => {
    for (const [token, who] of [
      [seed.notion.secret, `${seed.notion.botName} in ${seed.notion.workspaceName}`],
      [seed.notion.personalToken, `${seed.notion.person}, with a personal token`],
    ]) {
      const { tab, popup } = await freshPopup(seed.notion.pages.connected);
      await openSettings(popup);
      await paste(popup, '#notion-secret', token);
      await popup.waitForFunction(() => document.activeElement?.id === 'api-key', { timeout: 10_000 });
      await stepIs(popup, '#step-notion', 'done');
      assert.equal(await textOf(popup, '#step-notion-summary'), `: ${who}`);
      assert.equal(await textOf(popup, '#step-notion .step-mark'), '✓');
      assert.equal(await isShown(popup, '#change-notion'), true);
      assert.equal(await isShown(popup, '#notion-secret'), false, 'the finished step is one line');
      await popup.close();
      await tab.close();
    }
  });

  test('Load models lists the provider’s models, searchable, and holds the address to Save’s rules', async () => {
    const { tab, popup } = await freshPopup(seed.notion.pages.connected);
    await openSettings(popup);
    await fill(popup, '#api-key', seed.ai.key);
    await popup.click('#load-models');
    await popup.waitForFunction((n) => document.querySelectorAll('#model-list [role=option]').length === n, { timeout: 10_000 }, seed.ai.models.length);
    const models = await popup.$$eval('#model-list [role=option]', (os) => os.map((o) => o.textContent));
    assert.deepEqual(models, [...seed.ai.models].sort());
    await waitForText(popup, '#model-count', `${seed.ai.models.length} models from OpenAI`);
    // Typing searches; arrow keys and Enter choose.
    const pick = [...seed.ai.models].sort().at(-1);
    await fill(popup, '#model', pick.slice(0, -1));
    await popup.waitForFunction((want) => [...document.querySelectorAll('#model-list [role=option]')].every((o) => o.textContent.includes(want)), { timeout: 5_000 }, pick.slice(0, -1));
    await popup.keyboard.press('ArrowDown');
    await popup.keyboard.press('Enter');
    assert.equal(await popup.$eval('#model', (el) => el.value), pick);
    assert.equal(await isShown(popup, '#model-list'), false);
    // A plain-http address to another machine would carry the key in the
    // clear: refused before anything is sent, as Save refuses it.
    const { ai: before } = await fakes.control('GET', '/requests');
    await popup.select('#provider', 'custom');
    await fill(popup, '#base-url', 'http://192.168.1.20:8080/v1');
    await popup.click('#load-models');
    await waitForText(popup, '#base-url-error', 'only for this computer');
    const { ai: afterwards } = await fakes.control('GET', '/requests');
    assert.equal(afterwards.length, before.length, 'the key went nowhere');
    // The next test starts from nothing set up, not from this draft.
    await popup.evaluate(() => chrome.storage.local.clear());
    await popup.close();
    await tab.close();
  });

  test('Save tests the connection by itself and goes home with focus in the prompt; settings persist, their steps folded', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    let popup = await chrome.openPopup();
    await saveSettings(popup, valid());
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    await popup.waitForFunction(() => document.activeElement?.id === 'prompt', { timeout: 5_000 });
    assert.equal((await popup.evaluate(() => chrome.storage.local.get('settings'))).settings.notionKind, 'integration', 'the kind Notion named is kept');
    await popup.close();

    popup = await chrome.openPopup();
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    assert.match(await textOf(popup, '#target-kind'), /page/i);
    await popup.waitForFunction(() => document.activeElement?.id === 'prompt', { timeout: 5_000 });
    await popup.click('#open-settings');
    await waitForText(popup, '#step-notion-summary', seed.notion.botName);
    await waitForText(popup, '#step-ai-summary', 'OpenAI · gpt-5-mini');
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

  test('an integration’s unconnected page shows its title, the connect steps and Check again, which finds it once connected', async () => {
    const page = seed.notion.pages.unconnected;
    const tab = await notionTab(page);
    let popup = await chrome.openPopup();
    await waitForText(popup, '#connect-steps', `Search for “${seed.notion.botName}”`);
    await waitForText(popup, '#target-title', page.title);
    const steps = await popup.$$eval('#connect-steps li', (lis) => lis.map((li) => li.textContent.trim()));
    assert.ok(steps.some((s) => s.includes('Connections')), steps.join(' | '));
    assert.ok(steps.some((s) => s.includes('Confirm')), steps.join(' | '));
    assert.doesNotMatch(await textOf(popup, '#home'), /404|object_not_found/);
    assert.equal(await isShown(popup, '#check-again'), true);
    assert.ok(await popup.$eval('#check-again', (b) => b.classList.contains('primary')), 'Check again is the main action');
    // Still not connected: Check again says the same, with the focus kept.
    await popup.click('#check-again');
    await waitForText(popup, '#connect-steps', 'Click Confirm');
    await popup.waitForFunction((want) => document.activeElement?.id === want, { timeout: 5_000 }, 'check-again');
    // Connected in Notion, as the steps say; Check again finds the page.
    await fakes.control('POST', '/notion/seed', { pages: [{ id: page.id, title: page.title, emoji: '🔒', connected: ['Other Integration', seed.notion.botName] }] });
    await popup.click('#check-again');
    await popup.waitForSelector('#prompt', { visible: true, timeout: 10_000 });
    await waitForText(popup, '#target-title', page.title);
    await popup.close();
    await fakes.control('POST', '/reset');
    await tab.close();
  });

  test('an archived page says so, and the footer offers Check again', async () => {
    const tab = await notionTab(seed.notion.pages.archived);
    const popup = await chrome.openPopup();
    await waitForText(popup, '#state', 'trash');
    assert.equal(await isShown(popup, '#check-again'), true);
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

  test('a personal access token writes into a page no integration is connected to, and says plainly when its person has no access', async () => {
    const tab = await notionTab(seed.notion.pages.unconnected);
    let popup = await chrome.openPopup();
    await saveSettings(popup, { ...valid(), secret: seed.notion.personalToken });
    await waitForText(popup, '#target-title', seed.notion.pages.unconnected.title);
    await popup.waitForFunction(() => document.activeElement?.id === 'prompt', { timeout: 5_000 });
    assert.equal((await popup.evaluate(() => chrome.storage.local.get('settings'))).settings.notionKind, 'personal');
    await popup.close();

    await tab.goto(seed.notion.pages.private.url);
    popup = await chrome.openPopup();
    await waitForText(popup, '#state', 'Your Notion account can’t open this page');
    await waitForText(popup, '#target-title', seed.notion.pages.private.title);
    assert.equal(await isShown(popup, '#connect-steps'), false);
    assert.doesNotMatch(await words(popup), /connect|integration/i, 'no connect wording for a personal token');
    assert.ok(await popup.$eval('#check-again', (b) => !b.hidden && b.classList.contains('primary')));
    await popup.close();
    await tab.close();
  });

  test('a revoked token says so and leads to Settings, where the token is marked', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    let popup = await chrome.openPopup();
    await saveSettings(popup, { ...valid(), secret: seed.notion.personalToken });
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    await popup.close();
    await fakes.control('POST', '/notion/revoke', { secret: seed.notion.personalToken });

    popup = await chrome.openPopup();
    await waitForText(popup, '#state', 'Notion did not accept this token');
    await waitForText(popup, '#state', 'revoked or expired');
    assert.ok(await popup.$eval('#setup', (b) => !b.hidden && b.classList.contains('primary') && b.textContent === 'Settings'));
    assert.equal(await isShown(popup, '#check-again'), false, 'one way on');
    await popup.click('#setup');
    await waitForText(popup, '#notion-secret-error', 'revoked or expired');
    await stepIs(popup, '#step-notion', 'attention');
    await popup.waitForFunction((want) => document.activeElement?.id === want, { timeout: 5_000 }, 'notion-secret');
    await popup.close();
    await fakes.control('POST', '/reset');
    popup = await chrome.openPopup();
    await saveSettings(popup, valid());
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    await popup.close();
    await tab.close();
  });

  test('a wrong secret is named once, beside the token, and home offers the way back to Settings', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    let popup = await chrome.openPopup();
    await saveSettings(popup, { ...valid(), secret: 'ntn_' + 'x'.repeat(46) });
    await waitForText(popup, '#notion-secret-error', 'did not accept this token');
    await stepIs(popup, '#step-notion', 'attention');
    assert.equal((await words(popup)).split('did not accept this token').length, 2, 'said once');
    assert.equal(await isShown(popup, '#settings'), true, 'stays in Settings to fix it');
    await popup.click('#back');
    await waitForText(popup, '#state', 'did not accept this token');
    assert.ok(await isShown(popup, '#setup'), 'offers a way back to Settings');
    await popup.close();
    popup = await chrome.openPopup();
    await saveSettings(popup, valid());
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    await popup.close();
    await tab.close();
  });

  test('a wrong AI key is named beside the key, while the Notion step is done', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    const popup = await chrome.openPopup();
    await saveSettings(popup, { ...valid(), apiKey: 'sk-wrong-key-1234567890' });
    await waitForText(popup, '#api-key-error', 'OpenAI did not accept the API key');
    await stepIs(popup, '#step-ai', 'attention');
    await stepIs(popup, '#step-notion', 'done');
    await popup.waitForFunction((want) => document.activeElement?.id === want, { timeout: 5_000 }, 'api-key');
    await fill(popup, '#api-key', seed.ai.key);
    await popup.click('#save');
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    await popup.close();
    await tab.close();
  });

  test('Clear, under Advanced, asks first, then wipes every setting', async () => {
    const tab = await notionTab(seed.notion.pages.connected);
    const popup = await chrome.openPopup();
    await openSettings(popup);
    await popup.click('#advanced summary');
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
