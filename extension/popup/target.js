// The tab in front: which Notion page or database it is, shown in the
// header, or why Visen cannot open it, with the one way on.

import { ext } from '../shared/ext.js';
import { MSG } from '../shared/messages.js';
import { isConfigured } from '../shared/storage.js';
import { state } from './state.js';
import { S } from './strings.js';
import { $, h } from './ui.js';

// What Visen last found at each address, so the popup draws a page at once
// and the engine's look only confirms it: kept for the most recent pages.
const LOOKS = 'lastLooks';
const LOOKS_KEPT = 50;

// An address without the block it points at: the same page.
function lookKey(url) {
  try {
    const u = new URL(url);
    return u.origin + u.pathname + u.search;
  } catch {
    return url;
  }
}

async function lastLooks() {
  return (await ext.storage.local.get(LOOKS))[LOOKS] ?? {};
}

// Keeps what the engine found at an address (null forgets it), newest last.
async function keepLook(url, target) {
  const looks = await lastLooks();
  const key = lookKey(url);
  delete looks[key];
  if (target) looks[key] = { ...target, blockId: undefined };
  const keys = Object.keys(looks);
  for (const old of keys.slice(0, Math.max(0, keys.length - LOOKS_KEPT))) delete looks[old];
  await ext.storage.local.set({ [LOOKS]: looks });
}

/**
 * Wires the target view. `send` messages the background, `footer` shows
 * the main action, `hidePanels` clears what the last target showed, and
 * `found` shows what comes after a target is known; `always` runs after
 * every look at the tab (History's icon).
 */
export function targetView({ send, footer, hidePanels, found, always }) {
  function showState(message, { error = false, steps = [] } = {}) {
    $('state').hidden = message === '';
    $('state').textContent = message;
    $('state').classList.toggle('is-error', error);
    $('connect-steps').replaceChildren(...steps.map((s) => h('li', { textContent: s })));
    $('connect-steps').hidden = steps.length === 0;
  }

  function showHeader(icon, title, kind) {
    const box = $('target-icon');
    box.replaceChildren();
    if (icon?.url) box.append(h('img', { src: icon.url, alt: '' }));
    else box.textContent = icon?.emoji ?? icon;
    $('target-title').textContent = title || 'Untitled';
    $('target-kind').textContent = kind;
    $('target').hidden = false;
    $('brand').hidden = true;
  }

  function showTarget(t) {
    const database = t.kind === 'database';
    showHeader(t.icon?.emoji || t.icon?.url ? t.icon : database ? '🗂️' : '📄', t.title, database ? S.home.kindDatabase : S.home.kindPage);
  }

  // The tab in front: its address, and its title as Notion shows it,
  // without the unread count or the app's name.
  async function activeTab() {
    try {
      const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
      state.tabId = tab?.id ?? null;
      const title = String(tab?.title ?? '').replace(/^\(\d+\+?\)\s*/, '').replace(/\s+[|–—-]\s+Notion$/, '').trim();
      return { url: tab?.url ?? '', title };
    } catch {
      return { url: '', title: '' };
    }
  }

  // A Notion page or database Visen cannot open: its title as the tab
  // shows it, the reason in one sentence (with the connect steps for an
  // integration), and one way on. Only a token Notion refused needs
  // Settings; anything else is fixed in Notion, then checked again.
  function showUnreachable(title, { code, message, steps = [] }) {
    if (title) {
      // Notion puts a page's emoji icon in front of its title.
      const [, icon = '📄', rest = title] = title.match(/^(\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*)\s+(.+)$/u) ?? [];
      showHeader(icon, rest, S.home.kindUnknown);
    }
    showState(message, { error: true, steps });
    if (code === 'unauthorized' || code === 'not_configured') {
      if (code === 'unauthorized') state.settingsProblems = { notionSecret: message };
      $('setup').textContent = S.home.settings;
      footer('setup');
    } else {
      footer('check-again');
    }
  }

  // Whether a fresh look shows the same page as the last one: a page
  // renamed keeps its prompt and what is typed in it.
  function sameTarget(a, b) {
    return a.id === b.id && a.kind === b.kind;
  }

  /** Looks at the tab in front and shows what Visen can do with it. */
  async function inspect() {
    hidePanels();
    $('target').hidden = true;
    $('brand').hidden = false;
    state.target = null;
    footer(null);
    state.settingsProblems = null;
    const { url, title } = await activeTab();
    if (!isConfigured(state.settings)) {
      showState(S.home.welcome);
      $('setup').textContent = S.home.setUp;
      footer('setup');
      $('setup').focus();
    } else if (!url) {
      showState(S.home.noTab);
    } else {
      // The page as Visen last found it is drawn at once, with the prompt
      // ready; the engine's look confirms it, and the view changes only
      // where the page did. A database waits for the engine: its rows and
      // schema are the engine's to say, and ticks made on a stale list
      // would be lost.
      const last = (await lastLooks())[lookKey(url)] ?? null;
      if (last) {
        state.target = last;
        showTarget(last);
        showState('');
        await found();
      } else {
        showState(S.home.looking);
      }
      const reply = await send(MSG.INSPECT_TARGET, { url });
      keepLook(url, reply.ok && reply.data.kind === 'page' ? reply.data : null);
      if (reply.ok && last && sameTarget(last, reply.data)) {
        state.target = reply.data;
        showTarget(reply.data);
      } else if (reply.ok) {
        if (last) hidePanels();
        state.target = reply.data;
        showTarget(state.target);
        showState('');
        await found();
      } else {
        if (last) {
          hidePanels();
          footer(null);
          state.target = null;
          $('target').hidden = true;
          $('brand').hidden = false;
        }
        if (reply.error.code === 'not_notion_url' || reply.error.code === 'no_target') showState(reply.error.message);
        else showUnreachable(title, reply.error);
      }
    }
    await always();
  }

  return { inspect };
}
