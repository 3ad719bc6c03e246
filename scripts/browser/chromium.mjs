// The one place that knows how Visen starts Chromium: which browser, its
// flags, the profile, the built extension loaded, and, with the fakes, the
// real Notion and AI hosts mapped to the fakes' TLS port while every other
// name resolves to nothing, so nothing leaves the machine.
//
// As a command, for a person (`make run`, and `make demo` through
// scripts/fakes/demo.sh):
//
//   node scripts/browser/chromium.mjs --profile DIR [--fakes TLS_PORT] EXTENSION URL
//   node scripts/browser/chromium.mjs --check --profile DIR
//
// it opens URL in a window with the extension in EXTENSION loaded, in the
// profile DIR kept between runs, and returns when the browser stops:
// Ctrl+C or SIGTERM closes it and exits 0; a browser that stops with an
// error exits with its status and Chromium's reason. Chromium's own
// messages go to DIR/chromium.log, so the terminal shows only Visen's.
// --check only finds the browser and makes sure no browser runs on DIR yet,
// so a caller can fail before it starts anything else. A person can set:
//
//   VISEN_CHROMIUM=path       the browser to run (default: chromium, else
//                             chromium-browser or google-chrome on PATH)
//   VISEN_BROWSER_FLAGS=...   extra browser flags, split on spaces, such as
//                             "--remote-debugging-port=9222 --lang=fr"
//   VISEN_HEADLESS=1          run with no window (--headless=new), for a
//                             machine without a display or for scripts
//
// As root, Chromium refuses to start with its sandbox, so --no-sandbox is
// added and said.
//
// As a module, for the tests, the benchmarks and the screenshots:
// launchChromium() starts a browser driven by puppeteer-core in a fresh
// profile, and connectChromium() reaches one already running, such as the
// demo's.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

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
 * The Chromium to run: VISEN_CHROMIUM, else the first of chromium,
 * chromium-browser and google-chrome on PATH. Throws, saying what to
 * install, when there is none.
 */
export function findChromium(env = process.env) {
  const names = env.VISEN_CHROMIUM ? [env.VISEN_CHROMIUM] : ['chromium', 'chromium-browser', 'google-chrome'];
  for (const name of names) {
    const dirs = name.includes('/') ? [''] : (env.PATH ?? '').split(path.delimiter).filter(Boolean);
    for (const dir of dirs) {
      const file = path.resolve(dir, name);
      try {
        fs.accessSync(file, fs.constants.X_OK);
        if (fs.statSync(file).isFile()) return file;
      } catch {
        // Not here; the next place may have it.
      }
    }
  }
  throw new Error(env.VISEN_CHROMIUM
    ? `VISEN_CHROMIUM is set to “${env.VISEN_CHROMIUM}”, which is not a program here.`
    : 'Chromium is not installed. On Debian or Ubuntu run: bash scripts/browser/install.sh chromium\n'
      + "Elsewhere, install Chromium with the system's package manager, or set VISEN_CHROMIUM to a Chromium or Chrome binary.");
}

/**
 * The flags of a browser that talks to the fakes alone: the real hosts
 * mapped to their TLS port, whose throwaway certificate it accepts, every
 * other name resolving to nothing (the fakes' own address and a local model
 * stay reachable), and none of Chromium's own traffic.
 */
export function fakesFlags(tlsPort) {
  const rules = [
    ...MAPPED_HOSTS.map((h) => `MAP ${h} 127.0.0.1:${tlsPort}`),
    'MAP * ~NOTFOUND',
    'EXCLUDE 127.0.0.1',
    'EXCLUDE localhost',
  ];
  return [
    '--ignore-certificate-errors',
    `--host-resolver-rules=${rules.join(', ')}`,
    '--disable-quic',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
  ];
}

/** The flags of a new profile that asks nothing on its first start. */
const FIRST_RUN = ['--no-first-run', '--no-default-browser-check'];

/**
 * The flags a person's variables and user give: --no-sandbox as root,
 * headless with VISEN_HEADLESS=1, and VISEN_BROWSER_FLAGS last, so they win.
 */
function personFlags(env) {
  return [
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ...(env.VISEN_HEADLESS === '1' ? ['--headless=new'] : []),
    ...(env.VISEN_BROWSER_FLAGS ?? '').split(/\s+/).filter(Boolean),
  ];
}

/**
 * Starts Chromium with the extension in `extensionDir`, driven by
 * puppeteer-core, the fakes' hosts mapped to `tlsPort`, in `userDataDir`
 * or a fresh profile removed on close. Returns the browser, the extension's
 * id, its service worker, the console lines of every extension context,
 * and helpers.
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
  const browser = await (await puppeteer()).launch({
    executablePath: findChromium(),
    headless,
    pipe: true,
    // puppeteer loads the extension over the pipe.
    enableExtensions: [path.resolve(extensionDir)],
    userDataDir: profile,
    protocolTimeout: 30_000,
    args: [
      ...FIRST_RUN,
      ...fakesFlags(tlsPort),
      // A browser the tests drive opens only the fakes' pages: it runs
      // without the sandbox whoever runs it, and without a GPU.
      '--no-sandbox',
      '--disable-gpu',
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

/** puppeteer-core, loaded only where a browser is driven. */
async function puppeteer() {
  const require = createRequire(import.meta.url);
  return (await import(require.resolve('puppeteer-core'))).default;
}

/**
 * Connects to a Chromium that is already running with the extension, such
 * as the one `make demo` starts, through its remote-debugging address.
 * Disconnecting leaves that browser running.
 */
export async function connectChromium(browserWSEndpoint) {
  const browser = await (await puppeteer()).connect({ browserWSEndpoint, protocolTimeout: 30_000 });
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
   * and returns it as a page once its script has run. onOpen, if given, gets
   * the time (the machine's clock, in ms) at which the background asked for it.
   */
  async function openPopup({ onOpen } = {}) {
    const w = await worker();
    const url = `chrome-extension://${extensionId}/popup/popup.html`;
    // A popup that is still closing has the same address; wait for a new one.
    const old = new Set(browser.targets().filter((t) => t.url() === url));
    const opened = browser.waitForTarget((t) => t.type() === 'page' && t.url() === url && !old.has(t), { timeout: 10_000 });
    const at = await w.evaluate(() => {
      const now = performance.timeOrigin + performance.now();
      return chrome.action.openPopup().then(() => now);
    });
    onOpen?.(at);
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

/**
 * Fails, saying so, when a browser already runs on `profile`: Chromium
 * would hand the new window to it and exit, with the old settings.
 */
function refuseRunningProfile(profile) {
  let lock;
  try {
    lock = fs.readlinkSync(path.join(profile, 'SingletonLock'));
  } catch {
    return;
  }
  const at = lock.lastIndexOf('-');
  const pid = Number(lock.slice(at + 1));
  if (lock.slice(0, at) !== os.hostname() || !alive(pid)) return;
  throw new Error(`A browser is already running with the profile ${profile} (process ${pid}). Close it, then start again.`);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Says why the browser stopped, from the last lines of its log, and what
 * to do when there is no display.
 */
function explainFailure(status, log, env) {
  const lines = fs.readFileSync(log, 'utf8').split('\n').filter((l) => l.trim() && !l.includes('dbus'));
  console.error(`Chromium stopped with exit status ${status}. Its last messages (all of them are in ${log}):`);
  for (const l of lines.slice(-5)) console.error(`  ${l}`);
  if (env.VISEN_HEADLESS !== '1' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    console.error('There is no display here (DISPLAY and WAYLAND_DISPLAY are unset). Run the browser headless with');
    console.error('VISEN_HEADLESS=1 (add VISEN_BROWSER_FLAGS=--remote-debugging-port=9222 to drive it), or under a virtual');
    console.error('display: xvfb-run make … (Debian\'s package xvfb).');
  }
}

/**
 * The command: starts Chromium for a person and resolves to the exit
 * status to leave with.
 */
async function command(argv, env) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { profile: { type: 'string' }, fakes: { type: 'string' }, check: { type: 'boolean' } },
    allowPositionals: true,
  });
  const [extension, url] = positionals;
  if (!values.profile || (!values.check && !(extension && url))) {
    console.error('usage: node scripts/browser/chromium.mjs --profile DIR [--fakes TLS_PORT] EXTENSION URL');
    console.error('       node scripts/browser/chromium.mjs --check --profile DIR');
    return 2;
  }
  const profile = path.resolve(values.profile);
  let bin;
  try {
    bin = findChromium(env);
    refuseRunningProfile(profile);
  } catch (err) {
    console.error(err.message);
    return 1;
  }
  if (values.check) return 0;

  if (process.getuid?.() === 0) console.log("Running as root: Chromium's sandbox is off (--no-sandbox), as Chromium requires for root.");
  fs.mkdirSync(profile, { recursive: true });
  const log = path.join(profile, 'chromium.log');
  const out = fs.openSync(log, 'w');
  const dir = path.resolve(extension);
  const browser = spawn(bin, [
    `--user-data-dir=${profile}`,
    ...FIRST_RUN,
    ...(values.fakes ? fakesFlags(values.fakes) : []),
    `--load-extension=${dir}`,
    `--disable-extensions-except=${dir}`,
    ...personFlags(env),
    url,
  ], { stdio: ['ignore', out, out] });
  fs.closeSync(out);

  // Ctrl+C or SIGTERM closes the browser, which is waited for, so the
  // profile kept for next time is written whole.
  let stopping = false;
  const stop = () => {
    stopping = true;
    browser.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const [code, signal] = await new Promise((resolve) => {
    browser.once('error', () => resolve([127, null]));
    browser.once('exit', (c, s) => resolve([c, s]));
  });
  const status = code ?? 128 + (os.constants.signals[signal] ?? 0);
  if (stopping || status === 0) return 0;
  explainFailure(status, log, env);
  return status;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = await command(process.argv.slice(2), process.env);
}
