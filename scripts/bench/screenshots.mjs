// `make screenshots`: the popup in every state, light and dark, at its real
// size, saved under dist/screenshots/ for review and store listings. It also
// prints, per state, the popup's own words shown, the height the content
// needs, the Tab presses from opening to the main action, whether that
// action is in view, and how many sentences of four or more words are shown
// twice.
import fs from 'node:fs';
import path from 'node:path';

import { ROOT, startChromium } from '../test/browser/harness.mjs';
import { STATES, measure, stateContext, tabsTo } from '../test/browser/popup-states.mjs';

const out = path.join(ROOT, 'dist', 'screenshots');
fs.mkdirSync(out, { recursive: true });
const { fakes, seed, chrome } = await startChromium();
const ctx = stateContext(chrome, fakes, seed);
const rows = [];
const repeats = [];
try {
  for (const state of STATES) {
    const popup = await state.enter(ctx);
    const m = await measure(popup, state.main);
    for (const scheme of ['light', 'dark']) {
      await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await popup.screenshot({ path: path.join(out, `${state.name}-${scheme}.png`) });
    }
    await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
    const tabs = state.main ? await tabsTo(popup, state.main) : null;
    rows.push([state.name, m.words, `${m.content} px`, `${m.width}×${m.height}`, tabs ?? '—', state.main ? (m.mainVisible ? 'yes' : 'NO') : '—', m.repeated.length]);
    for (const r of m.repeated) repeats.push(`${state.name}: “${r}”`);
    await state.leave?.(ctx, popup);
    await popup.close();
  }
} finally {
  await chrome.close();
  await fakes.stop();
}
const head = ['state', 'words', 'content', 'popup', 'Tab presses to main', 'main in view', 'repeated'];
const widths = head.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
const line = (r) => r.map((c, i) => String(c).padEnd(widths[i])).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));
if (repeats.length) console.log(`\nShown twice:\n${repeats.join('\n')}`);
console.log(`\n${STATES.length * 2} screenshots in dist/screenshots/`);
