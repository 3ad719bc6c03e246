// What Visen can do with the page itself: continue, summarize, translate,
// improve the selected blocks, or answer a question. What is typed in the
// prompt goes along as the instruction (for Ask, it is the question).

import { ext } from '../shared/ext.js';
import { MSG } from '../shared/messages.js';
import { saveDraft } from '../shared/drafts.js';
import { state } from './state.js';
import { S } from './strings.js';
import { $, busy, h, roving } from './ui.js';

// The languages offered for a translation, after the ones last used.
const LANGUAGES = ['English', 'Spanish', 'French', 'German', 'Portuguese', 'Italian', 'Dutch', 'Japanese', 'Chinese (Simplified)', 'Korean'];
const OPTIONS = ['summarize', 'translate', 'improve'];

// The blocks selected in the Notion tab, in page order: the blocks Notion
// shows as selected, else those the text selection runs through. A block
// the selection only passes through on its way into a child is left out.
async function selectedBlocks() {
  try {
    const [result] = await ext.scripting.executeScript({
      target: { tabId: state.tabId },
      func: () => {
        const root = document.querySelector('.notion-page-content') ?? document.body;
        const ids = [];
        const add = (el) => {
          const id = el?.getAttribute('data-block-id');
          if (id && root.contains(el) && !ids.includes(id)) ids.push(id);
        };
        for (const halo of root.querySelectorAll('.notion-selectable-halo')) add(halo.closest('[data-block-id]'));
        const selection = document.getSelection();
        if (ids.length === 0 && selection && !selection.isCollapsed) {
          for (let i = 0; i < selection.rangeCount; i++) {
            const range = selection.getRangeAt(i);
            for (const el of root.querySelectorAll('[data-block-id]')) {
              if (!range.intersectsNode(el)) continue;
              const inside = [...el.querySelectorAll('[data-block-id]')].some((c) => c.contains(range.startContainer) && c.contains(range.endContainer));
              if (!inside) add(el);
            }
          }
        }
        return ids;
      },
    });
    return Array.isArray(result?.result) ? result.result : [];
  } catch {
    return [];
  }
}

/**
 * Wires the page actions. `send` messages the background, `showJob` shows
 * the job an action starts, and `compose` is the compose view, whose
 * prompt and insert point the actions share.
 */
export function actionsView({ send, showJob, compose }) {
  // The list is one Tab stop; so are the languages and the ways to improve.
  const actionList = roving($('action-bar'), ':scope > .act > button');
  const languageList = roving($('languages'), 'button', { vertical: false });
  const improveList = roving($('opt-improve'), 'button', { vertical: false });

  // Opens the choices of one action (or none): one is open at a time.
  function showOptions(kind) {
    for (const k of OPTIONS) {
      $(`opt-${k}`).hidden = k !== kind;
      $(`act-${k}`).setAttribute('aria-expanded', String(k === kind));
    }
  }

  function toggleOptions(kind) {
    const open = $(`opt-${kind}`).hidden;
    showOptions(open ? kind : null);
    showError('');
    if (open) {
      const options = $(`opt-${kind}`);
      options.scrollIntoView({ block: 'nearest' });
      (options.querySelector('button[tabindex="0"]') ?? options.querySelector('button'))?.focus();
    }
  }

  function showError(message) {
    $('action-error').textContent = message;
    $('action-error').hidden = !message;
  }

  // The choices a person made last time: the languages translated into,
  // most recent first, and where a translation goes.
  async function prefs() {
    const { actionPrefs: p = {} } = await ext.storage.local.get('actionPrefs');
    return { languages: Array.isArray(p.languages) ? p.languages : [], where: p.where === 'below' ? 'below' : 'subpage' };
  }

  async function renderLanguages() {
    const p = await prefs();
    const seen = new Set();
    const list = [...p.languages, ...LANGUAGES].filter((l) => !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase())).slice(0, 10);
    $('languages').replaceChildren(...list.map((language) => {
      const b = h('button', { type: 'button', className: 'secondary small', textContent: language });
      b.addEventListener('click', () => translate(language, b));
      return b;
    }));
    $(p.where === 'below' ? 'translate-below' : 'translate-subpage').checked = true;
    languageList.reset();
  }

  /** Shows the actions closed, as on a fresh popup. */
  async function reset() {
    showOptions(null);
    showError('');
    actionList.reset();
    improveList.reset();
    await renderLanguages();
  }

  async function translate(language, button) {
    const name = language.trim();
    if (!name) {
      showError(S.actions.noLanguage);
      $('other-language').focus();
      return;
    }
    const where = $('translate-below').checked ? 'below' : 'subpage';
    const p = await prefs();
    const languages = [name, ...p.languages.filter((l) => l.toLowerCase() !== name.toLowerCase())].slice(0, 5);
    await ext.storage.local.set({ actionPrefs: { languages, where } });
    start({ kind: 'translate', language: name, where }, button);
  }

  /**
   * Starts a page action with what is typed in the prompt as its
   * instruction. `selection` is given when an improvement is tried again.
   */
  function start(action, button, { selection: again = null, instruction: given = null } = {}) {
    showError('');
    compose.showPromptError('');
    const { target } = state;
    const instruction = given ?? $('prompt').value.trim();
    if (action.kind === 'ask' && !instruction) {
      compose.showPromptError(S.actions.askEmpty);
      $('prompt').focus();
      return;
    }
    busy(button, async () => {
      let selection = again ?? [];
      let cursor = '';
      if (action.kind === 'improve' && !again) {
        selection = await selectedBlocks();
        if (selection.length === 0) {
          showError(S.actions.noSelection);
          return;
        }
      }
      if (action.kind === 'continue') cursor = await compose.insertAfter(S.actions.noCursor);
      const reply = await send(MSG.PAGE_ACTION, { target, action: { ...action, instruction }, selection, cursor });
      if (!reply.ok) {
        showError(reply.error.message);
        return;
      }
      if (given === null) {
        $('prompt').value = '';
        $('other-language').value = '';
        await saveDraft(target.id, { prompt: '', language: '' });
      }
      showJob({ id: reply.data.jobId, kind: 'action', action, target, cursor, selection, prompt: reply.data.prompt, status: 'starting', markdown: '', blocks: 0 });
    });
  }

  function wire() {
    $('act-continue').addEventListener('click', () => start({ kind: 'continue' }, $('act-continue')));
    $('act-ask').addEventListener('click', () => start({ kind: 'ask' }, $('act-ask')));
    for (const kind of OPTIONS) $(`act-${kind}`).addEventListener('click', () => toggleOptions(kind));
    for (const [id, position] of [['summary-start', 'start'], ['summary-end', 'end']]) {
      $(id).addEventListener('click', () => start({ kind: 'summarize', position }, $(id)));
    }
    $('translate-other').addEventListener('click', () => translate($('other-language').value, $('translate-other')));
    $('other-language').addEventListener('input', () => state.target && saveDraft(state.target.id, { language: $('other-language').value }));
    $('other-language').addEventListener('keydown', (e) => {
      if (e.key === 'Enter') {
        e.preventDefault();
        translate($('other-language').value, $('translate-other'));
      }
    });
    for (const id of ['translate-subpage', 'translate-below']) {
      $(id).addEventListener('change', async () => {
        const p = await prefs();
        await ext.storage.local.set({ actionPrefs: { ...p, where: $(id).value } });
      });
    }
    for (const b of $('opt-improve').querySelectorAll('button')) {
      const action = b.dataset.tone ? { kind: 'improve', style: 'tone', tone: b.dataset.tone } : { kind: 'improve', style: b.dataset.style };
      b.addEventListener('click', () => start(action, b));
    }
  }

  wire();
  return { reset, start };
}
