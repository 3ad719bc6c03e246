// Exactly once, whatever happens, in Chromium: the browser's storage fills
// up in the middle of a job, so the history stops being saved; the person is
// told, the page is written all the same; after a browser restart, Retry
// finishes from the stale history with no block on the page twice.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { launchChromium } from '../../browser/chromium.mjs';
import { DIST, assertSecretsStayPut, expected, fill, openHistory, setUp, shape, startChromium, until, waitForText } from './harness.mjs';

// Paragraphs alike, so a read-back that matched by text alone would take
// one for another.
const PARAGRAPHS = ['Same.', 'Same.', 'Same.', ...Array.from({ length: 45 }, (_, i) => `Paragraph ${i + 1} of the long answer, with a few words more.`)];
const ANSWER = PARAGRAPHS.join('\n\n') + '\n';

describe('Chromium: exactly once through a full storage and a restart', () => {
  let fakes;
  let chrome;
  let seed;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'visen-exactly-once-'));
  const consoleLines = [];
  const pageChildren = async () => fakes.control('GET', `/notion/children?id=${seed.notion.pages.connected.id}`);
  const relaunch = async () => {
    chrome = await launchChromium({ extensionDir: DIST('chrome'), tlsPort: fakes.ports.tls, userDataDir: profile });
  };
  const stored = (c) => c.worker().then((w) => w.evaluate(async () => Object.values(await chrome.storage.local.get(null)).filter((v) => v?.prompt === 'The long answer')));

  before(async () => {
    ({ fakes, seed, chrome } = await startChromium({ userDataDir: profile }));
    await chrome.openTab(seed.notion.pages.connected.url);
    await setUp(chrome, seed);
  });

  after(async () => {
    consoleLines.push(...(chrome?.consoleLines ?? []));
    await chrome?.close();
    await fakes?.stop();
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  test('storage fills mid-job; the person is told; after a restart Retry writes nothing twice', async () => {
    const before = (await pageChildren()).length;
    // A model at a real pace: about 60 tokens a second.
    await fakes.control('POST', '/ai/pace', { tokensPerSecond: 60 });
    // The model's answer, and its continuation of any draft of it on resume.
    await fakes.control('POST', '/ai/config', { answer: ANSWER });
    let popup = await chrome.openPopup();
    await popup.waitForSelector('#prompt', { visible: true, timeout: 10_000 });
    await fill(popup, '#prompt', 'The long answer');
    await popup.click('#generate');

    // Once some blocks are in the page, and saved with the job, the
    // browser's storage fills up (another extension page, a big draft).
    await until(async () => (await pageChildren()).length >= before + 3, 20_000, 'the first blocks');
    await until(async () => (await stored(chrome))[0]?.snapshot?.written?.length > 0, 10_000, 'a save with written blocks');
    const worker = await chrome.worker();
    await worker.evaluate(async () => {
      const free = chrome.storage.local.QUOTA_BYTES - (await chrome.storage.local.getBytesInUse(null));
      await chrome.storage.local.set({ filler: 'x'.repeat(free - 64) });
    });
    const savedAtFill = (await stored(chrome))[0];

    // The job goes on to the end, and the popup says the history could not
    // be saved.
    await popup.close();
    const want = expected(ANSWER);
    await until(async () => (await pageChildren()).length >= before + want.length, 60_000, 'the whole answer in the page');
    popup = await chrome.openPopup();
    await waitForText(popup, '#history-error', 'could not save its history', 10_000);
    await waitForText(popup, '#history-error', 'storage for Visen is full');
    await popup.close();
    const stale = (await stored(chrome))[0];
    assert.ok(stale.status !== 'done', 'the history kept a stale job');
    assert.ok(stale.snapshot.written.length < want.length, 'the stale job knows fewer blocks than the page holds');
    assert.equal(stale.snapshot.written.length, savedAtFill.snapshot.written.length);

    // The job's last save fails right after its last write: once the
    // background has logged no failed save for a while, the job is over.
    const failures = () => chrome.consoleLines.filter((l) => l.includes('saving the history failed')).length;
    let seen = -1;
    await until(async () => {
      const now = failures();
      const quiet = now === seen;
      seen = now;
      if (!quiet) await new Promise((r) => setTimeout(r, 1000));
      return quiet;
    }, 20_000, 'the job’s end');

    // The person frees some room, and the browser restarts.
    await worker.evaluate(() => chrome.storage.local.remove('filler'));
    consoleLines.push(...chrome.consoleLines);
    await chrome.close();
    await relaunch();
    const tab = await chrome.openTab(seed.notion.pages.connected.url);
    await tab.bringToFront();
    popup = await chrome.openPopup();
    await openHistory(popup);
    const resume = await popup.waitForSelector('#history-list li button[aria-label^="Retry “The long answer"]', { timeout: 10_000 });
    await resume.click();
    await popup.waitForFunction(
      () => [...document.querySelectorAll('#history-list li')].some((li) => li.textContent.includes('The long answer') && li.textContent.includes('Done')),
      { timeout: 60_000 },
    );
    assert.deepEqual(shape((await pageChildren()).slice(before)), want, 'every block once, in order');
    assert.equal(await popup.$eval('#history-error', (el) => el.hidden), true, 'the history saves again');

    // A finished job is not written again.
    const finished = (await stored(chrome))[0];
    const reply = await popup.evaluate((id) => chrome.runtime.sendMessage({ type: 'visen/retry', jobId: id }), finished.id);
    assert.equal(reply.ok, false);
    assert.equal(reply.error.code, 'finished');
    await popup.close();
    assert.deepEqual(shape((await pageChildren()).slice(before)), want);
  });

  test('a Cancel sent with the Generate stops the job, and a second Generate for the page is refused', async () => {
    const before = (await pageChildren()).length;
    await fakes.control('POST', '/ai/pace', { tokensPerSecond: 60 });
    const popup = await chrome.openPopup();
    const target = { id: seed.notion.pages.connected.id, kind: 'page', title: 'Quarterly Plan' };
    const [first, second] = await popup.evaluate(async (t) => {
      const send = (m) => chrome.runtime.sendMessage(m);
      const started = send({ type: 'visen/generate', target: t, prompt: 'Stop at once' });
      const again = send({ type: 'visen/generate', target: t, prompt: 'And again' });
      const { data } = await started;
      await send({ type: 'visen/cancel', jobId: data.jobId });
      return [await started, await again];
    }, target);
    assert.equal(first.ok, true);
    assert.equal(second.ok, false);
    assert.equal(second.error.code, 'busy');
    await until(async () => (await chrome.worker().then((w) => w.evaluate(async (id) => (await chrome.storage.local.get(`job:${id}`))[`job:${id}`]?.status, first.data.jobId))) === 'cancelled', 20_000, 'the job stopping');
    await popup.close();
    assert.equal((await pageChildren()).length, before, 'nothing written');
  });

  test('the background logged why saving failed, and no secret', async () => {
    consoleLines.push(...chrome.consoleLines);
    assert.ok(consoleLines.some((l) => l.includes('saving the history failed')), consoleLines.join('\n'));
    await assertSecretsStayPut(fakes, seed, consoleLines);
  });
});
