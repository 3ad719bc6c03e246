// `make demo` as a newcomer runs it, but headless and as whatever user the
// tests run as (root in containers): the start page shows the secret and
// key, a prompt lands in the demo page, a different prompt gets a different
// answer, Fill rows gives each row its own answer, and a browser that cannot
// start fails the demo with its reason.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { connectChromium } from '../../browser/chromium.mjs';
import { ROOT, fill, openComposer, saveSettings, waitForText } from './harness.mjs';

const READY = 'Stop the demo with Ctrl+C here, or close the browser.';

/**
 * Runs `make demo` in a process group of its own with `env` added, and
 * collects what it prints.
 */
function runDemo(env) {
  const proc = spawn('make', ['--no-print-directory', 'demo'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  proc.stdout.on('data', (d) => { out.stdout += d; });
  proc.stderr.on('data', (d) => { out.stderr += d; });
  const exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return { proc, out, exited };
}

/** Waits until `check()` is true, polling, or fails saying `what`. */
async function until(check, what, timeout) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The value printed after `label` on its line of the demo's message. */
function printed(stdout, label) {
  const m = stdout.match(new RegExp(`^\\s+${label}\\s+(\\S+)`, 'm'));
  assert.ok(m, `the demo prints its ${label}:\n${stdout}`);
  return m[1];
}

const plain = (rt) => (rt ?? []).map((r) => r.plain_text ?? r.text?.content ?? r.equation?.expression ?? '').join('');
const textOfBlocks = (blocks) => blocks.map((b) => plain(b[b.type]?.rich_text)).join('\n');

describe('make demo', () => {
  let profile;
  let demo;
  let chrome;
  let control;
  let message;

  before(async () => {
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'visen-demo-'));
    demo = runDemo({ VISEN_HEADLESS: '1', VISEN_DEMO_PROFILE: profile, VISEN_BROWSER_FLAGS: '--remote-debugging-port=0 --window-size=1200,900' });
    await until(() => demo.out.stdout.includes(READY) || demo.proc.exitCode !== null, 'the demo to start', 120_000);
    assert.ok(demo.out.stdout.includes(READY), `the demo started:\n${demo.out.stdout}\n${demo.out.stderr}`);
    message = demo.out.stdout;
    const start = new URL(printed(message, 'Start page'));
    control = async (route) => (await fetch(new URL(route, start.origin))).json();
    // Chromium writes the port it chose into the profile.
    const [port, wsPath] = fs.readFileSync(path.join(profile, 'DevToolsActivePort'), 'utf8').trim().split('\n');
    chrome = await connectChromium(`ws://127.0.0.1:${port}${wsPath}`);
  });

  after(async () => {
    await chrome?.close();
    if (demo && demo.proc.exitCode === null) {
      process.kill(-demo.proc.pid, 'SIGINT');
      await demo.exited;
    }
    // The browser's last helper processes may still be writing the profile
    // as they go; removing it is tried again until they are gone.
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  test('it says what it does, and as root that the sandbox is off', () => {
    if (process.getuid() === 0) assert.match(message, /Running as root: Chromium's sandbox is off \(--no-sandbox\)/);
    assert.match(message, /"Not secure", https struck through: .*throwaway certificate/);
    assert.match(message, /"unsupported command-line flag": /);
    assert.match(message, /make demo-reset/);
    assert.ok(fs.existsSync(path.join(profile, 'chromium.log')), "Chromium's messages go to the log");
    assert.doesNotMatch(message + demo.out.stderr, /dbus|ERROR:/, "Chromium's own messages stay out of the terminal");
  });

  let token;
  let secret;
  let key;

  test('the start page shows the token, the secret and the key, and links to the demo pages and database', async () => {
    const start = (await chrome.browser.pages()).find((p) => p.url().endsWith('/start'));
    assert.ok(start, 'the browser opens on the start page');
    token = await start.$eval('#token', (el) => el.textContent);
    secret = await start.$eval('#secret', (el) => el.textContent);
    key = await start.$eval('#key', (el) => el.textContent);
    assert.equal(token, printed(message, 'Notion token'));
    assert.equal(secret, printed(message, 'Notion secret'));
    assert.equal(await start.$eval('#notes-link', (a) => a.href), printed(message, 'Demo notes'));
    assert.equal(key, printed(message, 'AI key'));
    assert.match(secret, /^ntn_/);
    assert.equal(await start.$eval('#page-link', (a) => a.href), printed(message, 'Demo page'));
    assert.equal(await start.$eval('#database-link', (a) => a.href), printed(message, 'Demo database'));
  });

  let tab;
  const pageId = () => printed(message, 'Demo page').match(/[0-9a-f]{32}$/)[0];

  async function generate(prompt) {
    const before = await control(`/notion/children?id=${pageId()}`);
    const popup = await openComposer(chrome, tab);
    await fill(popup, '#prompt', prompt);
    await popup.click('#generate');
    await waitForText(popup, '#job-status', 'Added at the end', 60_000);
    await popup.close();
    return (await control(`/notion/children?id=${pageId()}`)).slice(before.length);
  }

  test('a prompt lands in the demo page, about what it asks', async () => {
    const start = (await chrome.browser.pages()).find((p) => p.url().endsWith('/start'));
    await Promise.all([start.waitForNavigation({ timeout: 15_000 }), start.click('#page-link')]);
    tab = start;
    const popup = await chrome.openPopup();
    await saveSettings(popup, { secret: token, apiKey: key, model: 'gpt-5-mini' });
    await popup.waitForSelector('#prompt', { visible: true, timeout: 15_000 });
    await popup.close();

    const written = await generate('Write a haiku about cats.');
    assert.equal(written[0].type, 'heading_1');
    assert.equal(plain(written[0].heading_1.rich_text), 'Cats');
    const text = textOfBlocks(written);
    assert.match(text, /You asked: Write a haiku about cats\./);
    const types = new Set(written.map((b) => b.type));
    for (const t of ['callout', 'to_do', 'table', 'equation', 'code', 'toggle']) assert.ok(types.has(t), `the answer has a ${t}`);
    // The demo's Notion tab shows the answer as it lands, bold kept.
    await tab.waitForFunction(() => document.querySelector('#blocks h1')?.textContent === 'Cats', { timeout: 15_000 });
    assert.ok(await tab.$eval('#blocks', (el) => [...el.querySelectorAll('strong')].some((s) => s.textContent === 'cats')));
  });

  test('the token writes into the demo notes too, which the demo integration is not connected to', async () => {
    const notes = printed(message, 'Demo notes');
    const id = notes.match(/[0-9a-f]{32}$/)[0];
    const before = await control(`/notion/children?id=${id}`);
    await tab.goto(notes, { waitUntil: 'load' });
    const popup = await openComposer(chrome, tab);
    await waitForText(popup, '#target-title', 'Demo Notes');
    await fill(popup, '#prompt', 'Write a haiku about owls.');
    await popup.click('#generate');
    await waitForText(popup, '#job-status', 'Added at the end', 60_000);
    await popup.close();
    const written = (await control(`/notion/children?id=${id}`)).slice(before.length);
    assert.equal(plain(written[0].heading_1.rich_text), 'Owls');
    await tab.goto(printed(message, 'Demo page'), { waitUntil: 'load' });
  });

  test('a different prompt gets a different answer', async () => {
    const written = await generate('Write a haiku about dogs.');
    assert.equal(plain(written[0].heading_1.rich_text), 'Dogs');
    assert.match(textOfBlocks(written), /You asked: Write a haiku about dogs\./);
    assert.doesNotMatch(textOfBlocks(written), /cats/);
  });

  test('Fill rows gives each row its own answer', async () => {
    const seed = await control('/seed');
    const db = seed.notion.databases.demo;
    await tab.goto(db.url, { waitUntil: 'load' });
    const popup = await chrome.openPopup();
    await popup.waitForSelector('#db', { visible: true, timeout: 15_000 });
    await popup.click('#tab-fill');
    await popup.waitForSelector('#rows li', { visible: true, timeout: 15_000 });
    await popup.click('#select-all');
    await waitForText(popup, '#fill-run', `Fill ${db.rows.length} rows`);
    await fill(popup, '#fill-template', 'Write a short intro to {{Topic}} for our {{Channel}} readers.');
    await popup.click('#out-body');
    await popup.click('#fill-run');
    await waitForText(popup, '#run-status', 'Done.', 120_000);
    await popup.close();

    const answers = new Set();
    for (const row of db.rows) {
      const props = (await control(`/notion/page?id=${row.id}`)).properties;
      const topic = plain(props.Topic.rich_text);
      const channel = props.Channel.select.name;
      const body = textOfBlocks(await control(`/notion/children?id=${row.id}`));
      assert.match(body, new RegExp(`You asked: Write a short intro to ${topic} for our ${channel} readers\\.`), row.title);
      answers.add(body);
    }
    assert.equal(answers.size, db.rows.length, 'no two rows got the same answer');
  });

  test('Ctrl+C stops the demo and its browser', async () => {
    await chrome.close();
    chrome = undefined;
    const browserPid = Number(fs.readlinkSync(path.join(profile, 'SingletonLock')).split('-').pop());
    // Ctrl+C in a terminal reaches make, the script and the browser alike.
    process.kill(-demo.proc.pid, 'SIGINT');
    const { code, signal } = await demo.exited;
    assert.ok(code === 0 || signal === 'SIGINT', `make ends as interrupted, not failed: ${code} ${signal}\n${demo.out.stderr}`);
    assert.doesNotMatch(demo.out.stderr, /Error \d/);
    assert.match(demo.out.stdout, /Stopping the demo\./);
    assert.throws(() => process.kill(browserPid, 0), { code: 'ESRCH' }, 'the browser is gone');
  });
});

describe('make demo when the browser cannot start', () => {
  const cases = [
    {
      name: 'no display and not headless',
      env: { VISEN_HEADLESS: '', DISPLAY: '', WAYLAND_DISPLAY: '' },
      want: [/Chromium stopped with exit status [1-9]/, /Missing X server or \$DISPLAY/, /VISEN_HEADLESS=1/, /xvfb-run/],
    },
    {
      name: 'a browser that is not there',
      env: { VISEN_CHROMIUM: 'no-such-chromium' },
      want: [/VISEN_CHROMIUM is set to “no-such-chromium”, which is not a program here\./],
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'visen-demo-'));
      try {
        const demo = runDemo({ VISEN_DEMO_PROFILE: profile, ...c.env });
        const timer = setTimeout(() => process.kill(-demo.proc.pid, 'SIGKILL'), 90_000);
        const { code } = await demo.exited;
        clearTimeout(timer);
        assert.notEqual(code, 0, 'the demo fails');
        for (const re of c.want) assert.match(demo.out.stderr, re);
        assert.doesNotMatch(demo.out.stdout, /ntn_demo/, 'no steps are printed for a demo that did not start');
      } finally {
        fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      }
    });
  }
});
