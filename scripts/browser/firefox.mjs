// Launches Debian's Firefox ESR with the built, unchanged add-on, and gives
// tests a way into it.
//
// - puppeteer-core over WebDriver BiDi starts Firefox in a fresh profile and
//   installs the unpacked add-on (browser.installExtension).
// - Firefox has no host-resolver rules, so HTTPS and plain HTTP to every
//   non-loopback host go through the fakes' proxy, which tunnels CONNECT to
//   the fakes' TLS port. The session's acceptInsecureCerts switches off
//   certificate checks for the whole browser, so the add-on's own background
//   requests accept the fakes' throwaway certificate too.
// - BiDi sees only web tabs: it will not navigate to moz-extension:// and
//   shows no extension realms. So the add-on is reached over Firefox's Remote
//   Debugging Protocol (length-prefixed JSON over TCP, as about:debugging
//   uses): the add-on's watcher announces each of its documents (background,
//   popup, tabs) with a console actor that evaluates code in it, and streams
//   their console messages and errors. While that watcher is attached,
//   Firefox keeps the event page from being suspended on idle.
// - openPopup() opens the real toolbar popup over the active tab, as a click
//   on the icon does (action.openPopup() from the background). The panel is
//   not a BiDi context, so it is driven over the debugging protocol through a
//   small page-like object; its events are synthetic (isTrusted is false).
// - openExtensionPage() opens an add-on page in a tab (or a popup window);
//   puppeteer drives it like any page (clicks, typing, screenshots), though
//   page.url() says about:blank. There the active tab of the current window
//   is that page itself, not the Notion tab.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { default: puppeteer } = await import(require.resolve('puppeteer-core'));

const FIREFOX = '/usr/bin/firefox-esr';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Rejects if `promise` has not settled within `ms`. */
function within(ms, promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** A minimal Remote Debugging Protocol client: `LENGTH:JSON` packets. */
class RDP {
  constructor(socket) {
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.packets = [];
    this.waiters = new Set();
    this.closed = false;
    this.onEvent = () => {};
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(port, timeout) {
    const deadline = Date.now() + timeout;
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const socket = net.createConnection({ port, host: '127.0.0.1' });
        socket.once('connect', () => resolve(new RDP(socket)));
        socket.once('error', (err) => {
          socket.destroy();
          if (Date.now() > deadline) reject(new Error(`no debugging server on port ${port}: ${err.message}`));
          else setTimeout(attempt, 50);
        });
      };
      attempt();
    });
  }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(58); // ':'
      if (colon < 0) break;
      const length = Number(this.buffer.subarray(0, colon).toString());
      if (this.buffer.length < colon + 1 + length) break;
      const packet = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString());
      this.buffer = this.buffer.subarray(colon + 1 + length);
      this.onEvent(packet);
      this.packets.push(packet);
      if (this.packets.length > 500) this.packets.splice(0, 100); // unclaimed events
    }
    this.wake();
  }

  wake() {
    for (const wake of this.waiters) wake();
  }

  /** Resolves with (and removes) the first packet, queued or future, that matches. */
  async next(match, timeout, what) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const i = this.packets.findIndex(match);
      if (i >= 0) return this.packets.splice(i, 1)[0];
      if (this.closed) throw new Error(`${what}: the debugging connection closed`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: no answer from Firefox in ${timeout} ms`);
      await new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, left);
        this.waiters.add(done);
      });
    }
  }

  send(packet) {
    const text = JSON.stringify(packet);
    this.socket.write(`${Buffer.byteLength(text)}:${text}`);
  }

  /** Sends a request and resolves with its reply (a packet from the actor without a type). */
  async request(packet, timeout = 10_000) {
    this.send(packet);
    const answer = await this.next((p) => p.from === packet.to && !p.type, timeout, packet.type);
    if (answer.error) throw new Error(`${packet.type}: ${answer.error}: ${answer.message}`);
    return answer;
  }

  /** Evaluates `text` in a document through its console actor; awaits a returned promise. */
  async evaluate(consoleActor, text, timeout) {
    this.send({ to: consoleActor, type: 'evaluateJSAsync', text, mapped: { await: true } });
    const { resultID } = await this.next((p) => p.from === consoleActor && p.resultID && !p.type, 10_000, 'evaluateJSAsync');
    const result = await this.next((p) => p.type === 'evaluationResult' && p.resultID === resultID, timeout, 'the evaluation');
    if (result.exceptionMessage) throw new Error(result.exceptionMessage);
    if (result.topLevelAwaitRejected) throw new Error('the evaluated promise was rejected');
    return this.fullString(result.result);
  }

  /** A result grip as a string, fetching the whole of a long string. */
  async fullString(grip) {
    if (typeof grip === 'string') return grip;
    if (grip?.type === 'longString') {
      const { substring } = await this.request({ to: grip.actor, type: 'substring', start: 0, end: grip.length });
      return substring;
    }
    throw new Error(`unexpected evaluation result ${JSON.stringify(grip)}`);
  }

  close() {
    this.socket.destroy();
  }
}

/**
 * Runs `body` (the body of an async function, with `return`) in the document
 * behind `consoleActor` and resolves with its JSON-serialisable result.
 */
async function run(rdp, consoleActor, body, timeout, where) {
  const text = `(async () => {
    try {
      const value = await (async () => {\n${body}\n})();
      return JSON.stringify({ value: value === undefined ? null : value });
    } catch (error) {
      return JSON.stringify({ error: String(error) + (error && error.stack ? '\\n' + error.stack : '') });
    }
  })()`;
  let raw;
  try {
    raw = await rdp.evaluate(consoleActor, text, timeout);
  } catch (err) {
    throw new Error(`in ${where}: ${err.message}`);
  }
  const { value, error } = JSON.parse(raw);
  if (error !== undefined) throw new Error(`in ${where}: ${error}`);
  return value;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One console argument as text (strings as they are, other values by their grip). */
function argText(arg) {
  if (typeof arg !== 'object' || arg === null) return String(arg);
  if (arg.type === 'longString') return arg.initial;
  if (arg.type === 'undefined') return 'undefined';
  if (arg.preview?.kind === 'Error') return `${arg.preview.name}: ${arg.preview.message}`;
  return JSON.stringify(arg.preview ?? arg);
}

/**
 * Starts Firefox ESR with the add-on in `extensionDir`; HTTPS and plain HTTP
 * to every non-loopback host go through the HTTP proxy at `proxyPort`.
 */
export async function launchFirefox({ extensionDir, proxyPort, headless = true, timeout = 15_000 }) {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'manifest.json'), 'utf8'));
  const popupPath = manifest.action?.default_popup;
  const backgroundPath = manifest.background?.page ?? '_generated_background_page.html';

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'visen-firefox-'));
  const rdpPort = await freePort();
  let browser;
  let rdp;

  // If the test process ends without close(), still leave nothing behind.
  const onExit = () => {
    browser?.process()?.kill('SIGKILL');
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
  process.once('exit', onExit);

  async function close() {
    process.off('exit', onExit);
    rdp?.close();
    if (browser) {
      const proc = browser.process();
      await within(10_000, browser.close(), 'closing Firefox').catch(() => proc?.kill('SIGKILL'));
    }
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }

  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless,
      acceptInsecureCerts: true,
      userDataDir: profile,
      timeout: 30_000,
      protocolTimeout: 30_000,
      args: [`--start-debugger-server=${rdpPort}`],
      // Lets the pref below move Firefox's own settings traffic off the fakes.
      env: { ...process.env, MOZ_REMOTE_SETTINGS_DEVTOOLS: '1' },
      extraPrefsFirefox: {
        // Every non-loopback host through the fakes' proxy.
        'network.proxy.type': 1,
        'network.proxy.ssl': '127.0.0.1',
        'network.proxy.ssl_port': proxyPort,
        'network.proxy.http': '127.0.0.1',
        'network.proxy.http_port': proxyPort,
        'network.proxy.no_proxies_on': '',
        'network.proxy.allow_hijacking_localhost': false,
        // Firefox's own remote settings traffic to a closed loopback port.
        'services.settings.server': 'http://127.0.0.1:9/v1',
        // The debugging server, without the prompt that asks to allow it.
        'devtools.debugger.remote-enabled': true,
        'devtools.chrome.enabled': true,
        'devtools.debugger.prompt-connection': false,
      },
    });
    rdp = await RDP.connect(rdpPort, timeout);
    await rdp.next((p) => p.from === 'root' && p.applicationType, timeout, 'the debugging server greeting');

    let extensionId;
    try {
      extensionId = await browser.installExtension(path.resolve(extensionDir));
    } catch (err) {
      throw new Error(`Firefox refused the add-on in ${extensionDir}: ${err.message}`, { cause: err });
    }
    const { addons } = await rdp.request({ to: 'root', type: 'listAddons' });
    const addon = addons.find((a) => a.id === extensionId);
    if (!addon) throw new Error(`the add-on ${extensionId} is not listed after installing`);
    const baseUrl = addon.manifestURL.replace(/\/manifest\.json$/, '');

    // The add-on's documents as they come and go, and their console output.
    const documents = new Map(); // innerWindowId -> target form
    const consoleLines = [];
    const seen = new Set();
    const labelOf = (innerWindowId) => {
      const url = documents.get(innerWindowId)?.url;
      if (!url) return 'add-on';
      if (url === `${baseUrl}/${backgroundPath}`) return 'background';
      return url.startsWith(`${baseUrl}/`) ? url.slice(baseUrl.length + 1) : url;
    };
    rdp.onEvent = (p) => {
      if (p.type === 'target-available-form') documents.set(p.target.innerWindowId, p.target);
      if (p.type === 'target-destroyed-form') documents.delete(p.target?.innerWindowId);
      if (p.type !== 'resources-available-array') return;
      for (const [kind, resources] of p.array) {
        for (const r of resources) {
          const key = JSON.stringify([kind, r.innerWindowID, r.timeStamp ?? r.pageError?.timeStamp, r.arguments, r.pageError?.errorMessage]);
          if (seen.has(key)) continue; // a message can be announced twice
          seen.add(key);
          if (kind === 'console-message') {
            consoleLines.push(`[${labelOf(r.innerWindowID)}] ${r.level}: ${(r.arguments ?? []).map(argText).join(' ')}`);
          } else if (kind === 'error-message') {
            const e = r.pageError ?? {};
            consoleLines.push(`[${labelOf(e.innerWindowID)}] ${e.warning ? 'warning' : 'error'}: ${e.errorMessage} (${e.sourceName}:${e.lineNumber})`);
          }
        }
      }
    };

    const watcher = await rdp.request({ to: addon.actor, type: 'getWatcher' });
    await rdp.request({ to: watcher.actor, type: 'watchTargets', targetType: 'frame' });
    await rdp.request({ to: watcher.actor, type: 'watchResources', resourceTypes: ['console-message', 'error-message'] });

    /** The newest live document at `url` (optionally one not in `except`), waiting for it. */
    async function documentAt(url, except = new Set()) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const found = [...documents.values()].filter((t) => t.url === url && !except.has(t.innerWindowId)).pop();
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`${url} did not appear in ${timeout} ms`);
        await sleep(25);
      }
    }

    /**
     * Runs `body`, the body of an async function, in the background and
     * resolves with its JSON-serialisable result; throws what it throws.
     */
    async function evalInBackground(body, { timeout: ms = timeout } = {}) {
      const target = await documentAt(`${baseUrl}/${backgroundPath}`);
      return run(rdp, target.consoleActor, body, ms, 'the background');
    }

    /** Opens a web page in a new tab and brings it to the front. */
    async function openTab(url) {
      const page = await browser.newPage();
      await page.goto(url, { timeout });
      await page.bringToFront();
      return page;
    }

    /**
     * Opens an add-on page (e.g. 'popup/popup.html') in a new tab, or with
     * { window: true } in a popup window of its own (the tab that was active
     * stays active in its window, but the new window has the focus), and
     * returns it as a puppeteer page.
     */
    async function openExtensionPage(pagePath, { window = false } = {}) {
      const url = `${baseUrl}/${pagePath}`;
      const before = new Set(await browser.pages());
      await evalInBackground(
        window
          ? `await browser.windows.create({ type: 'popup', url: ${JSON.stringify(url)}, width: 420, height: 640 });`
          : `await browser.tabs.create({ url: ${JSON.stringify(url)} });`,
      );
      const deadline = Date.now() + timeout;
      while (Date.now() < deadline) {
        for (const page of await browser.pages()) {
          if (before.has(page)) continue;
          const here = await within(2_000, page.evaluate(() => location.href), 'location').catch(() => '');
          if (here !== url) continue;
          await page.waitForFunction(() => document.readyState === 'complete', { timeout });
          return page;
        }
        await sleep(50);
      }
      throw new Error(`${pagePath} did not open in ${timeout} ms`);
    }

    /**
     * Opens the add-on's toolbar popup over the active tab, as a click on the
     * icon does, and returns a page-like handle driven over the debugging
     * protocol.
     */
    async function openPopup() {
      if (!popupPath) throw new Error('the manifest has no action.default_popup');
      const url = `${baseUrl}/${popupPath}`;
      const old = new Set([...documents.values()].filter((t) => t.url === url).map((t) => t.innerWindowId));
      await evalInBackground('await browser.action.openPopup();');
      const target = await documentAt(url, old);
      const popup = new PopupPage(rdp, target, url, timeout, () => documents.has(target.innerWindowId));
      await popup.waitForFunction(() => document.readyState === 'complete', { timeout });
      return popup;
    }

    return {
      browser,
      extensionId,
      baseUrl,
      warnings: addon.warnings ?? [],
      evalInBackground,
      openTab,
      openPopup,
      openExtensionPage,
      consoleLines,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The real popup, driven with a subset of puppeteer's Page API: evaluate,
 * $eval, waitForFunction, waitForSelector, click, type, select, close.
 * Functions are sent as source text, so they cannot close over Node values;
 * pass those as arguments. Input events are synthesised in the page.
 */
class PopupPage {
  constructor(rdp, target, url, timeout, isOpen) {
    this.rdp = rdp;
    this.target = target;
    this.href = url;
    this.timeout = timeout;
    this.isOpen = isOpen;
  }

  url() {
    return this.href;
  }

  isClosed() {
    return !this.isOpen();
  }

  evaluate(fn, ...args) {
    const source = typeof fn === 'function' ? fn.toString() : `() => (${fn})`;
    return run(this.rdp, this.target.consoleActor, `return await (${source})(...${JSON.stringify(args)});`, this.timeout, 'the popup');
  }

  $eval(selector, fn, ...args) {
    const body = `const el = document.querySelector(${JSON.stringify(selector)});
      if (!el) throw new Error(${JSON.stringify(`no element matches ${selector}`)});
      return await (${fn.toString()})(el, ...${JSON.stringify(args)});`;
    return run(this.rdp, this.target.consoleActor, body, this.timeout, 'the popup');
  }

  async waitForFunction(fn, { timeout = this.timeout, polling = 50 } = {}, ...args) {
    const deadline = Date.now() + timeout;
    for (;;) {
      if (await this.evaluate(fn, ...args)) return;
      if (Date.now() > deadline) throw new Error(`waiting for ${String(fn).slice(0, 80)} failed: ${timeout} ms exceeded`);
      await sleep(polling);
    }
  }

  async waitForSelector(selector, { visible = false, hidden = false, timeout = this.timeout } = {}) {
    await this.waitForFunction(
      (sel, vis, hid) => {
        const el = document.querySelector(sel);
        const shown = !!el && !el.closest('[hidden]') && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
        return hid ? !shown : vis ? shown : !!el;
      },
      { timeout },
      selector, visible, hidden,
    );
  }

  click(selector, { clickCount = 1 } = {}) {
    return this.$eval(selector, (el, count) => {
      el.scrollIntoView({ block: 'center' });
      const r = el.getBoundingClientRect();
      const at = { bubbles: true, cancelable: true, composed: true, view: window, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2 };
      for (let detail = 1; detail <= count; detail++) {
        el.dispatchEvent(new PointerEvent('pointerdown', { ...at, detail }));
        el.dispatchEvent(new MouseEvent('mousedown', { ...at, detail }));
        if (detail === 1) el.focus();
        el.dispatchEvent(new PointerEvent('pointerup', { ...at, detail }));
        el.dispatchEvent(new MouseEvent('mouseup', { ...at, detail }));
        if (detail === 1 && typeof el.click === 'function' && !el.disabled) el.click();
        else el.dispatchEvent(new MouseEvent('click', { ...at, detail }));
      }
      if (count >= 3 && typeof el.select === 'function') el.select();
    }, clickCount);
  }

  type(selector, text) {
    return this.$eval(selector, (el, value) => {
      el.focus();
      for (const key of value) {
        el.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
        el.dispatchEvent(new KeyboardEvent('keypress', { key, bubbles: true, cancelable: true }));
        if ('value' in el) {
          const start = el.selectionStart ?? el.value.length;
          const end = el.selectionEnd ?? el.value.length;
          el.setRangeText(key, start, end, 'end');
        } else if (el.isContentEditable) {
          document.execCommand('insertText', false, key);
        }
        el.dispatchEvent(new InputEvent('input', { data: key, inputType: 'insertText', bubbles: true }));
        el.dispatchEvent(new KeyboardEvent('keyup', { key, bubbles: true, cancelable: true }));
      }
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, text);
  }

  select(selector, ...values) {
    return this.$eval(selector, (el, wanted) => {
      for (const option of el.options) option.selected = wanted.includes(option.value);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
      return [...el.selectedOptions].map((o) => o.value);
    }, values);
  }

  /** Closes the popup panel and waits until it is gone. */
  async close() {
    if (!this.isOpen()) return;
    await this.evaluate(() => {
      setTimeout(() => window.close(), 0);
    }).catch(() => {});
    const deadline = Date.now() + this.timeout;
    while (this.isOpen()) {
      if (Date.now() > deadline) throw new Error('the popup did not close');
      await sleep(25);
    }
  }
}
