// The add-on in Firefox ESR: it installs cleanly, its background engine
// answers a real request against the fakes, the settings popup works, and
// the real toolbar popup over a Notion tab names the page and generates
// into it, summarizes a page, and over a database fills a row.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { launchFirefox } from '../../browser/firefox.mjs';
import { startFakes } from '../../fakes/fakes.mjs';
import { DIST, expected, fill, insertAt, paste, saveSettings, stepIs, selectInPage, shape, textOf, useTemplate, waitForText } from './harness.mjs';

describe('Firefox ESR: install, engine and settings', () => {
  let fakes;
  let firefox;
  let seed;

  before(async () => {
    fakes = await startFakes();
    seed = await fakes.control('GET', '/seed');
    firefox = await launchFirefox({ extensionDir: DIST('firefox'), proxyPort: fakes.ports.proxy });
  });

  after(async () => {
    await firefox?.close();
    await fakes?.stop();
  });

  test('the add-on installs with no warnings', () => {
    assert.equal(firefox.extensionId, 'visen@visen.app');
    assert.deepEqual(firefox.warnings, []);
  });

  test('the background engine answers a real request against the fake Notion', async () => {
    // The engine loads asynchronously after the background starts.
    const reply = await firefox.evalInBackground(`
      for (let i = 0; i < 200 && typeof globalThis.visenCall !== 'function'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return globalThis.visenCall('inspectTarget', JSON.stringify({
        url: ${JSON.stringify(seed.notion.pages.connected.url)},
        notionSecret: ${JSON.stringify(seed.notion.secret)},
      }));`);
    const parsed = JSON.parse(reply);
    assert.equal(parsed.ok, true, reply);
    assert.equal(parsed.data.title, seed.notion.pages.connected.title);
    const { notion } = await fakes.control('GET', '/requests');
    assert.ok(notion.some((r) => r.host === 'api.notion.com' && r.path.startsWith('/v1/pages/')));
  });

  test('the popup opens on a welcome, keeps what is typed, says each problem beside its field, and Save tests through the background', async () => {
    let popup = await firefox.openExtensionPage('popup/popup.html');
    await waitForText(popup, '#settings-heading', 'Set up Visen');
    await waitForText(popup, '#welcome', 'stay in this browser');
    await popup.click('#welcome-start');
    // What is typed is kept when the popup closes; a message clears once its field is right.
    await popup.type('#notion-secret', 'ntn_short');
    await popup.close();
    popup = await firefox.openExtensionPage('popup/popup.html');
    await waitForText(popup, '#settings-heading', 'Set up Visen');
    assert.equal(await popup.$eval('#notion-secret', (el) => el.value), 'ntn_short');
    await popup.click('#save');
    await waitForText(popup, '#notion-secret-error', 'doesn’t look like a Notion token');
    await fill(popup, '#notion-secret', seed.notion.secret);
    assert.equal(await popup.$eval('#notion-secret-error', (el) => el.hidden), true, 'the message clears once the secret is right');
    await saveSettings(popup, { secret: seed.notion.secret, apiKey: seed.ai.key, model: 'gpt-5-mini' });
    await waitForText(popup, '#status', 'Saved.');
    await popup.close();

    const again = await firefox.openExtensionPage('popup/popup.html');
    await waitForText(again, '#state', 'Open a Notion page or database');
    await again.click('#open-settings');
    await waitForText(again, '#step-notion-summary', `${seed.notion.botName} in ${seed.notion.workspaceName}`);
    await waitForText(again, '#step-ai-summary', 'OpenAI · gpt-5-mini');
    await saveSettings(again, { secret: seed.notion.secret, apiKey: 'sk-wrong-key-1234567890', model: 'gpt-5-mini' });
    await waitForText(again, '#api-key-error', 'did not accept the API key');
    await stepIs(again, '#step-notion', 'done');
    // Put back as it was, Save goes home and leaves no draft behind.
    await fill(again, '#api-key', seed.ai.key);
    await again.click('#save');
    await waitForText(again, '#status', 'Saved.');
    await again.waitForFunction(async () => !(await chrome.storage.local.get('settingsDraft')).settingsDraft);
    await again.close();
  });

  test('the toolbar popup over a Notion tab names the page and generates into it', async () => {
    await firefox.openTab(seed.notion.pages.connected.url);
    let popup = await firefox.openPopup();
    await waitForText(popup, '#target-title', seed.notion.pages.connected.title);
    const before = (await fakes.control('GET', `/notion/children?id=${seed.notion.pages.connected.id}`)).length;
    await fakes.control('POST', '/ai/answer', { text: '## From Firefox\n\nIt works.\n' });
    await popup.waitForSelector('#prompt', { visible: true });
    await popup.waitForFunction(() => document.activeElement?.id === 'prompt');
    await popup.type('#prompt', 'a short note');
    // As a person pauses before closing: the draft is in storage by then.
    await popup.waitForFunction(async () => Object.values(await chrome.storage.local.get(null)).some((v) => v?.prompt === 'a short note'));
    await popup.close();
    // The prompt is kept while typed, and a template goes in front of it.
    popup = await firefox.openPopup();
    await popup.waitForFunction(() => document.activeElement?.id === 'prompt');
    assert.equal(await popup.$eval('#prompt', (el) => el.value), 'a short note');
    await useTemplate(popup, 'Email draft');
    assert.equal(await popup.$eval('#prompt', (el) => el.value), 'Draft a clear, friendly email about: a short note');
    await popup.click('#generate');
    await waitForText(popup, '#job-status', 'Added at the end of Quarterly Plan.', 20_000);
    await waitForText(popup, '#preview', 'From Firefox');
    const after = await fakes.control('GET', `/notion/children?id=${seed.notion.pages.connected.id}`);
    assert.deepEqual(after.slice(before).map((b) => b.type), ['heading_2', 'paragraph']);
    await popup.close();
  });

  test('the toolbar popup over a database fills a ticked row', async () => {
    const db = seed.notion.databases.calendar;
    const row = db.rows.find((r) => r.title === 'Writing tips');
    await fakes.control('POST', '/ai/config', { answer: 'Answer to: {{prompt}}' });
    await firefox.openTab(db.url);
    const popup = await firefox.openPopup();
    await waitForText(popup, '#target-title', db.title);
    await popup.waitForSelector('#db', { visible: true });
    await popup.click('#tab-fill');
    await popup.waitForSelector(`#rows li[data-id="${row.id}"]`, { visible: true });
    await popup.click(`#rows li[data-id="${row.id}"]`);
    await popup.type('#fill-template', 'Tips on {{Topic}}.');
    await waitForText(popup, '#fill-preview', 'Tips on five writing tips.');
    await popup.click('#fill-run');
    await waitForText(popup, '#run-status', 'Done.', 20_000);
    const kids = await fakes.control('GET', `/notion/children?id=${row.id}`);
    assert.equal(kids.at(-1).paragraph.rich_text.map((r) => r.text.content).join(''), 'Answer to: Tips on five writing tips.');
    await popup.close();
  });

  test('Summarize reads the page and puts a summary callout at its top', async () => {
    const page = seed.notion.pages.reading;
    const children = () => fakes.control('GET', `/notion/children?id=${page.id}`);
    const summary = '> [!NOTE]\n> **Summary**\n> The plan aims at steady growth.\n';
    await fakes.control('POST', '/ai/answer', { text: summary });
    const before = shape(await children());
    await firefox.openTab(page.url);
    const popup = await firefox.openPopup();
    await waitForText(popup, '#target-title', page.title);
    await popup.waitForSelector('#act-summarize', { visible: true });
    await popup.click('#act-summarize');
    await popup.click('#summary-start');
    await waitForText(popup, '#job-status', `Added a summary at the top of ${page.title}.`, 20_000);
    await waitForText(popup, '#preview', 'steady growth');
    assert.deepEqual(shape(await children()), [...expected(summary), ...before]);
    const { ai } = await fakes.control('GET', '/requests');
    assert.match(ai.at(-1).body, /The last paragraph\./, 'the page went to the model');
    await popup.close();
  });

  test('Insert at the cursor writes after the cursor’s block, and a small Stop stops a long answer', async () => {
    const page = seed.notion.pages.reading;
    const children = () => fakes.control('GET', `/notion/children?id=${page.id}`);
    await fakes.control('POST', '/ai/answer', { text: 'Inserted here.\n' });
    const tab = await firefox.openTab(page.url);
    await selectInPage(tab, 'Build the first version', { caret: 5 });
    const before = shape(await children());
    const at = before.indexOf('numbered_list_item: Build the first version');
    let popup = await firefox.openPopup();
    await popup.waitForSelector('#prompt', { visible: true });
    await insertAt(popup, 'cursor');
    await popup.type('#prompt', 'One line');
    await popup.click('#generate');
    await waitForText(popup, '#job-status', `Added after your cursor in ${page.title}.`, 20_000);
    assert.deepEqual(shape(await children()), [...before.slice(0, at + 1), 'paragraph: Inserted here.', ...before.slice(at + 1)]);
    await popup.click('#new-prompt');
    await insertAt(popup, 'end');
    await popup.close();

    await fakes.control('POST', '/ai/pace', { tokensPerSecond: 10 });
    await fakes.control('POST', '/ai/answer', { text: `## Long\n\n${'More text. '.repeat(200)}` });
    popup = await firefox.openPopup();
    await popup.waitForSelector('#prompt', { visible: true });
    await popup.type('#prompt', 'A long one');
    await popup.click('#generate');
    await waitForText(popup, '#preview', 'Long', 15_000);
    assert.equal(await textOf(popup, '#cancel'), 'Stop');
    assert.equal(await popup.$eval('#cancel', (b) => b.classList.contains('primary')), false, 'Stop is not the main button');
    await popup.click('#cancel');
    await waitForText(popup, '#job-status', 'Stopped.', 10_000);
    const atStop = (await children()).length;
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal((await children()).length, atStop, 'nothing is written after Stop');
    await fakes.control('POST', '/ai/pace', { tokensPerSecond: 0 });
    await popup.close();
    await fakes.control('POST', '/reset');
    await tab.close();
  });

  test('Improve the selection, then Try again, Discard, or Keep both', async () => {
    const page = seed.notion.pages.reading;
    const children = () => fakes.control('GET', `/notion/children?id=${page.id}`);
    const improved = '- [ ] Write the announcement today\n\n> Keep it simple, then make it fast.\n';
    const tab = await firefox.openTab(page.url);
    const before = shape(await children());
    const quote = before.indexOf('quote: Make it simple, then make it fast.');
    const withNew = [...before.slice(0, quote + 1), ...expected(improved), ...before.slice(quote + 1)];
    const improve = async () => {
      await fakes.control('POST', '/ai/answer', { text: improved });
      await selectInPage(tab, 'Write the announcement', { to: 'Make it simple' });
      const popup = await firefox.openPopup();
      await popup.waitForSelector('#act-improve', { visible: true });
      await popup.click('#act-improve');
      await popup.click('#opt-improve [data-style="fix"]');
      await waitForText(popup, '#job-status', 'Replace the original with it?', 20_000);
      assert.equal(await popup.$eval('#undo', (b) => b.hidden), true, 'no Undo before a replace');
      return popup;
    };
    let popup = await improve();
    const first = await popup.$eval('#job', (j) => j.dataset.jobId);
    await fakes.control('POST', '/ai/answer', { text: improved });
    await popup.click('#try-again');
    await popup.waitForFunction((id) => document.querySelector('#job').dataset.jobId !== id
      && document.querySelector('#job-status').textContent.includes('Replace the original'), { timeout: 20_000 }, first);
    assert.deepEqual(shape(await children()), withNew, 'one new version, not two');
    await popup.click('#discard');
    await waitForText(popup, '#job-status', 'Discarded.');
    assert.deepEqual(shape(await children()), before);
    await popup.close();

    popup = await improve();
    await popup.click('#keep-both');
    await waitForText(popup, '#job-status', 'Both versions stay in the page.');
    assert.deepEqual(shape(await children()), withNew);
    await popup.close();
    await fakes.control('POST', '/reset');
    await tab.close();
  });

  test('an integration’s unconnected page shows the connect steps, and Check again finds it once connected', async () => {
    const page = seed.notion.pages.unconnected;
    const tab = await firefox.openTab(page.url);
    const popup = await firefox.openPopup();
    await waitForText(popup, '#connect-steps', `Search for “${seed.notion.botName}”`);
    assert.equal(await popup.$eval('#check-again', (b) => !b.hidden && b.classList.contains('primary')), true, 'Check again is the main action');
    await popup.click('#check-again');
    await waitForText(popup, '#connect-steps', 'Click Confirm');
    await fakes.control('POST', '/notion/seed', { pages: [{ id: page.id, title: page.title, connected: [seed.notion.botName] }] });
    await popup.click('#check-again');
    await popup.waitForSelector('#prompt', { visible: true });
    await waitForText(popup, '#status', `Visen can open “${page.title}” now.`);
    await popup.close();
    await fakes.control('POST', '/reset');
    await tab.close();
  });

  test('a first-time person with a personal token: four clicks from the icon to an answer in a page no integration is connected to', async () => {
    const page = seed.notion.pages.unconnected;
    const before = (await fakes.control('GET', `/notion/children?id=${page.id}`)).length;
    await fakes.control('POST', '/ai/answer', { text: '## From a token\n\nIt just works.\n' });
    await firefox.openTab(page.url);
    let popup = await firefox.openPopup();
    await popup.evaluate(() => chrome.storage.local.clear());
    await popup.close();
    popup = await firefox.openPopup(); // 1: the icon
    const focusIs = (id) => popup.waitForFunction((want) => document.activeElement?.id === want, {}, id);
    await popup.waitForSelector('#welcome', { visible: true });
    await popup.click('#welcome-start'); // 2
    await focusIs('notion-secret');
    await paste(popup, '#notion-secret', seed.notion.personalToken);
    await focusIs('api-key');
    await waitForText(popup, '#step-notion-summary', seed.notion.person);
    assert.doesNotMatch(await popup.evaluate(() => document.body.innerText), /connect/i);
    await paste(popup, '#api-key', seed.ai.key);
    await popup.click('#save'); // 3
    await focusIs('prompt');
    await waitForText(popup, '#target-title', page.title);
    await popup.type('#prompt', 'a note');
    await popup.click('#generate'); // 4
    await waitForText(popup, '#job-status', `Added at the end of ${page.title}.`, 20_000);
    assert.doesNotMatch(await popup.evaluate(() => document.body.innerText), /connect/i);
    const after = await fakes.control('GET', `/notion/children?id=${page.id}`);
    assert.deepEqual(after.slice(before).map((b) => b.type), ['heading_2', 'paragraph']);
    await popup.close();
  });

  test('neither secret is logged', async () => {
    await firefox.evalInBackground(`console.info('background console is collected');`);
    const log = firefox.consoleLines.join('\n');
    assert.ok(!log.includes(seed.notion.secret));
    assert.ok(!log.includes(seed.notion.personalToken));
    assert.ok(!log.includes(seed.ai.key));
    assert.match(log, /background console is collected/, 'the background console is read');
  });
});
