// First contact in Chromium: a person who has just installed Visen goes
// from the toolbar icon to an answer in a Notion page, counting every
// click. With a personal access token that page needs no connection; with
// an integration's secret the same page shows the connect steps, and Check
// again finds it once it is connected.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { assertSecretsStayPut, isShown, paste, startChromium, waitForText } from './harness.mjs';

const ANSWER = '## Ideas\n\n- Ship on Tuesday\n- Tell support first\n';

describe('Chromium: from the icon to the first answer', () => {
  let fakes;
  let chrome;
  let seed;

  before(async () => {
    ({ fakes, seed, chrome } = await startChromium());
  });

  after(async () => {
    await chrome?.close();
    await fakes?.stop();
  });

  // A person's path, told click by click: every click goes through here,
  // with the words on screen, so the test can count both.
  function person(popup) {
    const seen = [];
    return {
      clicks: 1, // the toolbar icon
      seen,
      async look() {
        seen.push(await popup.evaluate(() => document.body.innerText));
      },
      async click(selector) {
        await this.look();
        this.clicks++;
        await popup.click(selector);
      },
      async focusIs(id) {
        await popup.waitForFunction((want) => document.activeElement?.id === want, { timeout: 10_000 }, id);
      },
    };
  }

  async function firstTime(page) {
    const tab = await chrome.openTab(page.url);
    let popup = await chrome.openPopup();
    await popup.evaluate(() => chrome.storage.local.clear());
    await popup.close();
    popup = await chrome.openPopup();
    return { tab, popup };
  }

  test('with a personal access token: four clicks to an answer in a page no integration is connected to, and no word of connecting', async () => {
    const page = seed.notion.pages.unconnected;
    const before = (await fakes.control('GET', `/notion/children?id=${page.id}`)).length;
    await fakes.control('POST', '/ai/answer', { text: ANSWER });
    const { tab, popup } = await firstTime(page);
    const you = person(popup);

    await popup.waitForSelector('#welcome', { visible: true, timeout: 10_000 });
    await you.click('#welcome-start');
    await you.focusIs('notion-secret');
    await paste(popup, '#notion-secret', seed.notion.personalToken);
    // The token is checked as pasted; the cursor moves on to the key.
    await you.focusIs('api-key');
    await waitForText(popup, '#step-notion-summary', seed.notion.person);
    await paste(popup, '#api-key', seed.ai.key);
    await you.click('#save');
    await you.focusIs('prompt');
    await waitForText(popup, '#target-title', page.title);
    await popup.keyboard.type('Three launch ideas');
    await you.click('#generate');
    await waitForText(popup, '#job-status', `Added at the end of ${page.title}.`, 20_000);
    await you.look();

    assert.equal(you.clicks, 4, 'the icon, Get started, Save and Generate');
    const written = (await fakes.control('GET', `/notion/children?id=${page.id}`)).slice(before);
    assert.deepEqual(written.map((b) => b.type), ['heading_2', 'bulleted_list_item', 'bulleted_list_item']);
    for (const screen of you.seen) {
      assert.doesNotMatch(screen, /connect/i, `no connect wording for a personal token:\n${screen}`);
    }
    await popup.close();
    await tab.close();
  });

  test('with an integration secret: the same page shows the connect steps, and Check again finds it once connected', async () => {
    const page = seed.notion.pages.unconnected;
    const { tab, popup } = await firstTime(page);
    const you = person(popup);

    await popup.waitForSelector('#welcome', { visible: true, timeout: 10_000 });
    await you.click('#welcome-start');
    await paste(popup, '#notion-secret', seed.notion.secret);
    await you.focusIs('api-key');
    await waitForText(popup, '#step-notion-summary', seed.notion.botName);
    await paste(popup, '#api-key', seed.ai.key);
    await you.click('#save');
    await waitForText(popup, '#connect-steps', `Search for “${seed.notion.botName}” and choose it.`);
    await waitForText(popup, '#state', `isn’t connected to ${seed.notion.botName}`);
    await waitForText(popup, '#target-title', page.title);
    assert.ok(await popup.$eval('#check-again', (b) => !b.hidden && b.classList.contains('primary')), 'Check again is the main action');
    assert.equal(await isShown(popup, '#prompt'), false);

    await fakes.control('POST', '/notion/seed', { pages: [{ id: page.id, title: page.title, emoji: '🔒', connected: ['Other Integration', seed.notion.botName] }] });
    await you.click('#check-again');
    await you.focusIs('prompt');
    await waitForText(popup, '#target-title', page.title);
    await popup.close();
    await tab.close();
  });

  test('neither token nor key reaches another host or the console', async () => {
    await assertSecretsStayPut(fakes, seed, chrome.consoleLines);
  });
  test('a page Visen has seen is drawn at once, prompt ready, while Notion is slow; a page gone since is corrected', async () => {
    const page = seed.notion.pages.connected;
    const { tab, popup: first } = await firstTime(page);
    await first.click('#welcome-start');
    await paste(first, '#notion-secret', seed.notion.personalToken);
    await paste(first, '#api-key', seed.ai.key);
    await first.click('#save');
    await waitForText(first, '#target-title', page.title);
    await first.close();

    // Notion takes three seconds over the look at the page; the popup does
    // not wait for it.
    await fakes.control('POST', '/notion/fault', { method: 'GET', pathPrefix: `/v1/pages/${page.id}`, delayMs: 3000, times: 1 });
    const opened = Date.now();
    let popup = await chrome.openPopup();
    await popup.waitForFunction(() => document.activeElement?.id === 'prompt', { timeout: 2_500 });
    assert.equal(await popup.$eval('#target-title', (el) => el.textContent), page.title);
    assert.ok(Date.now() - opened < 2_500, 'ready before Notion answered');
    await popup.keyboard.type('typed while Notion looks');
    // Notion confirms the page: nothing moves, nothing typed is lost.
    await new Promise((resolve) => setTimeout(resolve, 3_200));
    assert.equal(await popup.$eval('#prompt', (el) => el.value), 'typed while Notion looks');
    assert.equal(await popup.evaluate(() => document.activeElement?.id), 'prompt');
    await popup.close();

    // The page went to another person's private space: the popup shows
    // what it last knew, then what Notion says now.
    await fakes.control('POST', '/notion/seed', { pages: [{ id: page.id, title: page.title, private: 'Grace Hopper', connected: [seed.notion.botName] }] });
    popup = await chrome.openPopup();
    await waitForText(popup, '#state', 'Your Notion account can’t open this page');
    assert.equal(await isShown(popup, '#prompt'), false);
    assert.ok(await popup.$eval('#check-again', (b) => !b.hidden && b.classList.contains('primary')));
    await popup.close();
    await tab.close();
  });
});
