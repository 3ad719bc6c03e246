// The engine at real-world speed in Chromium: rows of a database filled
// several at once, footnotes written with nothing taken back, and a long
// answer streamed fast and finished whole, through the real popup, the real
// background and engine, the fake model and the fake Notion.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { ROOT, expected, fill, openComposer, plain, setUp, shape, startChromium, waitForText } from './harness.mjs';

// A chat answer of about `size` bytes: the converter's chat article, repeated.
function answerOf(size) {
  const article = readFileSync(path.join(ROOT, 'internal/convert/md2notion/testdata/21-chat-article.md'), 'utf8');
  let md = '';
  while (md.length < size) md += `${article}\n`;
  return md;
}

describe('Chromium: the engine at real-world speed', () => {
  let fakes;
  let chrome;
  let seed;

  const children = (id) => fakes.control('GET', `/notion/children?id=${id}`);
  // Every job in the history, one storage key each.
  const jobs = (popup) => popup.evaluate(async () => Object.entries(await chrome.storage.local.get(null))
    .filter(([k]) => k.startsWith('job:')).map(([, v]) => v));

  before(async () => {
    ({ fakes, seed, chrome } = await startChromium());
    await chrome.openTab(seed.notion.pages.connected.url);
    await setUp(chrome, seed);
  });

  after(async () => {
    await chrome?.close();
    await fakes?.stop();
  });

  // Writes a prompt into the page in front and presses Ctrl+Enter.
  async function generate(tab, prompt) {
    const popup = await openComposer(chrome, tab);
    await fill(popup, '#prompt', prompt);
    await popup.keyboard.down('Control');
    await popup.keyboard.press('Enter');
    await popup.keyboard.up('Control');
    return popup;
  }

  test('fill: eight rows generate at once, and every row is written once, in one request', async () => {
    const db = seed.notion.databases.calendar;
    const rows = db.rows.filter((r) => r.title !== 'Broken row').slice(0, 10);
    // Each answer takes at least 0.5 s to its first token and 1 s more.
    const words = 'word '.repeat(36).trim();
    await fakes.control('POST', '/ai/config', { answer: `Answer to: {{prompt}}\n\n${words}`, tokensPerSecond: 40, firstTokenMs: 500 });
    const minAnswerMs = 1500;
    const tab = await chrome.openTab(db.url);
    const popup = await chrome.openPopup();
    await popup.waitForSelector('#db', { visible: true, timeout: 10_000 });
    await popup.click('#tab-fill');
    for (const r of rows) {
      await popup.waitForSelector(`#rows li[data-id="${r.id}"]`, { visible: true, timeout: 10_000 });
      await popup.click(`#rows li[data-id="${r.id}"]`);
    }
    await fill(popup, '#fill-template', 'Speed test on {{Name}}.');
    const since = (await fakes.control('GET', '/requests')).ai.length;
    await popup.click('#fill-run');
    await waitForText(popup, '#run-status', 'Done.', 60_000);

    const chats = (await fakes.control('GET', '/requests')).ai.slice(since)
      .filter((r) => r.path.endsWith('/chat/completions'))
      .map((r) => Date.parse(r.time))
      .sort((a, b) => a - b);
    assert.equal(chats.length, rows.length, 'one answer a row');
    assert.ok(chats[7] - chats[0] < minAnswerMs, `the eighth row started ${chats[7] - chats[0]} ms after the first, before the first could finish`);
    assert.ok(chats[8] - chats[0] >= minAnswerMs, `the ninth row waited for a free place (${chats[8] - chats[0]} ms)`);

    const { notion } = await fakes.control('GET', '/requests');
    for (const r of rows) {
      const answers = (await children(r.id)).filter((b) => plain(b[b.type]?.rich_text).startsWith('Answer to: Speed test on'));
      assert.equal(answers.length, 1, `${r.title} has its answer once`);
      assert.equal(plain(answers[0].paragraph.rich_text), `Answer to: Speed test on ${r.title}.`);
      const appends = notion.filter((q) => q.method === 'PATCH' && q.path.replace(/-/g, '').includes(`${r.id.replace(/-/g, '')}/children`));
      assert.equal(appends.length, 1, `${r.title}'s answer is written in one request`);
    }
    const run = (await jobs(popup)).find((j) => j.kind === 'fill').run;
    assert.ok(run.rate > 0, `the run reports rows a minute (${run.rate})`);
    assert.equal(run.eta, 0, 'and nothing left at the end');
    await fakes.control('POST', '/ai/config', { tokensPerSecond: 0, firstTokenMs: 0 });
    await popup.close();
    await tab.close();
  });

  test('footnotes: the page gets each block once and nothing is deleted', async () => {
    const md = `# Tea\n\nGreen tea is steamed[^1] and black tea is oxidised[^2].\n\n## Brewing\n\n- Heat water\n- Steep\n  - three minutes\n\nEnjoy.\n\n[^1]: In Japan.\n[^2]: Fully.\n`;
    await fakes.control('POST', '/ai/config', { tokensPerSecond: 60 });
    await fakes.control('POST', '/ai/answer', { text: md });
    const page = seed.notion.pages.connected;
    const tab = await chrome.openTab(page.url);
    const start = (await children(page.id)).length;
    const since = (await fakes.control('GET', '/requests')).notion.length;
    const popup = await generate(tab, 'Tea with footnotes');
    await waitForText(popup, '#job-status', 'Added at the end', 30_000);
    const written = (await children(page.id)).slice(start);
    assert.deepEqual(shape(written), expected(md));
    const requests = (await fakes.control('GET', '/requests')).notion.slice(since);
    assert.deepEqual(requests.filter((r) => r.method === 'DELETE').map((r) => r.path), [], 'nothing goes to the trash');
    const job = (await jobs(popup)).find((j) => j.prompt === 'Tea with footnotes');
    const count = (bs) => bs.reduce((n, b) => n + 1 + count(b.children ?? []), 0);
    assert.equal(job.blocks, count(written), 'progress counts the blocks on the page');
    await fakes.control('POST', '/ai/config', { tokensPerSecond: 0 });
    await popup.close();
    await tab.close();
  });

  test('a 150 KB answer streamed fast finishes with all its text', async () => {
    const page = seed.notion.pages.connected;
    const tab = await chrome.openTab(page.url);
    const timings = {};
    for (const kb of [50, 150]) {
      const md = answerOf(kb * 1024);
      await fakes.control('POST', '/ai/answer', { text: md });
      const start = (await children(page.id)).length;
      const prompt = `A ${kb} KB answer`;
      const popup = await generate(tab, prompt);
      await waitForText(popup, '#job-status', 'Added at the end', 240_000);
      const job = (await jobs(popup)).find((j) => j.prompt === prompt);
      assert.equal(job.markdown, md, 'the job keeps the whole text');
      timings[kb] = (job.finishedAt - job.createdAt) / 1000;
      if (kb === 150) {
        assert.deepEqual(shape((await children(page.id)).slice(start)), expected(md));
      }
      await popup.close();
    }
    // A figure, not a test: the time should grow with the text, not its square.
    console.log(`streaming in Chromium: 50 KB ${timings[50].toFixed(1)} s, 150 KB ${timings[150].toFixed(1)} s, ratio ${(timings[150] / timings[50]).toFixed(2)} (target ≤ 3.3)`);
    await tab.close();
  });
});
