// Today's Notion API in Chromium: a database of two data sources, where the
// real popup picks the view's own source and New page and Fill rows work on
// the one chosen; a page written with #### headings, as heading_4 or, where
// the workspace refuses it, as heading_3; and a custom provider over plain
// http:// to another computer, refused before any key is sent.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { fill, isShown, openComposer, openDatabaseView, openSettings, plain, setUp, startChromium, textOf, waitForText } from './harness.mjs';

const hex = (id) => id.replaceAll('-', '');
const LIBRARY = 'a13e0000-0000-4000-8000-000000000001';
const BOOKS = 'a13e0000-0000-4000-8000-0000000000b1';
const PAPERS = 'a13e0000-0000-4000-8000-0000000000b2';
const PAPERS_VIEW = 'a13e0000-0000-4000-8000-0000000000f2';
const PAPER_ROW = 'a13e0000-0000-4000-8000-0000000000c2';
const HEADINGS_PAGE = 'a13e0000-0000-4000-8000-0000000000d1';

describe('Chromium: today’s Notion API', () => {
  let fakes;
  let chrome;
  let seed;

  const children = (id) => fakes.control('GET', `/notion/children?id=${id}`);
  const page = (id) => fakes.control('GET', `/notion/page?id=${id}`);

  before(async () => {
    ({ fakes, seed, chrome } = await startChromium());
    const tab = await chrome.openTab(seed.notion.pages.connected.url);
    await setUp(chrome, seed);
    await tab.close();
  });

  after(async () => {
    await chrome?.close();
    await fakes?.stop();
  });

  beforeEach(async () => {
    await fakes.control('POST', '/reset');
    await fakes.control('POST', '/notion/seed', {
      databases: [{
        id: LIBRARY, title: 'Library', connected: [seed.notion.botName], dataSources: [
          { id: BOOKS, name: 'Books', properties: [{ name: 'Name', type: 'title' }, { name: 'Author', type: 'rich_text' }] },
          { id: PAPERS, name: 'Papers', views: [PAPERS_VIEW], properties: [{ name: 'Name', type: 'title' }, { name: 'Summary', type: 'rich_text' }] },
        ],
      }],
      pages: [
        { id: 'a13e0000-0000-4000-8000-0000000000c1', title: 'Dune', parent: BOOKS },
        { id: PAPER_ROW, title: 'Attention', parent: PAPERS },
        { id: HEADINGS_PAGE, title: 'Headings', connected: [seed.notion.botName] },
      ],
    });
    await fakes.control('POST', '/ai/config', { answer: 'Answer to: {{prompt}}', tokensPerSecond: 0 });
  });

  // Opens the popup over the Papers view of the Library.
  async function openLibrary() {
    const tab = await chrome.openTab(`https://www.notion.so/Library-${hex(LIBRARY)}?v=${hex(PAPERS_VIEW)}`);
    return { tab, popup: await openDatabaseView(chrome, tab) };
  }

  // The properties the popup offers as placeholders: chips, then More….
  const propNames = (popup) => popup.evaluate(() => [
    ...[...document.querySelectorAll('#placeholders button')].map((e) => e.textContent),
    ...[...document.querySelectorAll('#more-placeholders option')].map((e) => e.value).filter(Boolean),
  ]);

  test('a database of two sources starts on the view’s own; the picker switches properties and rows', async () => {
    const { tab, popup } = await openLibrary();
    assert.ok(await isShown(popup, '#db-source'), 'the picker is shown');
    assert.deepEqual(await popup.$$eval('#db-source option', (os) => os.map((o) => o.textContent)), ['Books', 'Papers']);
    assert.equal(await popup.$eval('#db-source', (s) => s.value), PAPERS);
    assert.deepEqual(await propNames(popup), ['Name', 'Summary']);

    await popup.select('#db-source', BOOKS);
    await popup.waitForFunction(() => [...document.querySelectorAll('#placeholders button')].some((e) => e.textContent === 'Author'), { timeout: 10_000 });
    await popup.click('#tab-fill');
    await popup.waitForFunction(() => [...document.querySelectorAll('#rows li')].map((li) => li.textContent).join('|').includes('Dune'), { timeout: 10_000 });
    assert.doesNotMatch(await textOf(popup, '#rows'), /Attention/, 'only Books’ rows');
    const versions = (await fakes.control('GET', '/requests')).notion
      .filter((r) => /\/v1\/(databases|data_sources|views)\//.test(r.path))
      .map((r) => r.header['Notion-Version']?.[0]);
    assert.ok(versions.length > 0 && versions.every((v) => v === '2025-09-03'), `database calls on 2025-09-03: ${versions}`);
    await popup.close();
    await tab.close();
  });

  test('Fill rows on the chosen source', async () => {
    const { tab, popup } = await openLibrary();
    await popup.click('#tab-fill');
    await popup.waitForSelector(`#rows li[data-id="${PAPER_ROW}"]`, { visible: true, timeout: 10_000 });
    await popup.click(`#rows li[data-id="${PAPER_ROW}"]`);
    await fill(popup, '#fill-template', 'Summarise {{Name}}.');
    await popup.click('#out-property');
    await popup.select('#out-property-name', 'Summary');
    await popup.click('#fill-run');
    await waitForText(popup, '#run-status', 'Done.', 30_000);
    const status = await popup.$eval(`#run-rows li[data-id="${PAPER_ROW}"]`, (li) => `${li.dataset.status} ${li.querySelector('.reason')?.textContent ?? ''}`);
    assert.equal(status.trim(), 'written');
    assert.equal(plain((await page(PAPER_ROW)).properties.Summary.rich_text), 'Answer to: Summarise Attention.');
    await popup.close();
    await tab.close();
  });

  test('New page on the chosen source', async () => {
    await fakes.control('POST', '/ai/answer', { text: '# Transformers\n\nAttention is all you need.\n' });
    const { tab, popup } = await openLibrary();
    await popup.click('#tab-new');
    await fill(popup, '#np-prompt', 'A paper');
    await popup.click('#np-generate');
    await waitForText(popup, '#job-status', 'Created “Transformers”', 20_000);
    const href = await popup.$eval('#open-page', (a) => (a.hidden ? '' : a.href));
    const id = href.match(/[0-9a-f]{32}/)?.[0];
    assert.ok(id, `links the new page: ${href}`);
    const made = await page(id);
    assert.deepEqual(made.parent, { type: 'data_source_id', data_source_id: PAPERS, database_id: LIBRARY });
    assert.equal(plain(made.properties.Name.title), 'Transformers');
    assert.equal(plain((await children(id))[0].paragraph.rich_text), 'Attention is all you need.');
    await popup.close();
    await tab.close();
  });

  // Generates an answer with #### headings into the Headings page.
  async function writeHeadings() {
    await fakes.control('POST', '/ai/answer', { text: '#### Step one\n\nMix.\n\n##### Detail\n\nStir.\n' });
    const tab = await chrome.openTab(`https://www.notion.so/Headings-${hex(HEADINGS_PAGE)}`);
    const popup = await openComposer(chrome, tab);
    await fill(popup, '#prompt', 'A recipe');
    await popup.click('#generate');
    await waitForText(popup, '#job-status', 'Added at the end', 20_000);
    const blocks = (await children(HEADINGS_PAGE)).map((b) => `${b.type}: ${plain(b[b.type].rich_text)}`);
    const status = await textOf(popup, '#job-status');
    await popup.close();
    await tab.close();
    return { blocks, status };
  }

  test('#### headings become heading_4', async () => {
    const { blocks } = await writeHeadings();
    assert.deepEqual(blocks, ['heading_4: Step one', 'paragraph: Mix.', 'heading_4: Detail', 'paragraph: Stir.']);
  });

  test('a workspace refusing heading_4 gets heading_3, with no text lost and no error', async () => {
    await fakes.control('POST', '/notion/refuse', { types: ['heading_4'] });
    const { blocks, status } = await writeHeadings();
    assert.deepEqual(blocks, ['heading_3: Step one', 'paragraph: Mix.', 'heading_3: Detail', 'paragraph: Stir.']);
    assert.equal(status, 'Added at the end of Headings.');
  });

  test('a custom provider over http:// to another computer is refused with the reason', async () => {
    const tab = await chrome.openTab(`https://www.notion.so/Headings-${hex(HEADINGS_PAGE)}`);
    const popup = await chrome.openPopup();
    await openSettings(popup);
    await popup.select('#provider', 'custom');
    await popup.$eval('#base-url', (el) => el.closest('details')?.setAttribute('open', ''));
    await fill(popup, '#base-url', 'http://llm.example.com/v1');
    await fill(popup, '#model', 'local-model');
    await popup.click('#save');
    await waitForText(popup, '#base-url-error', 'Use https:// for this host');
    assert.match(await textOf(popup, '#base-url-error'), /http:\/\/ is only for this computer/);
    assert.ok(await isShown(popup, '#settings'), 'Settings stay open');
    const stored = await popup.evaluate(() => chrome.storage.local.get('settings'));
    assert.equal(stored.settings.provider, 'openai', 'nothing is saved');
    await popup.close();
    await tab.close();
  });
});
