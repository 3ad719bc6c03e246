// Shared set-up for the browser tests: the fakes, a browser with the built
// extension, and small popup helpers that act as a person would.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launchChromium } from '../../browser/chromium.mjs';
import { startFakes } from '../../fakes/fakes.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const DIST = (browser) => path.join(ROOT, 'dist', browser);

/**
 * Starts the fakes, reads their seed, and starts Chromium with the built
 * extension and the fakes' hosts, in `userDataDir` or a fresh profile.
 */
export async function startChromium({ userDataDir } = {}) {
  const fakes = await startFakes();
  const seed = await fakes.control('GET', '/seed');
  const chrome = await launchChromium({ extensionDir: DIST('chrome'), tlsPort: fakes.ports.tls, userDataDir });
  return { fakes, seed, chrome };
}

/**
 * Sets Visen up as a person does the first time, in the popup over the tab
 * in front: the Notion secret (the integration's, unless another is given),
 * the seed's AI key and a model, saved. Then waits for `ready`, what the
 * popup shows once set up over that tab, and closes it.
 */
export async function setUp(chrome, seed, { ready = '#prompt', secret = seed.notion.secret } = {}) {
  const popup = await chrome.openPopup();
  await saveSettings(popup, { secret, apiKey: seed.ai.key, model: 'gpt-5-mini' });
  await popup.waitForSelector(ready, { visible: true, timeout: 10_000 });
  await popup.close();
}

/** The plain text of a Notion rich-text array. */
export const plain = (rt) => (rt ?? []).map((r) => r.plain_text ?? r.text?.content ?? r.equation?.expression ?? '').join('');

/** Waits until the element's visible text contains `text`. */
export async function waitForText(page, selector, text, timeout = 10_000) {
  try {
    await page.waitForFunction(
      (sel, want) => {
        const el = document.querySelector(sel);
        return el && !el.closest('[hidden]') && el.textContent.includes(want);
      },
      { timeout },
      selector,
      text,
    );
  } catch (err) {
    const got = await page.$eval(selector, (el) => el.textContent).catch(() => '(missing)');
    throw new Error(`${selector} never showed “${text}”; it shows “${got.trim()}”`, { cause: err });
  }
}

/** The visible text of an element. */
export function textOf(page, selector) {
  return page.$eval(selector, (el) => el.textContent.replace(/\s+/g, ' ').trim());
}

/** Whether an element and all its ancestors are shown. */
export function isShown(page, selector) {
  return page.$eval(selector, (el) => !el.closest('[hidden]') && el.getClientRects().length > 0).catch(() => false);
}

/** Clears an input and types a value into it, as a person would. */
export async function fill(page, selector, value) {
  await page.click(selector, { clickCount: 3 });
  await page.$eval(selector, (el) => {
    el.value = '';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  if (value !== '') await page.type(selector, value);
}

/**
 * Opens Settings from the home view with every field in reach: past the
 * welcome a first-time popup starts on, and with finished steps opened
 * again by their Change.
 */
export async function openSettings(popup) {
  // A popup with nothing set up (or left on Settings) opens on Settings by
  // itself, a moment after it shows home: the gear is clicked only once
  // that moment has passed.
  await popup.waitForFunction(() => !document.querySelector('#settings').hidden || !document.querySelector('#open-settings').closest('[hidden]'), { timeout: 5_000 });
  const byItself = await popup.waitForSelector('#settings', { visible: true, timeout: 1_000 }).then(() => true, () => false);
  if (!byItself) {
    await popup.click('#open-settings');
    await popup.waitForSelector('#settings', { visible: true, timeout: 5_000 });
  }
  if (await isShown(popup, '#welcome-start')) await popup.click('#welcome-start');
  for (const change of ['#change-notion', '#change-ai']) {
    if (await isShown(popup, change)) await popup.click(change);
  }
  await popup.waitForSelector('#notion-secret', { visible: true, timeout: 5_000 });
}

/**
 * Waits until a setup step shows the state wanted (todo, done or
 * attention), as the steps are drawn just after the message they follow.
 */
export async function stepIs(popup, step, want, timeout = 5_000) {
  try {
    await popup.waitForFunction((sel, state) => document.querySelector(sel)?.dataset.state === state, { timeout }, step, want);
  } catch (err) {
    const got = await popup.$eval(step, (el) => el.dataset.state).catch(() => '(missing)');
    throw new Error(`${step} never became “${want}”; it is “${got}”`, { cause: err });
  }
}

/**
 * Puts text into a field as pasting it does: all at once, and the field
 * hears the paste.
 */
export async function paste(popup, selector, text) {
  await popup.$eval(selector, (el, value) => {
    el.focus();
    el.value = value;
    el.dispatchEvent(new Event('paste', { bubbles: true }));
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

/** Fills the settings form and presses Save. */
export async function saveSettings(popup, { secret, provider = 'openai', apiKey = '', model = '', baseUrl } = {}) {
  await openSettings(popup);
  await fill(popup, '#notion-secret', secret);
  await popup.select('#provider', provider);
  await fill(popup, '#api-key', apiKey);
  if (model) await fill(popup, '#model', model);
  if (baseUrl !== undefined) {
    await popup.$eval('#base-url', (el) => el.closest('details')?.setAttribute('open', ''));
    await fill(popup, '#base-url', baseUrl);
  }
  await popup.click('#save');
}

/**
 * Checks every request the fakes saw and every console line: the Notion
 * secret went only to api.notion.com, the AI key only to the AI host, and
 * neither was logged.
 */
export async function assertSecretsStayPut(fakes, seed, consoleLines) {
  const { notion, ai, web } = await fakes.control('GET', '/requests');
  const all = [...notion, ...ai, ...web];
  assert.ok(web.length > 0, 'the Notion tabs were loaded from the fake');
  for (const r of all) {
    const raw = JSON.stringify(r);
    for (const token of [seed.notion.secret, seed.notion.personalToken]) {
      if (raw.includes(token)) assert.equal(r.host, 'api.notion.com', `${r.method} ${r.host}${r.path}`);
    }
    if (raw.includes(seed.ai.key)) assert.equal(r.host, 'api.openai.com', `${r.method} ${r.host}${r.path}`);
  }
  assert.ok(notion.some((r) => JSON.stringify(r).includes(seed.notion.secret)));
  assert.ok(ai.some((r) => JSON.stringify(r).includes(seed.ai.key)));
  const log = consoleLines.join('\n');
  assert.doesNotMatch(log, new RegExp(seed.notion.secret));
  assert.doesNotMatch(log, new RegExp(seed.notion.personalToken));
  assert.doesNotMatch(log, new RegExp(seed.ai.key));
}

/**
 * Opens the popup over `tab` and waits until it shows `ready`, or one of
 * the buttons `back` that a finished job or run is shown with, which it
 * presses to go back to `ready`.
 */
async function openPast(chrome, tab, ready, back) {
  await tab.bringToFront();
  const popup = await chrome.openPopup();
  await popup.waitForFunction(
    (sels) => sels.some((sel) => {
      const el = document.querySelector(sel);
      return el && !el.closest('[hidden]') && el.getClientRects().length > 0;
    }),
    { timeout: 10_000 },
    [ready, ...back],
  );
  for (const button of back) {
    if (await isShown(popup, button)) {
      await popup.click(button);
      break;
    }
  }
  await popup.waitForSelector(ready, { visible: true, timeout: 10_000 });
  return popup;
}

/**
 * Opens the popup over `tab` ready for a new prompt: a finished job is
 * shown first, and New prompt goes back to composing.
 */
export function openComposer(chrome, tab) {
  return openPast(chrome, tab, '#prompt', ['#new-prompt']);
}

/**
 * Opens the popup over the database in `tab` on its database view: a
 * finished run or job is shown first, and its New button goes back.
 */
export function openDatabaseView(chrome, tab) {
  return openPast(chrome, tab, '#db', ['#run-new', '#new-prompt']);
}

/** Sets Rows at once in Settings, as a person would, in the popup over `tab`. */
export async function setRowsAtOnce(chrome, tab, n) {
  await tab.bringToFront();
  const popup = await chrome.openPopup();
  await openSettings(popup);
  await popup.click('#advanced summary');
  await fill(popup, '#concurrency', String(n));
  await popup.click('#save');
  await popup.waitForSelector('#home', { visible: true, timeout: 15_000 });
  await popup.close();
}

/**
 * Shows the fake Notion page in `tab` as it is now (reloaded: the fakes may
 * have been reset) and marks text in its editor, as a person would: from
 * the start of the innermost block holding `from` to the end of the one
 * holding `to`; without `to`, only the words holding `from`; with `caret`,
 * no selection but the cursor that many characters into those words.
 */
export async function selectInPage(tab, from, { to = null, caret = null } = {}) {
  await tab.bringToFront();
  await tab.reload();
  await tab.waitForSelector('#blocks [data-block-id]');
  await tab.evaluate((a, b, at) => {
    const editor = document.getElementById('blocks');
    // Children follow their parent: the last block holding the text is the innermost.
    const block = (text) => [...editor.querySelectorAll('[data-block-id]')].filter((el) => el.textContent.includes(text)).at(-1);
    const words = (text) => {
      const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
      let node = walker.nextNode();
      while (node && !node.textContent.includes(text)) node = walker.nextNode();
      return node;
    };
    editor.focus();
    const selection = document.getSelection();
    if (at !== null) {
      selection.collapse(words(a), at);
      return;
    }
    const range = document.createRange();
    if (b === null) {
      range.selectNodeContents(words(a));
    } else {
      const last = block(b);
      range.setStart(block(a), 0);
      range.setEnd(last, last.childNodes.length);
    }
    selection.removeAllRanges();
    selection.addRange(range);
  }, from, to, caret);
}

/** Waits until `check()` is true, polling, or fails saying `what`. */
export async function until(check, timeout, what) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not happen in ${timeout} ms`);
}

/** What a page must end with: Markdown converted at once, as type and text. */
export function expected(md) {
  const out = execFileSync('go', ['run', './scripts/cmd/md2notion'], { cwd: ROOT, input: md, maxBuffer: 1 << 30 });
  return shape(JSON.parse(out));
}

/** Blocks as lines of type and text, indented by depth, to compare pages. */
export function shape(blocks, depth = 0) {
  const lines = [];
  for (const b of blocks) {
    const body = b[b.type] ?? {};
    // Child pages and databases show their title.
    const text = typeof body.title === 'string'
      ? body.title
      : (body.rich_text ?? []).map((r) => r.plain_text ?? r.text?.content ?? r.equation?.expression ?? '').join('');
    lines.push(`${'  '.repeat(depth)}${b.type}: ${text}`);
    lines.push(...shape(b.children ?? body.children ?? [], depth + 1));
  }
  return lines;
}

/** Opens History from the header's icon. */
export async function openHistory(popup) {
  await popup.waitForSelector('#open-history', { visible: true, timeout: 10_000 });
  if ((await popup.$eval('#open-history', (b) => b.getAttribute('aria-expanded'))) !== 'true') await popup.click('#open-history');
  await popup.waitForSelector('#history', { visible: true, timeout: 5_000 });
}

/** Chooses where the answer goes, beside Generate: 'end' or 'cursor'. */
export async function insertAt(popup, where) {
  await popup.waitForSelector('#insert-at', { visible: true, timeout: 10_000 });
  await popup.select('#insert-at', where);
}

/** Opens the Templates popover and picks the template of that name. */
export async function useTemplate(popup, name) {
  await popup.click('#templates-button');
  await popup.waitForSelector('#templates', { visible: true, timeout: 5_000 });
  const at = await popup.evaluate((want) => [...document.querySelectorAll('#templates-list button')].findIndex((b) => b.textContent === want), name);
  assert.ok(at >= 0, `no template “${name}”`);
  await popup.click(`#templates-list li:nth-child(${at + 1}) button`);
}
