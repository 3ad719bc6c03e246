// Filling rows exactly once, in Chromium: the browser closes while rows
// are being written, at one row at a time and at eight; after a restart,
// Retry in the history finishes the run, and every ticked row's page holds
// its answer once, as the fake Notion shows it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { launchChromium } from '../../browser/chromium.mjs';
import { DIST, assertSecretsStayPut, expected, fill, openHistory, plain, setRowsAtOnce, setUp, shape, startChromium, textOf, until } from './harness.mjs';

// Each answer is six blocks in three appends: its list nests deeper than
// one request carries.
const ANSWER = '# Answer to: {{prompt}}\n\n- one\n  - two\n    - three\n      - four\n\nEnd.\n';
const TEMPLATE = 'Write about {{Topic}}.';
const ROWS = ['Launch post', 'Pricing FAQ', 'Writing tips', 'AI roundup', 'Customer story', 'Release notes', 'Webinar invite', 'Hiring post'];

describe('Chromium: a Fill run stopped by the browser closing is retried with each answer once', () => {
  let fakes;
  let chrome;
  let seed;
  let db;
  const consoleLines = [];
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'visen-fill-retry-'));
  const children = (id) => fakes.control('GET', `/notion/children?id=${id}`);
  const row = (title) => db.rows.find((r) => r.title === title);
  const relaunch = async () => {
    chrome = await launchChromium({ extensionDir: DIST('chrome'), tlsPort: fakes.ports.tls, userDataDir: profile });
    return chrome.openTab(db.url);
  };

  before(async () => {
    ({ fakes, seed, chrome } = await startChromium({ userDataDir: profile }));
    db = seed.notion.databases.calendar;
    await chrome.openTab(db.url);
    await setUp(chrome, seed, { ready: '#db' });
  });

  after(async () => {
    consoleLines.push(...(chrome?.consoleLines ?? []));
    await chrome?.close();
    await fakes?.stop();
    fs.rmSync(profile, { recursive: true, force: true });
  });

  for (const [atOnce, titles] of [[1, ROWS.slice(0, 3)], [8, ROWS]]) {
    test(`${atOnce} row${atOnce > 1 ? 's' : ''} at once`, async () => {
      let tab = (await chrome.browser.pages()).find((p) => p.url() === db.url) ?? (await chrome.openTab(db.url));
      await setRowsAtOnce(chrome, tab, atOnce);

      const topics = {};
      const before = {};
      for (const title of titles) {
        const page = await fakes.control('GET', `/notion/page?id=${row(title).id}`);
        topics[title] = plain(page.properties.Topic.rich_text);
        before[title] = (await children(row(title).id)).length;
      }
      // The model streams, and Notion takes its time over every append,
      // so the browser closes with rows half written.
      await fakes.control('POST', '/ai/config', { answer: ANSWER, tokensPerSecond: 200 });
      await fakes.control('POST', '/notion/fault', { method: 'PATCH', pathPrefix: '/v1/blocks/', delayMs: 400, times: 3 * titles.length });

      let popup = await chrome.openPopup();
      await popup.waitForSelector('#db', { visible: true, timeout: 10_000 });
      await popup.click('#tab-fill');
      await popup.waitForSelector('#rows li', { visible: true, timeout: 10_000 });
      for (const title of titles) {
        await popup.waitForSelector(`#rows li[data-id="${row(title).id}"]`, { visible: true, timeout: 10_000 });
        await popup.click(`#rows li[data-id="${row(title).id}"]`);
      }
      await fill(popup, '#fill-template', TEMPLATE);
      assert.equal(await textOf(popup, '#fill-run'), `Fill ${titles.length} rows → page content`);
      await popup.click('#fill-run');

      // Some row has its first append in, and not yet its last: its six
      // blocks go in three appends.
      const written = async () => Promise.all(titles.map(async (t) => shape((await children(row(t).id)).slice(before[t])).length));
      await until(async () => (await written()).some((n) => n > 0 && n < 6), 60_000, 'a row half written');
      await chrome.close();
      const halfWay = await written();
      assert.ok(halfWay.some((n) => n < 6), `blocks written in each row: ${halfWay}`);

      // The browser opens again; the run is in the history, to retry.
      await fakes.control('POST', '/ai/config', { tokensPerSecond: 0 });
      tab = await relaunch();
      await tab.bringToFront();
      popup = await chrome.openPopup();
      await openHistory(popup);
      const retry = await popup.waitForSelector(`#history-list li button[aria-label^="Retry “${TEMPLATE}"]`, { timeout: 10_000 });
      await retry.click();
      await until(
        async () => (await chrome.worker().then((w) => w.evaluate(async () => Object.values(await chrome.storage.local.get(null)).filter((j) => j?.kind === 'fill').map((j) => j.status)))).every((s) => s === 'done'),
        60_000, 'the run to finish',
      );
      await popup.close();

      for (const title of titles) {
        const want = expected(ANSWER.replace('{{prompt}}', `Write about ${topics[title]}.`));
        const got = shape((await children(row(title).id)).slice(before[title]));
        assert.deepEqual(got, want, `${title}: its answer, once`);
      }
    });
  }

  test('the background logged no secret', async () => {
    consoleLines.push(...chrome.consoleLines);
    await assertSecretsStayPut(fakes, seed, consoleLines);
  });
});
