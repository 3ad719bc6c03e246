// Launches Debian's Chromium with the built, unchanged extension, with the
// real API hosts mapped to the local fakes, and opens the popup the way a
// click on the toolbar icon does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { default: puppeteer } = await import(require.resolve('puppeteer-core'));

/** The hosts the extension talks to, all answered by the fakes' TLS port. */
export const MAPPED_HOSTS = [
  'api.notion.com',
  'www.notion.so',
  'notion.so',
  'api.openai.com',
  'api.anthropic.com',
  'generativelanguage.googleapis.com',
  'openrouter.ai',
];

/**
 * Starts Chromium with the extension in `extensionDir`. Returns the browser,
 * the extension's id, its service worker, the console lines of every
 * extension context, and helpers.
 */
export async function launchChromium({ extensionDir, tlsPort, headless = true, userDataDir }) {
  const profile = userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'visen-chromium-'));
  // Developer mode turns on Chromium's error console, so runtime errors
  // reach the extensions page where extensionReport reads them.
  const prefs = path.join(profile, 'Default', 'Preferences');
  if (!fs.existsSync(prefs)) {
    fs.mkdirSync(path.dirname(prefs), { recursive: true });
    fs.writeFileSync(prefs, JSON.stringify({ extensions: { ui: { developer_mode: true } } }));
  }
  const rules = MAPPED_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${tlsPort}`).join(', ');
  const browser = await puppeteer.launch({
    executablePath: '/usr/bin/chromium',
    headless,
    pipe: true,
    enableExtensions: [path.resolve(extensionDir)],
    userDataDir: profile,
    protocolTimeout: 30_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--ignore-certificate-errors',
      `--host-resolver-rules=${rules}`,
      '--window-size=1200,900',
      '--screen-info={1600x1200}',
    ],
  });
  const helpers = await attach(browser);

  async function close() {
    await browser.close().catch(() => {});
    if (!userDataDir) fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }

  return { ...helpers, close };
}

/**
 * Connects to a Chromium that is already running with the extension, such
 * as the one `make demo` starts, through its remote-debugging address.
 * Disconnecting leaves that browser running.
 */
export async function connectChromium(browserWSEndpoint) {
  const browser = await puppeteer.connect({ browserWSEndpoint, protocolTimeout: 30_000 });
  return { ...(await attach(browser)), close: () => browser.disconnect() };
}

/**
 * Finds the extension in a running browser. Returns the browser, the
 * extension's id, its service worker, the console lines of every extension
 * context, and helpers.
 */
async function attach(browser) {
  const consoleLines = [];
  const workerTarget = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().endsWith('/background/background.js'),
    { timeout: 15_000 },
  );
  const extensionId = new URL(workerTarget.url()).host;

  async function worker() {
    const target = await browser.waitForTarget(
      (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`),
      { timeout: 15_000 },
    );
    const w = await target.worker();
    if (!w.__visenConsole) {
      w.__visenConsole = true;
      w.on('console', (m) => consoleLines.push(`[background] ${m.type()}: ${m.text()}`));
    }
    return w;
  }
  await worker();

  /** Opens a tab at `url`, waits for it to load and brings it to the front. */
  async function openTab(url) {
    const page = await browser.newPage();
    page.on('console', (m) => consoleLines.push(`[tab] ${m.type()}: ${m.text()}`));
    await page.goto(url, { waitUntil: 'load', timeout: 15_000 });
    await page.bringToFront();
    return page;
  }

  /**
   * Opens the real popup over the active tab, as a click on the icon does,
   * and returns it as a page once its script has run.
   */
  async function openPopup() {
    const w = await worker();
    const url = `chrome-extension://${extensionId}/popup/popup.html`;
    // A popup that is still closing has the same address; wait for a new one.
    const old = new Set(browser.targets().filter((t) => t.url() === url));
    const opened = browser.waitForTarget((t) => t.type() === 'page' && t.url() === url && !old.has(t), { timeout: 10_000 });
    await w.evaluate(() => chrome.action.openPopup());
    const popup = await (await opened).asPage();
    popup.on('console', (m) => consoleLines.push(`[popup] ${m.type()}: ${m.text()}`));
    popup.on('pageerror', (e) => consoleLines.push(`[popup] pageerror: ${e.message}`));
    await popup.waitForFunction(() => document.readyState === 'complete', { timeout: 10_000 });
    return popup;
  }

  /** What Chromium's extensions page reports for the extension. */
  async function extensionReport() {
    const page = await browser.newPage();
    await page.goto(`chrome://extensions/?id=${extensionId}`);
    const info = await page.evaluate(
      (id) => new Promise((resolve) => chrome.developerPrivate.getExtensionInfo(id, resolve)),
      extensionId,
    );
    await page.close();
    return {
      installWarnings: info.installWarnings ?? [],
      manifestErrors: info.manifestErrors ?? [],
      runtimeErrors: info.runtimeErrors ?? [],
    };
  }

  return { browser, extensionId, worker, openTab, openPopup, extensionReport, consoleLines };
}
