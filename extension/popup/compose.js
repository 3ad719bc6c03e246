// Composing on a page: the prompt (kept as a draft on every keystroke),
// templates in a popover, where the answer goes, and Generate.

import { ext } from '../shared/ext.js';
import { MSG } from '../shared/messages.js';
import { RUNNING, latestJobFor } from '../shared/jobs.js';
import { loadDraft, saveDraft } from '../shared/drafts.js';
import { state } from './state.js';
import { S, isMac } from './strings.js';
import { $, busy, h, relativeTime } from './ui.js';

/**
 * Wires the compose view. `send` messages the background, `announce`
 * speaks a status line, `footer` shows the main action, `showJob` shows a
 * job, and `onShow` resets what the page actions show.
 */
export function composeView({ send, announce, footer, showJob, onShow }) {
  let myTemplates = [];

  async function show({ focus = true } = {}) {
    const { target } = state;
    $('compose').hidden = false;
    footer('generate', 'insert-at-box');
    closeTemplates();
    // The page actions are reset at once and filled in below the prompt;
    // the prompt waits only for its draft.
    const actionsShown = onShow();
    const draft = await loadDraft(target.id);
    if (document.activeElement !== $('prompt')) $('prompt').value = draft.prompt ?? '';
    $('insert-at').value = draft.insert === 'cursor' ? 'cursor' : 'end';
    $('other-language').value = draft.language ?? '';
    showPromptError('');
    if (focus) {
      $('prompt').focus();
      $('prompt').setSelectionRange($('prompt').value.length, $('prompt').value.length);
      // The first time the popup has a page's prompt ready, marked for
      // profiling in DevTools (and timed by make bench) as visen:ready.
      if (performance.getEntriesByName('visen:ready').length === 0) performance.mark('visen:ready');
    }
    // The last run's line reads the history, which can be large: it comes
    // after the prompt is ready. The page's newest job is returned, read
    // once for whoever shows the page.
    const [, latest] = await Promise.all([actionsShown, renderLastRun()]);
    return latest;
  }

  function showPromptError(message) {
    $('prompt-error').textContent = message;
    $('prompt-error').hidden = !message;
    if (message) $('prompt').setAttribute('aria-invalid', 'true');
    else $('prompt').removeAttribute('aria-invalid');
  }

  // Shows the page's last finished run, if any, and returns its newest job.
  async function renderLastRun() {
    const job = state.target && (await latestJobFor(state.target.id));
    const line = $('last-run');
    if (!job || RUNNING.has(job.status) || job.kind === 'fill') {
      line.hidden = true;
      return job;
    }
    const word = S.history.status[job.status] ?? job.status;
    $('last-run-text').textContent = S.compose.lastRun(word, relativeTime(job.finishedAt ?? job.createdAt));
    $('last-run-view').onclick = () => showJob(job);
    $('last-run-view').setAttribute('aria-label', S.compose.viewLast(word));
    line.hidden = false;
    return job;
  }

  // ---- Templates -------------------------------------------------------------

  async function loadTemplates() {
    const { templates = [] } = await ext.storage.local.get('templates');
    myTemplates = templates;
    renderTemplates();
  }

  function renderTemplates() {
    $('templates-list').replaceChildren(...S.templates.map((t) => {
      const b = h('button', { type: 'button', textContent: t.name });
      b.addEventListener('click', () => useTemplate(t));
      return h('li', {}, b);
    }));
    $('my-templates').hidden = myTemplates.length === 0;
    $('my-templates-list').replaceChildren(...myTemplates.map((t, i) => {
      const name = h('button', { type: 'button', className: 'name', textContent: t.name, title: t.prompt });
      name.addEventListener('click', () => useTemplate(t));
      const rename = h('button', { type: 'button', className: 'icon-button small', textContent: '✎', title: S.compose.rename(t.name) });
      rename.setAttribute('aria-label', S.compose.rename(t.name));
      const remove = h('button', { type: 'button', className: 'icon-button small', textContent: '✕', title: S.compose.remove(t.name) });
      remove.setAttribute('aria-label', S.compose.remove(t.name));
      const li = h('li', {}, name, rename, remove);
      rename.addEventListener('click', () => renameTemplate(li, t, i));
      remove.addEventListener('click', async () => {
        myTemplates.splice(i, 1);
        await saveTemplates();
        announce(S.compose.templateDeleted(t.name));
        $('templates-button').focus();
      });
      return li;
    }));
  }

  function renameTemplate(li, t, i) {
    const input = h('input', { type: 'text', value: t.name, maxLength: 60 });
    input.setAttribute('aria-label', S.compose.templateName);
    const done = async (keep) => {
      const value = input.value.trim();
      if (keep && value) myTemplates[i] = { ...t, name: value };
      await saveTemplates();
      $('my-templates-list').children[i]?.querySelector('button')?.focus();
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); done(true); }
      if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); done(false); }
    });
    input.addEventListener('blur', () => done(true), { once: true });
    li.replaceChildren(input);
    input.focus();
    input.select();
  }

  async function saveTemplates() {
    await ext.storage.local.set({ templates: myTemplates });
    renderTemplates();
  }

  // A template goes in front of what is typed, never over it: choosing
  // another template swaps only the template's own words.
  function useTemplate(t) {
    closeTemplates();
    const all = [...S.templates, ...myTemplates];
    const area = $('prompt');
    let text = area.value;
    const old = all.find((o) => o.prompt && text.startsWith(o.prompt));
    if (old) text = text.slice(old.prompt.length);
    area.value = t.prompt + text.replace(/^\s+/, '');
    area.focus();
    area.setSelectionRange(area.value.length, area.value.length);
    onPromptInput();
    announce(S.compose.templateAdded(t.name, Boolean(text.trim())));
  }

  async function onSaveTemplate() {
    const prompt = $('prompt').value.trim();
    if (!prompt) {
      closeTemplates();
      showPromptError(S.compose.templateEmpty);
      $('prompt').focus();
      return;
    }
    const name = prompt.length > 40 ? `${prompt.slice(0, 39)}…` : prompt;
    myTemplates.push({ name, prompt });
    await saveTemplates();
    announce(S.compose.templateSaved);
  }

  function closeTemplates() {
    $('templates').hidden = true;
    $('templates-button').setAttribute('aria-expanded', 'false');
  }

  function toggleTemplates() {
    const open = $('templates').hidden;
    $('templates').hidden = !open;
    $('templates-button').setAttribute('aria-expanded', String(open));
    if (open) $('templates').querySelector('button')?.focus();
  }

  // ---- Generating ------------------------------------------------------------

  function onPromptInput() {
    if (!state.target) return;
    saveDraft(state.target.id, { prompt: $('prompt').value });
    if ($('prompt').value.trim()) showPromptError('');
  }

  // The block the cursor is in, in the Notion tab, or '' when there is none.
  async function cursorBlock() {
    try {
      const [result] = await ext.scripting.executeScript({
        target: { tabId: state.tabId },
        func: () => {
          const node = document.getSelection()?.anchorNode ?? document.activeElement;
          const el = node && (node.nodeType === 1 ? node : node.parentElement);
          return el?.closest('[data-block-id]')?.getAttribute('data-block-id') ?? '';
        },
      });
      return result?.result ?? '';
    } catch {
      return '';
    }
  }

  /** Where the answer goes: the block the cursor is in, or '' for the end. */
  async function insertAfter(noCursor) {
    if ($('insert-at').value !== 'cursor') return '';
    const after = await cursorBlock();
    if (!after) announce(noCursor);
    return after;
  }

  function onGenerate() {
    const prompt = $('prompt').value.trim();
    if (!prompt) {
      showPromptError(S.compose.empty);
      $('prompt').focus();
      return;
    }
    busy($('generate'), async () => {
      const { target } = state;
      const after = await insertAfter(S.compose.noCursor);
      const reply = await send(MSG.GENERATE, { target, prompt, after });
      if (!reply.ok) {
        showPromptError(reply.error.message);
        return;
      }
      $('prompt').value = '';
      await saveDraft(target.id, { prompt: '' });
      showJob({ id: reply.data.jobId, kind: 'page', target, prompt, after, status: 'starting', markdown: '', blocks: 0 });
    });
  }

  function wire() {
    $('prompt-hint').textContent = S.compose.shortcut(isMac(navigator));
    $('generate').setAttribute('aria-keyshortcuts', isMac(navigator) ? 'Meta+Enter' : 'Control+Enter');
    $('templates-button').addEventListener('click', toggleTemplates);
    $('templates').addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        closeTemplates();
        $('templates-button').focus();
      }
    });
    document.addEventListener('click', (e) => {
      if (!$('templates').hidden && !e.composedPath().some((n) => n.id === 'templates' || n.id === 'templates-button')) closeTemplates();
    });
    $('save-template').addEventListener('click', onSaveTemplate);
    $('prompt').addEventListener('input', onPromptInput);
    $('prompt').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        onGenerate();
      }
    });
    $('insert-at').addEventListener('change', () => state.target && saveDraft(state.target.id, { insert: $('insert-at').value }));
    $('generate').addEventListener('click', onGenerate);
  }

  wire();
  return { show, showPromptError, renderLastRun, loadTemplates, insertAfter };
}
