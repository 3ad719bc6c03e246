// Generating into a page in Chromium: the real popup, the real background
// and engine, the fake model streaming and the fake Notion page filling up.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { expected, fill, insertAt, isShown, openHistory, saveSettings, setUp, shape, startChromium, textOf, useTemplate, waitForText } from './harness.mjs';

const ANSWER = `# Launch plan

A short plan for the launch.

## Steps

- Write the announcement
- Brief the **support** team
  - Share the FAQ

| Task | Owner |
| --- | --- |
| Blog | Dana |

> [!TIP]
> Launch on a Tuesday.

\`\`\`sh
make release
\`\`\`
`;


describe('Chromium: generate into a page', () => {
  let fakes;
  let chrome;
  let seed;
  let tab;
  const pageChildren = async () => fakes.control('GET', `/notion/children?id=${seed.notion.pages.connected.id}`);

  before(async () => {
    ({ fakes, seed, chrome } = await startChromium());
    tab = await chrome.openTab(seed.notion.pages.connected.url);
    await setUp(chrome, seed);
  });

  after(async () => {
    await chrome?.close();
    await fakes?.stop();
  });

  beforeEach(async () => {
    await fakes.control('POST', '/ai/pace', { tokensPerSecond: 0 });
  });

  async function generate(prompt, { cursor = false } = {}) {
    await tab.bringToFront();
    const popup = await chrome.openPopup();
    // A finished job is one line under the prompt; the prompt has focus.
    await popup.waitForSelector('#prompt', { visible: true, timeout: 10_000 });
    await popup.waitForFunction(() => document.activeElement?.id === 'prompt', { timeout: 5_000 });
    await insertAt(popup, cursor ? 'cursor' : 'end');
    await fill(popup, '#prompt', prompt);
    await popup.keyboard.down('Control');
    await popup.keyboard.press('Enter');
    await popup.keyboard.up('Control');
    return popup;
  }

  test('Generate writes exactly the converted answer at the end of the page', async () => {
    await fakes.control('POST', '/ai/answer', { text: ANSWER });
    const before = (await pageChildren()).length;
    const popup = await generate('A launch plan');
    await waitForText(popup, '#job-status', 'Added at the end of Quarterly Plan.', 20_000);
    await waitForText(popup, '#preview', 'Launch plan');
    // The preview draws Notion's blocks: a table, a callout, a nested list, code.
    assert.equal(await popup.$eval('#preview', (p) => p.querySelectorAll('table tr').length), 2);
    assert.equal(await popup.$eval('#preview', (p) => p.querySelectorAll('.callout').length), 1);
    assert.equal(await popup.$eval('#preview', (p) => p.querySelectorAll('ul ul li, ul .children li').length), 1);
    assert.equal(await popup.$eval('#preview', (p) => p.querySelector('pre.code')?.textContent.includes('make release')), true);
    await waitForText(popup, '#job-prompt', 'A launch plan');
    assert.equal(await popup.$eval('#preview', (p) => p.querySelectorAll('h1, h2, h3').length), 2);
    assert.doesNotMatch(await popup.$eval('#job', (j) => j.textContent), /request|\d+ (heading|paragraph|list item|block)/i, 'no request or block counts');
    // The finished answer shows from its top: its title is in view.
    assert.equal(await popup.$eval('#preview h1', (h) => {
      const box = document.querySelector('#preview').getBoundingClientRect();
      const r = h.getBoundingClientRect();
      return r.top >= box.top && r.bottom <= Math.min(box.bottom, innerHeight);
    }), true, 'the answer’s title is in view');
    assert.equal(await isShown(popup, '#open-page'), false, 'the page is already in front');
    assert.equal(await popup.evaluate(() => document.activeElement?.id), 'new-prompt', 'Write another is the main action');
    const after = await pageChildren();
    assert.deepEqual(shape(after.slice(before)), expected(ANSWER));
    await popup.close();
  });

  test('a checked to-do shows its tick in the preview, an open one none', async () => {
    await fakes.control('POST', '/ai/answer', { text: '- [x] Brief the support team\n- [ ] Write the announcement\n' });
    const popup = await generate('Two to-dos');
    await waitForText(popup, '#job-status', 'Added at the end', 20_000);
    await popup.waitForFunction(() => document.querySelectorAll('#preview .check').length === 2, { timeout: 10_000 });
    assert.deepEqual(await popup.$$eval('#preview .check', (cs) => cs.map((c) => c.textContent)), ['✓', '']);
    await popup.close();
  });

  test('closing the popup mid-stream does not stop the job, and reopening shows its progress', async () => {
    await fakes.control('POST', '/ai/pace', { tokensPerSecond: 25 });
    await fakes.control('POST', '/ai/answer', { text: ANSWER });
    const before = (await pageChildren()).length;
    let popup = await generate('Again, slowly');
    await waitForText(popup, '#job-status', 'Writing into Quarterly Plan…');
    await popup.close();
    popup = await chrome.openPopup();
    await popup.waitForSelector('#job', { visible: true, timeout: 10_000 });
    await waitForText(popup, '#job-prompt', 'Again, slowly');
    await waitForText(popup, '#job-status', 'Added at the end', 30_000);
    assert.deepEqual(shape((await pageChildren()).slice(before)), expected(ANSWER));
    await popup.close();
    // Reopened later, the finished job is one line under the prompt.
    popup = await chrome.openPopup();
    await waitForText(popup, '#last-run', 'Last: Done');
    await popup.click('#last-run-view');
    await waitForText(popup, '#job-prompt', 'Again, slowly');
    await popup.close();
  });

  test('Stop, a small button while it writes, stops the job, and nothing is written after it', async () => {
    await fakes.control('POST', '/ai/pace', { tokensPerSecond: 10 });
    await fakes.control('POST', '/ai/answer', { text: ANSWER + '\n\n' + 'More text. '.repeat(200) });
    const popup = await generate('A long one');
    await waitForText(popup, '#preview', 'Launch plan', 15_000);
    assert.equal(await textOf(popup, '#cancel'), 'Stop');
    assert.deepEqual(await popup.$eval('#cancel', (b) => [b.classList.contains('primary'), b.getBoundingClientRect().width < 120]), [false, true], 'Stop is small and quiet');
    // The unsettled tail is shown without its Markdown syntax.
    assert.doesNotMatch(await popup.$eval('#preview', (p) => p.textContent), /- \[|```|^#|\*\*/m);
    await popup.click('#cancel');
    await waitForText(popup, '#job-status', 'Stopped.', 10_000);
    const atCancel = (await pageChildren()).length;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await pageChildren()).length, atCancel);
    assert.ok(await popup.$eval('#retry', (b) => !b.hidden), 'offers Retry');
    assert.ok(await popup.$eval('#copy', (b) => !b.hidden), 'offers Copy Markdown');
    await popup.click('#new-prompt');
    await popup.close();
  });

  test('when Notion fails during writing, Retry finishes with no duplicates', async () => {
    await fakes.control('POST', '/ai/answer', { text: ANSWER });
    await fakes.control('POST', '/notion/fault', { method: 'PATCH', pathPrefix: '/v1/blocks/', status: 403, times: 1 });
    const before = (await pageChildren()).length;
    const popup = await generate('Plan with a failure');
    // The cause is the headline, the fix is the main button, and it says
    // what was written before it stopped.
    await waitForText(popup, '#job-status', 'The integration may read but not write.', 20_000);
    await waitForText(popup, '#job-error', 'Insert content');
    await waitForText(popup, '#job-written', 'Nothing was written.');
    await waitForText(popup, '#fix', 'Open integrations');
    assert.equal(await popup.evaluate(() => document.activeElement?.id), 'fix', 'the fix is the main action');
    assert.deepEqual(await popup.$eval('#retry', (b) => [b.hidden, b.classList.contains('primary')]), [false, false], 'Retry is there, secondary');
    await popup.click('#retry');
    await waitForText(popup, '#job-status', 'Added at the end', 20_000);
    assert.deepEqual(shape((await pageChildren()).slice(before)), expected(ANSWER));
    await popup.click('#new-prompt');
    await popup.close();
  });

  test('a bad key and a used-up quota each give their own message, and settings stay', async () => {
    for (const [kind, message] of [['unauthorized', 'OpenAI did not accept the API key'], ['insufficient_quota', 'Your OpenAI account has no quota left']]) {
      await fakes.control('POST', '/ai/fault', { kind });
      const popup = await generate(`Fails with ${kind}`);
      await waitForText(popup, '#job-status', message, 15_000);
      // A key is mended in Settings; a quota in the provider's billing, so
      // there Retry waits behind a new prompt.
      const main = await popup.evaluate(() => document.activeElement?.id);
      if (kind === 'unauthorized') assert.deepEqual([main, await textOf(popup, '#fix')], ['fix', 'Open Settings']);
      else assert.equal(main, 'new-prompt');
      assert.equal(await popup.$eval('#retry', (b) => b.classList.contains('primary')), false, 'Retry cannot succeed yet');
      const { settings } = await popup.evaluate(() => chrome.storage.local.get('settings'));
      assert.equal(settings.apiKey, seed.ai.key);
      await popup.click('#new-prompt');
      await popup.close();
    }
  });

  test('the Gemini and custom base URL providers generate too', async () => {
    const cases = [
      { provider: 'gemini', model: 'gemini-2.5-flash', host: 'generativelanguage.googleapis.com', path: '/v1beta/openai/chat/completions' },
      // A custom URL on a host the extension may already reach needs no prompt.
      { provider: 'custom', model: 'gpt-4.1', baseUrl: 'https://api.openai.com/custom/v1', host: 'api.openai.com', path: '/custom/v1/chat/completions' },
    ];
    for (const c of cases) {
      await tab.bringToFront();
      let popup = await chrome.openPopup();
      await popup.waitForSelector('#open-settings', { visible: true });
      await saveSettings(popup, { secret: seed.notion.secret, provider: c.provider, apiKey: seed.ai.key, model: c.model, baseUrl: c.baseUrl ?? '' });
      await waitForText(popup, '#status', 'Saved.');
      await popup.close();
      await fakes.control('POST', '/ai/answer', { text: `Written through ${c.provider}.\n` });
      popup = await generate(`Via ${c.provider}`);
      await waitForText(popup, '#job-status', 'Added at the end', 20_000);
      const { ai } = await fakes.control('GET', '/requests');
      const last = ai.filter((r) => r.path.endsWith('/chat/completions')).at(-1);
      assert.equal(last.host, c.host);
      assert.equal(last.path, c.path);
      assert.match(last.body, new RegExp(`"model":"${c.model}"`));
      await popup.close();
    }
    const popup = await chrome.openPopup();
    await saveSettings(popup, { secret: seed.notion.secret, apiKey: seed.ai.key, model: 'gpt-5-mini', baseUrl: '' });
    await popup.close();
  });

  test('History lists the jobs, resumes a stopped one and deletes any', async () => {
    await tab.bringToFront();
    const popup = await chrome.openPopup();
    await openHistory(popup);
    const items = await popup.$$eval('#history-list li', (lis) => lis.map((li) => li.textContent));
    const leads = await popup.$$eval('#history-list li .open', (bs) => bs.map((b) => b.firstElementChild.textContent));
    assert.ok(leads.includes('A long one'), `each item leads with its prompt: ${leads.join(' | ')}`);
    assert.ok(items.length >= 5, items.join(' | '));
    assert.ok(items.some((t) => t.includes('A long one') && t.includes('Stopped')), 'the cancelled job is listed as stopped');
    assert.ok(items.every((t) => t.includes('Quarterly Plan')), 'each names its target');
    assert.ok(items.every((t) => /just now|min ago/.test(t)), 'times are relative');
    // Opening a past job shows its prompt and answer, with Copy Markdown.
    await popup.click('#history-list li:first-child .open');
    await popup.waitForSelector('#job', { visible: true, timeout: 5_000 });
    assert.ok((await textOf(popup, '#job-prompt')).length > 0);
    await popup.waitForFunction(() => document.querySelector('#preview').children.length > 0, { timeout: 10_000 });
    assert.ok(await isShown(popup, '#copy'));
    await openHistory(popup);
    const before = items.length;
    await popup.click('#history-list li:last-child button[aria-label^="Delete"]');
    await popup.waitForFunction((n) => document.querySelectorAll('#history-list li').length === n - 1, { timeout: 5_000 }, before);
    const again = await popup.$('#history-list li button[aria-label^="Retry “A long one"]');
    assert.ok(again, 'a stopped job can be retried');
    await again.click();
    await popup.waitForFunction(() => [...document.querySelectorAll('#history-list li')].some((li) => li.textContent.includes('A long one') && li.textContent.includes('Done')), { timeout: 20_000 });
    await popup.close();
  });

  test('the prompt is kept per page while typed, and a template goes in front of it', async () => {
    await tab.bringToFront();
    let popup = await chrome.openPopup();
    await popup.waitForFunction(() => document.activeElement?.id === 'prompt', { timeout: 10_000 });
    await popup.keyboard.type('our new mobile app');
    await popup.close();
    popup = await chrome.openPopup();
    await popup.waitForFunction(() => document.activeElement?.id === 'prompt', { timeout: 10_000 });
    assert.equal(await popup.$eval('#prompt', (p) => p.value), 'our new mobile app');
    await useTemplate(popup, 'Blog post');
    assert.equal(await popup.$eval('#prompt', (p) => p.value), 'Write a blog post about: our new mobile app');
    assert.equal(await isShown(popup, '#templates'), false, 'the popover closes on a choice');
    // Another template swaps only the template's words.
    await useTemplate(popup, 'Outline');
    assert.equal(await popup.$eval('#prompt', (p) => p.value), 'Write a detailed outline, with headings and nested bullet points, for: our new mobile app');
    // Saved templates can be renamed and deleted in the popover.
    await popup.click('#templates-button');
    await popup.click('#save-template');
    await popup.waitForSelector('#my-templates-list li', { visible: true, timeout: 5_000 });
    await popup.click('#my-templates-list li button[aria-label^="Rename"]');
    await fill(popup, '#my-templates-list input', 'App outline');
    await popup.keyboard.press('Enter');
    await popup.waitForFunction(() => [...document.querySelectorAll('#my-templates-list .name')].some((o) => o.textContent === 'App outline'), { timeout: 5_000 });
    await popup.click('#my-templates-list li button[aria-label^="Delete"]');
    await popup.waitForFunction(() => ![...document.querySelectorAll('#my-templates-list .name')].some((o) => o.textContent === 'App outline'), { timeout: 5_000 });
    // Escape closes the popover and gives the keyboard back to its button.
    await popup.click('#templates-button');
    await popup.keyboard.press('Escape');
    assert.equal(await isShown(popup, '#templates'), false);
    assert.equal(await popup.evaluate(() => document.activeElement?.id), 'templates-button');
    await fill(popup, '#prompt', '');
    await popup.close();
  });

  test('an empty prompt is named beside the prompt, and the message clears on typing', async () => {
    await tab.bringToFront();
    const popup = await chrome.openPopup();
    await popup.waitForFunction(() => document.activeElement?.id === 'prompt', { timeout: 10_000 });
    await popup.click('#generate');
    await waitForText(popup, '#prompt-error', 'Write what Visen should write first.');
    // The shortcut is named as this platform has it.
    const mac = await popup.evaluate(() => /mac/i.test(navigator.userAgentData?.platform ?? navigator.platform));
    assert.equal(await textOf(popup, '#prompt-hint'), mac ? '⌘+Enter to generate' : 'Ctrl+Enter to generate');
    await popup.type('#prompt', 'x');
    assert.equal(await isShown(popup, '#prompt-error'), false);
    await fill(popup, '#prompt', '');
    await popup.close();
  });

  test('insert after the block with the cursor', async () => {
    await fakes.control('POST', '/ai/answer', { text: 'Inserted *here*.\n' });
    await tab.reload({ waitUntil: 'load' });
    const blocks = await pageChildren();
    const second = blocks[1];
    await tab.click(`[data-block-id="${second.id}"]`);
    const popup = await generate('One line', { cursor: true });
    await waitForText(popup, '#job-status', 'Added after your cursor in Quarterly Plan.', 20_000);
    await popup.click('#new-prompt');
    assert.equal(await popup.$eval('#insert-at', (s) => s.value), 'cursor', 'Insert at is kept for the page');
    await insertAt(popup, 'end');
    const now = await pageChildren();
    assert.equal(now.length, blocks.length + 1);
    assert.equal(now[2].paragraph.rich_text.map((r) => r.text.content).join(''), 'Inserted here.');
    assert.equal(now[1].id, second.id);
    await popup.close();
  });

  test('an answer of 5,000 nested quotes is written as the engine writes it, not left running', async () => {
    // In the browser the engine's recursion shares JavaScript's stack, far
    // smaller than Go's: this answer once overflowed it, and the job stayed
    // "generating" with nothing written and nothing said.
    const deep = `Before the quotes.\n\n${'>'.repeat(5000)} The deepest words.\n`;
    await fakes.control('POST', '/ai/answer', { text: deep });
    await tab.reload({ waitUntil: 'load' });
    const before = (await pageChildren()).length;
    const popup = await generate('Quotes within quotes');
    await waitForText(popup, '#job-status', 'Added at the end of Quarterly Plan.', 60_000);
    // The writer keeps ten levels and writes deeper blocks after, in
    // reading order: the order and text are what Go converts.
    const inOrder = (lines) => lines.map((l) => l.trim());
    assert.deepEqual(inOrder(shape((await pageChildren()).slice(before))), inOrder(expected(deep)));
    await popup.close();
    const { runtimeErrors } = await chrome.extensionReport();
    assert.deepEqual(runtimeErrors.filter((e) => /call stack/.test(e.message)), []);
  });
});
