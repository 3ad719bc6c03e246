// Launches Debian's Firefox ESR with the built, unchanged add-on, and gives
// tests a way into it.
//
// - puppeteer-core over WebDriver BiDi starts Firefox and installs the
//   unpacked add-on (browser.installExtension).
// - Firefox has no host-resolver rules, so every HTTPS host goes through the
//   fakes' CONNECT proxy, which tunnels to the fakes' TLS port; the session's
//   acceptInsecureCerts covers the add-on's own requests too.
// - BiDi refuses to navigate to moz-extension:// pages, so the add-on's
//   background is reached over Firefox's Remote Debugging Protocol: the
//   add-on's watcher lists its frames, and the background page's console
//   actor evaluates code there. From the background, a test can open the
//   popup page in a tab, which puppeteer then drives like any page.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { default: puppeteer } = await import(require.resolve('puppeteer-core'));

/** A minimal Remote Debugging Protocol client: length-prefixed JSON packets. */
class RDP {
  constructor(socket) {
    this.socket = socket;
    this.buffer = Buffer.alloc(0);
    this.packets = [];
    this.waiters = [];
    socket.on('data', (chunk) => this.onData(chunk));
  }

  static connect(port, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    return new Promise((resolve, reject) => {
      const attempt = () => {
        const socket = net.createConnection({ port, host: '127.0.0.1' });
        socket.once('connect', () => resolve(new RDP(socket)));
        socket.once('error', (err) => {
          if (Date.now() > deadline) reject(err);
          else setTimeout(attempt, 100);
        });
      };
      attempt();
    });
  }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(58);
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString());
      if (this.buffer.length < colon + 1 + length) return;
      const packet = JSON.parse(this.buffer.subarray(colon + 1, colon + 1 + length).toString());
      if (packet.type === 'resources-available-array') {
        this.onResources?.(packet.array);
      } else {
        this.packets.push(packet);
      }
      this.buffer = this.buffer.subarray(colon + 1 + length);
      for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** Resolves with the first packet (queued or future) that matches. */
  async next(match, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const i = this.packets.findIndex(match);
      if (i >= 0) return this.packets.splice(i, 1)[0];
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('Firefox did not answer over the debugging protocol in time');
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  send(packet) {
    const text = JSON.stringify(packet);
    this.socket.write(`${Buffer.byteLength(text)}:${text}`);
  }

  async request(packet) {
    this.send(packet);
    const answer = await this.next((p) => p.from === packet.to && !p.type);
    if (answer.error) throw new Error(`${packet.type}: ${answer.error}: ${answer.message}`);
    return answer;
  }

  close() {
    this.socket.destroy();
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/**
 * Starts Firefox ESR with the add-on in `extensionDir`, every HTTPS host sent
 * through the proxy at `proxyPort`.
 */
export async function launchFirefox({ extensionDir, proxyPort, headless = true }) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'visen-firefox-'));
  const rdpPort = await freePort();
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: '/usr/bin/firefox-esr',
    headless,
    acceptInsecureCerts: true,
    userDataDir: profile,
    protocolTimeout: 30_000,
    args: [`--start-debugger-server=${rdpPort}`],
    extraPrefsFirefox: {
      'network.proxy.type': 1,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': proxyPort,
      'network.proxy.no_proxies_on': '',
      'devtools.debugger.remote-enabled': true,
      'devtools.chrome.enabled': true,
      'devtools.debugger.prompt-connection': false,
    },
  });
  const rdp = await RDP.connect(rdpPort);
  try {
    await rdp.next((p) => p.from === 'root' && p.applicationType);
    const extensionId = await browser.installExtension(path.resolve(extensionDir));
    const { addons } = await rdp.request({ to: 'root', type: 'listAddons' });
    const addon = addons.find((a) => a.id === extensionId);
    if (!addon) throw new Error(`the add-on ${extensionId} is not listed after installing`);
    const baseUrl = addon.manifestURL.replace(/\/manifest\.json$/, '');

    const watcher = await rdp.request({ to: addon.actor, type: 'getWatcher' });
    rdp.send({ to: watcher.actor, type: 'watchTargets', targetType: 'frame' });
    const background = (
      await rdp.next(
        (p) => p.type === 'target-available-form' && p.target.url?.startsWith(`${baseUrl}/`),
        15_000,
      )
    ).target;

    const consoleLines = [];
    // The background's console messages and errors, as DevTools would show them.
    rdp.onResources = (groups) => {
      for (const [kind, resources] of groups) {
        for (const r of resources) consoleLines.push(`[background] ${kind}: ${JSON.stringify(r.arguments ?? r.pageError ?? r)}`);
      }
    };
    await rdp.request({ to: watcher.actor, type: 'watchResources', resourceTypes: ['console-message', 'error-message'] });

    async function evaluate(text) {
      rdp.send({ to: background.consoleActor, type: 'evaluateJSAsync', text });
      const { resultID } = await rdp.next((p) => p.from === background.consoleActor && p.resultID && !p.type);
      const result = await rdp.next((p) => p.type === 'evaluationResult' && p.resultID === resultID, 15_000);
      if (result.hasException) throw new Error(`in the background: ${result.exceptionMessage}`);
      return result.result;
    }

    let evaluations = 0;
    /**
     * Runs the body of an async function in the background page and returns
     * its JSON-serialisable result. The console evaluates synchronously, so
     * the promise's outcome is parked on a global and polled.
     */
    async function evalInBackground(body) {
      const slot = `__visenTest${++evaluations}`;
      await evaluate(`(async () => { ${body} })().then(
        (value) => { globalThis.${slot} = JSON.stringify({ value }); },
        (error) => { globalThis.${slot} = JSON.stringify({ error: String(error) }); }); 0`);
      const deadline = Date.now() + 15_000;
      while (Date.now() < deadline) {
        const raw = await evaluate(`globalThis.${slot} ?? ''`);
        if (raw) {
          const { value, error } = JSON.parse(raw);
          if (error) throw new Error(`in the background: ${error}`);
          return value;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the background did not finish in 15 s');
    }

    /** Opens one of the add-on's pages in a tab and returns it as a page. */
    async function openExtensionPage(pagePath) {
      const url = `${baseUrl}/${pagePath}`;
      const before = new Set(await browser.pages());
      await evalInBackground(`await browser.tabs.create({ url: ${JSON.stringify(url)} });`);
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        for (const page of await browser.pages()) {
          if (before.has(page)) continue;
          const here = await page.evaluate(() => location.href).catch(() => '');
          if (here === url) {
            page.on('console', (m) => consoleLines.push(`[${pagePath}] ${m.type()}: ${m.text()}`));
            await page.waitForFunction(() => document.readyState === 'complete', { timeout: 10_000 });
            return page;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${pagePath} did not open`);
    }

    async function close() {
      rdp.close();
      await browser.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    }

    return { browser, extensionId, baseUrl, warnings: addon.warnings ?? [], evalInBackground, openExtensionPage, consoleLines, close };
  } catch (err) {
    rdp.close();
    await browser.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}
