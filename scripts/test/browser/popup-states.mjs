// Every state a person can meet in the popup, entered through the real
// popup as a person would, for the layout and accessibility tests and for
// `make screenshots`. Each state names the action that must stay in view.
import { createRequire } from 'node:module';
import fs from 'node:fs';

import { fill, openSettings, paste, saveSettings, selectInPage, setUp, waitForText } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const ANSWER = `# Launch plan

A short plan for the **launch**, with a [link](https://example.com).

## Steps

- [ ] Write the announcement
- [x] Brief the support team
  - Share the FAQ

| Task | Owner |
| --- | --- |
| Blog | Dana |

> [!TIP]
> Launch on a Tuesday.

\`\`\`sh
make release
\`\`\`

$$E = mc^2$$
`;

/**
 * The states, in an order where each can build on the one before. `enter`
 * resolves to the popup showing the state; `main` is the selector of the
 * action that must be in view (null where there is none to take).
 */
export const STATES = [
  {
    name: 'welcome',
    main: '#welcome-start',
    async enter(ctx) {
      await ctx.reset();
      return ctx.open(ctx.seed.notion.pages.connected.url, '#welcome');
    },
  },
  {
    name: 'setup',
    main: '#save',
    async enter(ctx) {
      await ctx.reset();
      const popup = await ctx.open(ctx.seed.notion.pages.connected.url);
      await openSettings(popup);
      return popup;
    },
  },
  {
    name: 'settings-errors',
    main: '#save',
    async enter(ctx) {
      await ctx.reset();
      const popup = await ctx.open(ctx.seed.notion.pages.connected.url);
      await saveSettings(popup, { secret: 'not-a-secret', provider: 'custom', apiKey: 'sk bad', model: '', baseUrl: 'ftp:/nope' });
      await waitForText(popup, '#notion-secret-error', 'doesn’t look like a Notion token');
      return popup;
    },
  },
  {
    name: 'settings-token-checked',
    main: '#save',
    async enter(ctx) {
      await ctx.reset();
      const popup = await ctx.open(ctx.seed.notion.pages.connected.url);
      await openSettings(popup);
      await paste(popup, '#notion-secret', ctx.seed.notion.personalToken);
      await popup.waitForSelector('#change-notion', { visible: true, timeout: 10_000 });
      return popup;
    },
  },
  {
    name: 'settings-wrong-key',
    main: '#save',
    async enter(ctx) {
      await ctx.reset();
      const popup = await ctx.open(ctx.seed.notion.pages.connected.url);
      await saveSettings(popup, { secret: ctx.seed.notion.secret, apiKey: 'sk-wrong-key-1234567890' });
      await waitForText(popup, '#api-key-error', 'did not accept the API key');
      return popup;
    },
  },
  {
    name: 'settings-advanced',
    main: '#save',
    async enter(ctx) {
      const popup = await ctx.open(ctx.seed.notion.pages.connected.url);
      await openSettings(popup);
      await popup.click('#advanced summary');
      return popup;
    },
  },
  {
    name: 'home',
    main: '#generate',
    async enter(ctx) {
      await ctx.reset();
      await ctx.show(ctx.seed.notion.pages.connected.url);
      await setUp(ctx.chrome, ctx.seed);
      const popup = await ctx.open(ctx.seed.notion.pages.connected.url);
      await popup.waitForFunction(() => document.activeElement?.id === 'prompt', { timeout: 10_000 });
      return popup;
    },
  },
  {
    name: 'home-options',
    main: '#generate',
    async enter(ctx) {
      const popup = await ctx.open(ctx.seed.notion.pages.connected.url, '#prompt');
      await fill(popup, '#prompt', 'A weekly team update for the design group');
      await popup.click('#templates-button');
      await popup.click('#save-template');
      await popup.waitForSelector('#my-templates-list li', { visible: true, timeout: 5_000 });
      return popup;
    },
  },
  {
    name: 'job-running',
    main: '#cancel',
    async enter(ctx) {
      await ctx.fakes.control('POST', '/ai/pace', { tokensPerSecond: 15 });
      await ctx.fakes.control('POST', '/ai/answer', { text: ANSWER + '\n' + 'More to come. '.repeat(80) });
      const popup = await ctx.generate(ctx.seed.notion.pages.connected.url, 'A launch plan, slowly');
      await waitForText(popup, '#preview', 'Steps', 20_000);
      return popup;
    },
    async leave(ctx, popup) {
      await popup.click('#cancel');
      await waitForText(popup, '#job-status', 'Stopped', 10_000);
      await ctx.fakes.control('POST', '/ai/pace', { tokensPerSecond: 0 });
    },
  },
  {
    name: 'job-done',
    main: '#new-prompt',
    async enter(ctx) {
      await ctx.fakes.control('POST', '/ai/answer', { text: ANSWER });
      const popup = await ctx.generate(ctx.seed.notion.pages.connected.url, 'A launch plan');
      await waitForText(popup, '#job-status', 'Added at the end', 20_000);
      await popup.waitForFunction(() => document.querySelector('#preview table'), { timeout: 10_000 });
      return popup;
    },
  },
  {
    name: 'job-failed',
    main: '#fix',
    async enter(ctx) {
      await ctx.fakes.control('POST', '/ai/answer', { text: ANSWER });
      await ctx.fakes.control('POST', '/notion/fault', { method: 'PATCH', pathPrefix: '/v1/blocks/', status: 403, times: 1 });
      const popup = await ctx.generate(ctx.seed.notion.pages.connected.url, 'A plan that meets a refusal');
      await waitForText(popup, '#fix', 'Open integrations', 20_000);
      return popup;
    },
  },
  {
    name: 'page-actions',
    main: '#generate',
    async enter(ctx) {
      const popup = await ctx.open(ctx.seed.notion.pages.reading.url, '#act-translate');
      await popup.click('#act-translate');
      await popup.waitForSelector('#languages button', { visible: true, timeout: 5_000 });
      return popup;
    },
  },
  {
    name: 'improve-done',
    main: '#replace',
    async enter(ctx) {
      await ctx.fakes.control('POST', '/ai/answer', { text: '- [ ] Write the announcement today\n\n> Keep it simple, then make it fast.\n' });
      await selectInPage(await ctx.show(ctx.seed.notion.pages.reading.url), 'Write the announcement', { to: 'Make it simple' });
      const popup = await ctx.open(ctx.seed.notion.pages.reading.url, '#act-improve');
      await popup.click('#act-improve');
      await popup.click('#opt-improve [data-style="fix"]');
      await waitForText(popup, '#job-status', 'Replace the original', 20_000);
      return popup;
    },
  },
  {
    name: 'ask-answered',
    main: '#insert',
    async enter(ctx) {
      await ctx.fakes.control('POST', '/ai/answer', { text: 'The goal is **steady growth**: research first, then a first version and an announcement.\n' });
      const popup = await ctx.open(ctx.seed.notion.pages.reading.url, '#new-prompt, #prompt');
      if (await popup.$eval('#new-prompt', (b) => !b.hidden)) await popup.click('#new-prompt');
      await fill(popup, '#prompt', 'What is the goal of this plan?');
      await popup.click('#act-ask');
      await waitForText(popup, '#job-status', 'Answered from', 20_000);
      return popup;
    },
  },
  {
    name: 'history',
    main: '#history-list .open',
    async enter(ctx) {
      const popup = await ctx.open(ctx.seed.notion.pages.connected.url, '#open-history');
      await popup.click('#open-history');
      await popup.waitForSelector('#history-list .open', { visible: true, timeout: 5_000 });
      return popup;
    },
  },
  {
    name: 'not-connected',
    main: '#check-again',
    async enter(ctx) {
      return ctx.open(ctx.seed.notion.pages.unconnected.url, '#connect-steps');
    },
  },
  {
    name: 'database-new-page',
    main: '#np-generate',
    async enter(ctx) {
      const popup = await ctx.open(ctx.seed.notion.databases.calendar.url, '#db');
      await popup.click('#tab-new');
      await popup.click('#np-props-box summary');
      await fill(popup, '#np-prompt', 'A recap of the spring launch');
      return popup;
    },
  },
  {
    name: 'database-fill',
    main: '#fill-run',
    async enter(ctx) {
      const popup = await ctx.open(ctx.seed.notion.databases.calendar.url, '#db');
      await popup.click('#tab-fill');
      await popup.waitForFunction(() => document.querySelectorAll('#rows li').length >= 12, { timeout: 10_000 });
      await fill(popup, '#fill-template', 'Write a short intro to {{Name}} for {{Channel}} readers.');
      await popup.click('#rows li:first-child');
      await popup.waitForSelector('#fill-preview', { visible: true, timeout: 10_000 });
      return popup;
    },
  },
  {
    name: 'database-run',
    main: '#run-new',
    async enter(ctx) {
      await ctx.fakes.control('POST', '/ai/config', { answer: 'Answer to: {{prompt}}', tokensPerSecond: 0 });
      const popup = await STATES.find((s) => s.name === 'database-fill').enter(ctx);
      await popup.click('#rows li:nth-child(2)');
      await popup.click('#fill-run');
      await waitForText(popup, '#run-status', 'Done.', 30_000);
      return popup;
    },
  },
  {
    name: 'token-no-access',
    main: '#check-again',
    async enter(ctx) {
      await ctx.show(ctx.seed.notion.pages.connected.url);
      await setUp(ctx.chrome, ctx.seed, { secret: ctx.seed.notion.personalToken });
      const popup = await ctx.open(ctx.seed.notion.pages.private.url);
      await waitForText(popup, '#state', 'can’t open this page');
      return popup;
    },
  },
  {
    name: 'token-refused',
    main: '#setup',
    async enter(ctx) {
      await ctx.fakes.control('POST', '/notion/revoke', { secret: ctx.seed.notion.personalToken });
      const popup = await ctx.open(ctx.seed.notion.pages.connected.url);
      await waitForText(popup, '#state', 'did not accept this token');
      // Notion takes the token again for whatever follows this state.
      await ctx.fakes.control('POST', '/reset');
      return popup;
    },
  },
];

/** The context the states run in: a browser with the extension and the fakes. */
export function stateContext(chrome, fakes, seed) {
  let tab = null;
  return {
    chrome,
    fakes,
    seed,
    /** Empties the extension's storage, as a fresh install has it. */
    async reset() {
      const popup = await this.open(seed.notion.pages.connected.url);
      await popup.evaluate(() => chrome.storage.local.clear());
      await popup.close();
    },
    /** Brings a tab at `url` to the front, and returns it. */
    async show(url) {
      if (tab?.url() !== url) {
        await tab?.close();
        tab = await chrome.openTab(url);
      }
      await tab.bringToFront();
      return tab;
    },
    /**
     * Brings a tab at `url` to the front and opens the popup over it; with
     * `ready`, waits until the popup shows that element.
     */
    async open(url, ready) {
      await this.show(url);
      const popup = await chrome.openPopup();
      if (ready) await popup.waitForSelector(ready, { visible: true, timeout: 10_000 });
      return popup;
    },
    /** Opens the popup over `url`, writes `prompt` and presses Generate. */
    async generate(url, prompt) {
      const popup = await this.open(url, '#prompt');
      await fill(popup, '#prompt', prompt);
      await popup.click('#generate');
      return popup;
    },
  };
}

/** Runs axe-core's WCAG 2 A and AA rules in the popup. */
export async function axe(popup) {
  await popup.evaluate(AXE);
  return popup.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

// What the person wrote, the AI answered or Notion holds: not the popup's
// own words, so not counted in them.
const THEIR_TEXT = '#preview, #job-prompt, #run-prompt, #fill-preview, #target-title, #rows, #run-rows .row-title, .h-prompt, .h-title, textarea, #my-templates-list .name';

/**
 * What a person meets in the popup as it is: the window, the height the
 * content would need, whether the main action is in view, horizontal
 * overflow, the font sizes of text, buttons and inputs, the popup's own
 * words shown, and its sentences of four or more words shown twice.
 */
export function measure(popup, main) {
  return popup.evaluate((sel, theirs) => {
    const view = [...document.querySelectorAll('main.view')].find((m) => !m.hidden);
    // The popup's own text as shown: rendered text nodes, a select's chosen
    // option, a button's value; nothing hidden and nothing of theirs.
    const shown = (n) => n.getClientRects().length > 0 && !n.closest('[hidden]');
    const texts = [];
    const walker = document.createTreeWalker(view, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode(n) {
        if (n.nodeType === 1) {
          if (n.matches(theirs) || n.matches('option, script, style, template, .visually-hidden') || !shown(n)) return NodeFilter.FILTER_REJECT;
          if (n.tagName === 'SELECT') {
            texts.push({ el: n, text: n.selectedOptions[0]?.textContent ?? '' });
            return NodeFilter.FILTER_REJECT;
          }
          if (n.tagName === 'DETAILS' && !n.open) {
            const summary = n.querySelector(':scope > summary');
            if (summary) texts.push({ el: summary, text: summary.textContent });
            return NodeFilter.FILTER_REJECT;
          }
          return NodeFilter.FILTER_SKIP;
        }
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 3 && n.textContent.trim()) texts.push({ el: n.parentElement, text: n.textContent });
    }
    // A block-level element ends a sentence; inline ones run on.
    const blocks = new Map();
    for (const { el, text } of texts) {
      let box = el;
      while (box !== view && getComputedStyle(box).display.startsWith('inline')) box = box.parentElement;
      blocks.set(box, `${blocks.get(box) ?? ''}${text}`);
    }
    const words = [...blocks.values()].join(' ').split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
    const sentences = [...blocks.values()]
      .flatMap((t) => t.split(/(?<=[.!?…:])\s+/))
      .map((t) => t.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').replace(/\s+/g, ' ').trim())
      .filter((t) => t.split(' ').length >= 4);
    // Controls and table borders whose outline (border, inset ring or fill)
    // is under 3:1 against the page.
    function weakEdges(root) {
      const rgb = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
      const lum = ([r, g, b]) => {
        const f = (v) => { const x = v / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((m, n) => n - m); return (x + 0.05) / (y + 0.05); };
      const page = rgb(getComputedStyle(document.body).backgroundColor);
      const opaque = (c) => c && !/rgba\([^)]*,\s*0\)|transparent/.test(c);
      return [...root.querySelectorAll('button.secondary, .chip, select, input:not([type="radio"]), textarea, .notion td, .notion th, .rows')]
        .filter((el) => el.getClientRects().length > 0 && !el.closest('[hidden]'))
        .filter((el) => {
          const st = getComputedStyle(el);
          const colors = [];
          if (parseFloat(st.borderTopWidth) >= 1) colors.push(st.borderTopColor);
          const ring = st.boxShadow.match(/rgba?\([^)]*\)/);
          if (ring && st.boxShadow.includes('inset')) colors.push(ring[0]);
          colors.push(st.backgroundColor);
          return !colors.filter(opaque).some((c) => ratio(rgb(c), page) >= 3);
        })
        .map((el) => el.id || el.className || el.tagName.toLowerCase());
    }
    const seen = new Map();
    for (const t of sentences) seen.set(t, (seen.get(t) ?? 0) + 1);
    const repeated = [...seen].filter(([, n]) => n > 1).map(([t]) => t);
    const parts = [...view.children];
    // The scrolling middle needs what its last shown child reaches, though
    // the view gives it the rest of the popup's fixed height.
    const needs = (p) => {
      const top = p.getBoundingClientRect().top - p.scrollTop;
      const bottom = Math.max(top, ...[...p.children].filter((c) => c.getClientRects().length).map((c) => c.getBoundingClientRect().bottom));
      return bottom - top + parseFloat(getComputedStyle(p).paddingBottom);
    };
    const content = parts.reduce((sum, p) => sum + (p.classList.contains('scroll') ? needs(p) : p.getBoundingClientRect().height), 0);
    const el = sel && document.querySelector(sel);
    const r = el?.getBoundingClientRect();
    // Body text and every control; hints and other secondary text may be 12 px.
    const sizes = [document.body, ...view.querySelectorAll('button, input, select, textarea')]
      .filter((n) => n === document.body || (n.getClientRects().length > 0 && !n.closest('[hidden]')))
      .map((n) => ({ tag: n.tagName.toLowerCase(), id: n.id || n.className, size: parseFloat(getComputedStyle(n).fontSize) }));
    return {
      width: innerWidth,
      height: innerHeight,
      content: Math.round(content),
      overflowX: document.documentElement.scrollWidth > document.documentElement.clientWidth,
      mainVisible: sel ? Boolean(r && r.width > 0 && r.top >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && !el.closest('[hidden]')) : null,
      smallest: sizes.reduce((a, b) => (b.size < a.size ? b : a), { size: Infinity }),
      words: words.length,
      repeated,
      weakEdges: weakEdges(view),
    };
  }, main, THEIR_TEXT);
}

/** Tab presses from where the popup put focus to the main action, at most `max`. */
export async function tabsTo(popup, main, max = 60) {
  for (let n = 0; n <= max; n++) {
    if (await popup.evaluate((sel) => document.activeElement === document.querySelector(sel), main)) return n;
    await popup.keyboard.press('Tab');
  }
  return Infinity;
}
