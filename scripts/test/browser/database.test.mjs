// A Notion database in Chromium: the real popup on a database tab makes a
// new page from a prompt, and runs a {{Property}} template over ticked rows
// into their page bodies or a text property, against the fake Notion and
// the fake model (which answers "Answer to: <the prompt it got>").
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { assertSecretsStayPut, fill, isShown, openDatabaseView, openHistory, plain, setRowsAtOnce, setUp, startChromium, textOf, waitForText } from './harness.mjs';

const ECHO = 'Answer to: {{prompt}}';

describe('Chromium: a database', () => {
  let fakes;
  let chrome;
  let seed;
  let db;
  let tab;

  const children = (id) => fakes.control('GET', `/notion/children?id=${id}`);
  const page = (id) => fakes.control('GET', `/notion/page?id=${id}`);
  const bodyText = async (id) => (await children(id)).map((b) => plain(b[b.type]?.rich_text)).join('\n');
  const row = (title) => db.rows.find((r) => r.title === title);

  before(async () => {
    ({ fakes, seed, chrome } = await startChromium());
    db = seed.notion.databases.calendar;
    tab = await chrome.openTab(db.url);
    await setUp(chrome, seed, { ready: '#db' });
  });

  after(async () => {
    await chrome?.close();
    await fakes?.stop();
  });

  beforeEach(async () => {
    await fakes.control('POST', '/ai/config', { answer: ECHO, tokensPerSecond: 0 });
  });

  // Opens the popup over the database, on the database view in `mode`.
  async function openDatabase(mode = 'new') {
    const popup = await openDatabaseView(chrome, tab);
    if (mode) await popup.click(mode === 'fill' ? '#tab-fill' : '#tab-new');
    return popup;
  }

  async function openFill() {
    const popup = await openDatabase('fill');
    try {
      await popup.waitForSelector('#rows li', { visible: true, timeout: 10_000 });
    } catch (err) {
      throw new Error(`no rows listed; the list says “${await textOf(popup, '#rows-state')}”`, { cause: err });
    }
    return popup;
  }

  async function tick(popup, titles) {
    for (const title of titles) {
      const id = row(title).id;
      await popup.waitForSelector(`#rows li[data-id="${id}"]`, { visible: true, timeout: 10_000 });
      await popup.click(`#rows li[data-id="${id}"]`);
    }
  }

  async function runStatuses(popup) {
    return popup.$$eval('#run-rows li', (lis) => Object.fromEntries(lis.map((li) => [li.querySelector('.row-title').textContent, li.dataset.status])));
  }

  test('the popup names the database, lists its properties and offers both modes', async () => {
    const popup = await openDatabase(null);
    await waitForText(popup, '#target-title', db.title);
    assert.match(await textOf(popup, '#target-kind'), /database/i);
    assert.equal(await popup.$eval('#tab-new', (b) => b.getAttribute('aria-selected')), 'true');
    assert.equal(await popup.evaluate(() => document.activeElement?.id), 'np-prompt', 'the prompt comes first and has focus');
    // Properties that read as text are chips; the rest are under More….
    await popup.click('#tab-fill');
    // Fill rows reads in order: the prompt, then the rows, then where to write.
    await popup.waitForSelector('#rows li', { visible: true, timeout: 10_000 });
    const tops = await popup.evaluate(() => ['#fill-template', '#rows', '#out-body'].map((s) => document.querySelector(s).getBoundingClientRect().top));
    assert.deepEqual([...tops].sort((a, b) => a - b), tops, `in order: ${tops.join(', ')}`);
    const chips = await popup.$$eval('#placeholders button', (els) => els.map((e) => e.textContent));
    const more = await popup.$$eval('#more-placeholders option', (els) => els.map((e) => e.value).filter(Boolean));
    for (const name of ['Name', 'Topic', 'Status', 'Channel', 'Publish date', 'Ready', 'Summary']) assert.ok(chips.includes(name), `offers ${name}`);
    for (const name of ['Phone', 'Related']) assert.ok(more.includes(name) && !chips.includes(name), `${name} is under More…`);
    await popup.click('#tab-new');
    await popup.click('#np-props-box summary');
    // Simple properties can be set for a new page.
    const settable = await popup.$$eval('#np-props [data-prop]', (els) => els.map((e) => `${e.dataset.prop}:${e.dataset.type}`));
    assert.deepEqual(settable.sort(), ['Channel:select', 'Publish date:date', 'Ready:checkbox', 'Status:status']);
    // A checkbox property sits in one row with its name, drawn as every
    // other checkbox of the popup.
    const [box, label, selectAll] = await popup.evaluate(() => {
      const look = (el) => { const s = getComputedStyle(el); return [s.width, s.height, s.borderTopWidth, s.borderRadius, s.appearance].join(' '); };
      const ready = document.querySelector('#np-props [data-prop="Ready"]');
      return [look(ready), ready.closest('label')?.textContent.trim(), look(document.querySelector('#select-all'))];
    });
    assert.equal(label, 'Ready');
    assert.equal(box, selectAll);
    await popup.close();
  });

  test('New page: the generated text becomes a page of the database, titled by its first heading, with the chosen properties', async () => {
    await fakes.control('POST', '/ai/answer', { text: '# Spring launch recap\n\nWe shipped **three** features.\n\n- Faster sync\n- Dark mode\n' });
    const popup = await openDatabase();
    await popup.$eval('#np-props-box', (d) => { d.open = true; });
    await popup.select('#np-props [data-prop="Channel"]', 'Newsletter');
    await popup.click('#np-props [data-prop="Ready"]');
    await popup.$eval('#np-props [data-prop="Publish date"]', (el) => { el.value = '2026-12-01'; });
    await fill(popup, '#np-prompt', 'A recap of the spring launch');
    await popup.click('#np-generate');
    await waitForText(popup, '#job-status', `Created “Spring launch recap” in ${db.title}.`, 20_000);
    const href = await popup.$eval('#open-page', (a) => (a.hidden ? '' : a.href));
    const id = href.match(/[0-9a-f]{32}/)?.[0];
    assert.ok(id, `links the new page: ${href}`);
    const created = await page(id);
    assert.equal(created.parent.database_id, db.id);
    assert.equal(plain(created.properties.Name.title), 'Spring launch recap');
    assert.equal(created.properties.Channel.select.name, 'Newsletter');
    assert.equal(created.properties.Ready.checkbox, true);
    assert.equal(created.properties['Publish date'].date.start, '2026-12-01');
    assert.equal(await bodyText(id), 'We shipped three features.\nFaster sync\nDark mode', 'the heading is the title, not repeated in the body');
    await popup.close();
  });

  test('Fill rows into the body: search, tick, preview, run', async () => {
    const popup = await openFill();
    await fill(popup, '#row-search', 'Pricing');
    await popup.waitForFunction((id) => {
      const lis = [...document.querySelectorAll('#rows li')];
      return lis.length === 1 && lis[0].dataset.id === id;
    }, { timeout: 10_000 }, row('Pricing FAQ').id);
    await tick(popup, ['Pricing FAQ']);
    await popup.click('#row-search', { clickCount: 3 });
    await popup.keyboard.press('Backspace');
    await popup.waitForFunction(() => document.querySelectorAll('#rows li').length > 1, { timeout: 10_000 });
    await tick(popup, ['Launch post']);
    await fill(popup, '#fill-template', 'Write about {{Topic}} for {{Channel}} readers.');
    const topicOf = async (title) => plain((await page(row(title).id)).properties.Topic.rich_text);
    const channelOf = async (title) => (await page(row(title).id)).properties.Channel.select?.name ?? '';
    const firstPrompt = `Write about ${await topicOf('Launch post')} for ${await channelOf('Launch post')} readers.`;
    const visibleOrder = await popup.$$eval('#rows li', (lis) => lis.map((li) => li.dataset.id));
    const first = visibleOrder.indexOf(row('Launch post').id) < visibleOrder.indexOf(row('Pricing FAQ').id) ? 'Launch post' : 'Pricing FAQ';
    const expectPrompt = first === 'Launch post' ? firstPrompt : `Write about ${await topicOf('Pricing FAQ')} for ${await channelOf('Pricing FAQ')} readers.`;
    await waitForText(popup, '#fill-preview', expectPrompt);
    assert.equal(await textOf(popup, '#fill-run'), 'Fill 2 rows → page content', 'the button says where the answers go');
    const before = { launch: (await children(row('Launch post').id)).length, pricing: (await children(row('Pricing FAQ').id)).length };
    await popup.click('#fill-run');
    await waitForText(popup, '#run-status', 'Done. 2 of 2 rows written.', 30_000);
    assert.deepEqual(await runStatuses(popup), { 'Pricing FAQ': 'written', 'Launch post': 'written' });
    assert.equal(await isShown(popup, '#run-counts'), false, 'a run with every row written says so once');
    const launch = await children(row('Launch post').id);
    assert.equal(launch.length, before.launch + 1);
    assert.equal(plain(launch.at(-1).paragraph.rich_text), `Answer to: ${firstPrompt}`);
    assert.equal((await children(row('Pricing FAQ').id)).length, before.pricing + 1);
    await popup.close();
  });

  test('a mistyped placeholder is named before anything runs', async () => {
    const popup = await openFill();
    await tick(popup, ['Launch post']);
    await fill(popup, '#fill-template', 'Write about {{Topc}}.');
    await waitForText(popup, '#fill-template-error', '{{Topic}}');
    const requestsBefore = (await fakes.control('GET', '/requests')).ai.length;
    await popup.click('#fill-run');
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(await popup.$eval('#run', (el) => el.hidden), 'no run starts');
    assert.equal((await fakes.control('GET', '/requests')).ai.length, requestsBefore);
    await fill(popup, '#fill-template', '');
    await popup.close();
  });

  test('Fill rows into a text property', async () => {
    await fakes.control('POST', '/ai/config', { answer: 'Summary: {{prompt}}' });
    const popup = await openFill();
    await tick(popup, ['Launch post', 'Pricing FAQ']);
    await fill(popup, '#fill-template', 'Summarise {{Name}} in one line.');
    await popup.click('#out-property');
    await popup.select('#out-property-name', 'Summary');
    assert.equal(await textOf(popup, '#fill-run'), 'Fill 2 rows → Summary');
    const before = (await children(row('Launch post').id)).length;
    await popup.click('#fill-run');
    await waitForText(popup, '#run-status', 'Done.', 30_000);
    assert.equal(plain((await page(row('Launch post').id)).properties.Summary.rich_text), 'Summary: Summarise Launch post in one line.');
    assert.equal(plain((await page(row('Pricing FAQ').id)).properties.Summary.rich_text), 'Summary: Summarise Pricing FAQ in one line.');
    assert.equal((await children(row('Launch post').id)).length, before, 'the body is left alone');
    await popup.close();
  });

  test('one row failing does not stop the others', async () => {
    const broken = row('Broken row');
    await fakes.control('POST', '/notion/fault', { method: 'PATCH', pathPrefix: `/v1/blocks/${broken.id}/children`, status: 404 });
    const popup = await openFill();
    await tick(popup, ['Launch post', 'Broken row', 'Pricing FAQ']);
    await fill(popup, '#fill-template', 'One line on {{Name}}.');
    await popup.click('#out-body');
    const before = (await children(row('Pricing FAQ').id)).length;
    await popup.click('#fill-run');
    await waitForText(popup, '#run-status', 'Done.', 30_000);
    const statuses = await runStatuses(popup);
    assert.deepEqual(statuses, { 'Launch post': 'written', 'Broken row': 'failed', 'Pricing FAQ': 'written' });
    const reason = await popup.$eval(`#run-rows li[data-id="${broken.id}"] .reason`, (el) => el.textContent);
    assert.match(reason, /could not find this row/);
    assert.equal((await children(row('Pricing FAQ').id)).length, before + 1);
    assert.match(await textOf(popup, '#run-counts'), /2 written · 1 failed/);
    // Retrying the failed row writes it, once.
    await popup.click('#run-resume');
    await popup.waitForFunction((id) => document.querySelector(`#run-rows li[data-id="${id}"]`)?.dataset.status === 'written', { timeout: 20_000 }, broken.id);
    assert.equal(await bodyText(broken.id), 'Answer to: One line on Broken row.');
    assert.equal((await children(row('Pricing FAQ').id)).length, before + 1, 'written rows are not redone');
    await popup.close();
  });

  test('cancel, then resume: every row is written exactly once', async () => {
    const titles = db.rows.slice(0, 5).map((r) => r.title);
    const counts = {};
    for (const t of titles) counts[t] = (await children(row(t).id)).length;
    await fakes.control('POST', '/ai/config', { answer: `${ECHO}\n\nSecond paragraph with more words to stream slowly.`, tokensPerSecond: 12 });
    // Two rows at a time, so that some are written and some wait when
    // the run is cancelled.
    await setRowsAtOnce(chrome, tab, 2);
    let popup = await openFill();
    await popup.click('#select-all');
    // Select all loads every page of rows and ticks them: twelve seeded,
    // and the page made earlier.
    await popup.waitForFunction(() => {
      const boxes = [...document.querySelectorAll('#rows li')];
      return boxes.length >= 12 && boxes.every((b) => b.getAttribute('aria-selected') === 'true') && document.querySelector('#rows-more').hidden
        && document.querySelector('#fill-run').textContent === `Fill ${boxes.length} rows → page content`;
    }, { timeout: 10_000 });
    await popup.click('#select-all');
    await tick(popup, titles);
    await fill(popup, '#fill-template', 'Two paragraphs on {{Name}}.');
    await popup.click('#fill-run');
    await popup.waitForSelector('#run-rows li[data-status="written"]', { timeout: 30_000 });
    // The popup may close: the run goes on in the background.
    await popup.close();
    popup = await chrome.openPopup();
    await popup.waitForSelector('#run', { visible: true, timeout: 10_000 });
    await popup.click('#run-cancel');
    await waitForText(popup, '#run-status', 'Stopped.', 15_000);
    const stopped = await runStatuses(popup);
    assert.ok(Object.values(stopped).includes('waiting'), `some rows are left: ${JSON.stringify(stopped)}`);
    await fakes.control('POST', '/ai/pace', { tokensPerSecond: 0 });
    await popup.click('#run-resume');
    await waitForText(popup, '#run-status', 'Done.', 30_000);
    for (const t of titles) {
      const kids = await children(row(t).id);
      assert.equal(kids.length, counts[t] + 2, `${t} has its answer once`);
      assert.equal(plain(kids.at(-2).paragraph.rich_text), `Answer to: Two paragraphs on ${t}.`);
    }
    // The run is in the history.
    assert.equal(await textOf(popup, '#run-new'), 'Fill more rows');
    await popup.click('#run-new');
    await openHistory(popup);
    const items = await popup.$$eval('#history-list li', (lis) => lis.map((li) => li.textContent));
    assert.ok(items.some((t) => t.includes('fill rows') && t.includes('5 of 5 rows written')), items.join(' | '));
    await popup.close();
    await setRowsAtOnce(chrome, tab, 8);
  });

  test('Replace removes what Visen wrote in a row last time', async () => {
    const target = row('Customer story');
    const run = async (template, replace) => {
      const popup = await openFill();
      await tick(popup, ['Customer story']);
      await fill(popup, '#fill-template', template);
      await popup.click('#out-body');
      if (replace !== (await popup.$eval('#out-replace', (b) => b.checked))) await popup.click('#out-replace');
      await popup.click('#fill-run');
      await waitForText(popup, '#run-status', 'Done.', 30_000);
      await popup.close();
    };
    const before = await bodyText(target.id);
    await run('First take on {{Name}}.', false);
    await run('Second take on {{Name}}.', true);
    const after = await bodyText(target.id);
    assert.equal(after, [before, 'Answer to: Second take on Customer story.'].filter(Boolean).join('\n'), 'the first answer is gone, and the page keeps its own text');
  });

  test('rows come a page at a time, filter by a property, and Select all ticks every match', async () => {
    const extra = Array.from({ length: 30 }, (_, i) => ({
      id: `9c${String(i).padStart(30, '0')}`, title: `Extra idea ${i + 1}`, parent: db.id, connected: [],
      properties: { Channel: { select: { name: i % 3 === 0 ? 'Social' : 'Blog' } } },
    }));
    await fakes.control('POST', '/notion/seed', { pages: extra });
    const popup = await openFill();
    await fill(popup, '#row-search', 'Extra idea');
    const listed = (n, more) => popup.waitForFunction((n, more) => {
      const labels = [...document.querySelectorAll('#rows li .row-name')];
      return labels.length === n && labels.every((l) => l.textContent.startsWith('Extra idea')) && document.querySelector('#rows-more').hidden === !more;
    }, { timeout: 10_000 }, n, more);
    await listed(25, true);
    await popup.click('#rows-more');
    await listed(30, false);

    await popup.select('#row-filter-prop', 'Channel');
    await popup.select('#row-filter-choice', 'Social');
    await popup.waitForFunction(() => document.querySelectorAll('#rows li').length === 10, { timeout: 10_000 });
    const titles = await popup.$$eval('#rows li .row-name', (ls) => ls.map((l) => l.textContent));
    assert.ok(titles.every((t) => t.startsWith('Extra idea')), titles.join(', '));

    await popup.select('#row-filter-prop', '');
    await popup.waitForFunction(() => document.querySelectorAll('#rows li').length === 25, { timeout: 10_000 });
    await popup.click('#select-all');
    await waitForText(popup, '#fill-run', 'Fill 30 rows → page content');
    assert.equal(await popup.$$eval('#rows li[aria-selected="true"]', (b) => b.length), 30);
    await popup.close();
  });

  test('the secret and key go only to their hosts, nothing is logged, and the extension shows no errors', async () => {
    await assertSecretsStayPut(fakes, seed, chrome.consoleLines);
    assert.deepEqual(await chrome.extensionReport(), { installWarnings: [], manifestErrors: [], runtimeErrors: [] });
  });
});
