// Measures what a person waits for: the engine's size, the background's
// wasm start-up, and the popup's time to interactive in Chromium.
//
//   node scripts/measure-extension.mjs   (after `make`)
import fs from 'node:fs';
import zlib from 'node:zlib';

import { launchChromium } from './browser-test/chromium.mjs';
import { startFakes } from './browser-test/fakes.mjs';
import { DIST } from './browser-test/harness.mjs';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;

const wasm = fs.readFileSync(`${DIST('chrome')}/background/visen.wasm`);
const gz = zlib.gzipSync(wasm, { level: 9 });
console.log(`visen.wasm: ${(wasm.length / 1048576).toFixed(2)} MiB raw, ${(gz.length / 1048576).toFixed(2)} MiB gzipped`);

const fakes = await startFakes();
const seed = await fakes.control('GET', '/seed');
try {
  const starts = [];
  for (let i = 0; i < 5; i++) {
    const chrome = await launchChromium({ extensionDir: DIST('chrome'), tlsPort: fakes.ports.tls });
    const w = await chrome.worker();
    for (let n = 0; n < 200; n++) {
      if (await w.evaluate(() => performance.getEntriesByName('visen:engine-start').length > 0)) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    starts.push(await w.evaluate(() => performance.getEntriesByName('visen:engine-start')[0]?.duration ?? NaN));
    await chrome.close();
  }
  console.log(`engine start-up (fetch + compile + run), median of ${starts.length} launches: ${ms(median(starts))}`);

  const chrome = await launchChromium({ extensionDir: DIST('chrome'), tlsPort: fakes.ports.tls });
  await chrome.openTab(seed.notion.pages.connected.url);
  const tti = [];
  for (let i = 0; i < 20; i++) {
    const popup = await chrome.openPopup();
    await popup.waitForFunction(() => performance.getEntriesByName('visen:interactive').length > 0, { timeout: 10_000 });
    tti.push(await popup.evaluate(() => performance.getEntriesByName('visen:interactive')[0].startTime));
    await popup.close();
  }
  await chrome.close();
  console.log(`popup time to interactive, median of ${tti.length} opens: ${ms(median(tti))} (min ${ms(Math.min(...tti))}, max ${ms(Math.max(...tti))})`);
} finally {
  await fakes.stop();
}
