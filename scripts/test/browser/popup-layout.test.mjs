// The popup in every state, in Chromium at its real size, light and dark:
// one height, the main action in view, no horizontal overflow, readable
// type, dark-mode controls and borders at 3:1, at most 90 of its own words
// and no sentence shown twice, no axe-core WCAG 2 A/AA violation, every id
// the tests rely on in the page, and the database's rows and chips as one
// Tab stop each.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { fill, startChromium } from './harness.mjs';
import { IDS } from '../../../extension/popup/ids.js';
import { STATES, axe, measure, stateContext, tabsTo } from './popup-states.mjs';

describe('Chromium: the popup in every state', () => {
  let fakes;
  let chrome;
  let ctx;

  before(async () => {
    let seed;
    ({ fakes, seed, chrome } = await startChromium());
    ctx = stateContext(chrome, fakes, seed);
  });

  after(async () => {
    await chrome?.close();
    await fakes?.stop();
  });

  for (const state of STATES) {
    test(state.name, async (t) => {
      const popup = await state.enter(ctx);
      for (const scheme of ['light', 'dark']) {
        await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        const m = await measure(popup, state.main);
        assert.equal(m.height, 600, `${scheme}: every state is one height`);
        assert.equal(m.width, 380, `${scheme}: one fixed width`);
        assert.equal(m.overflowX, false, `${scheme}: no horizontal overflow`);
        if (state.main) assert.equal(m.mainVisible, true, `${scheme}: ${state.main} is in view`);
        assert.ok(m.smallest.size >= 13, `${scheme}: ${m.smallest.tag}#${m.smallest.id} is ${m.smallest.size} px`);
        if (scheme === 'dark') assert.deepEqual(m.weakEdges, [], 'dark: every control and table border stands out 3:1');
        assert.ok(m.words <= 90, `${scheme}: ${m.words} words of the popup's own`);
        assert.deepEqual(m.repeated, [], `${scheme}: no sentence of four or more words shown twice`);
        assert.deepEqual(await axe(popup), [], `${scheme}: axe-core finds no WCAG 2 A/AA violation`);
        if (scheme === 'light') t.diagnostic(`${state.name}: ${m.words} words, content ${m.content} px, main action in view: ${m.mainVisible}`);
      }
      const missing = await popup.evaluate((ids) => ids.filter((id) => !document.getElementById(id)), Object.values(IDS).flat());
      assert.deepEqual(missing, [], 'every id the tests rely on is in the popup');
      await state.leave?.(ctx, popup);
      await popup.close();
    });
  }

  test('on a database with 12 rows, at most 12 Tab presses reach Fill', async () => {
    // The Fill rows tab was the last one used, so the popup opens on it.
    const popup = await ctx.open(ctx.seed.notion.databases.calendar.url);
    await popup.waitForFunction(() => document.querySelectorAll('#rows li').length >= 12 && document.activeElement?.id === 'fill-template', { timeout: 10_000 });
    const presses = await tabsTo(popup, '#fill-run', 40);
    assert.ok(presses <= 12, `${presses} Tab presses`);
    await popup.close();
  });

  test('the row list is one Tab stop: arrow keys move, Space ticks', async () => {
    const popup = await ctx.open(ctx.seed.notion.databases.calendar.url);
    await popup.waitForFunction(() => document.querySelectorAll('#rows li').length >= 12, { timeout: 10_000 });
    await fill(popup, '#fill-template', 'About {{Name}}.');
    await popup.focus('#rows li[tabindex="0"]');
    const first = await popup.evaluate(() => document.activeElement.dataset.id);
    await popup.keyboard.press('ArrowDown');
    const second = await popup.evaluate(() => document.activeElement.dataset.id);
    assert.notEqual(first, second);
    const wasTicked = await popup.evaluate(() => document.activeElement.getAttribute('aria-selected'));
    await popup.keyboard.press('Space');
    await popup.waitForFunction((id, was) => document.querySelector(`#rows li[data-id="${id}"]`).getAttribute('aria-selected') !== was, { timeout: 5_000 }, second, wasTicked);
    assert.equal(await popup.evaluate(() => document.activeElement.dataset.id), second, 'focus stays on the row');
    assert.equal(await popup.$$eval('#rows li[tabindex="0"]', (l) => l.length), 1, 'one Tab stop');
    await popup.keyboard.press('Tab');
    assert.equal(await popup.evaluate(() => Boolean(document.activeElement.closest('#rows'))), false, 'one Tab leaves the list');
    await popup.close();
  });
});
