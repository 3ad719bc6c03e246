// The popup: the current tab's Notion page or database with the prompt
// first, a job's progress and answer, history, and the guided settings. It
// renders at once from storage and never waits for the background's engine;
// the target fills in when the background answers. The main action sits in
// a footer that stays in view; everything else scrolls above it.
//
// Element ids the browser tests rely on: #home, #open-settings, #target,
// #target-icon, #target-title, #target-kind, #state, #connect-steps,
// #setup, #check-again, #status, #history-error. Composing: #compose, #prompt,
// #prompt-error, #template, #more, #more-menu, #insert-end,
// #insert-cursor, #save-template, #my-templates-list, #generate,
// #last-run, #last-run-view. Page actions: #action-bar (#act-continue,
// #act-summarize, #act-translate, #act-improve, #act-ask), #opt-summarize
// (#summary-start, #summary-end), #opt-translate (#languages buttons,
// #other-language, #translate-other, #translate-subpage, #translate-below),
// #opt-improve (buttons with data-style or data-tone), #action-error. A job: #job, #job-prompt, #job-status,
// #progress, #progress-text, #preview, #job-error, #job-error-text,
// #job-fix, #job-note, #cancel, #retry, #copy, #open-page, #new-prompt,
// #go-on, #insert, #replace, #undo. History:
// #history, #history-list (li[data-id] with .open, Retry and Delete).

import { ext } from '../shared/ext.js';
import { MSG } from '../shared/messages.js';
import { providerName } from '../shared/providers.js';
import { isConfigured, loadSettings } from '../shared/storage.js';
import { RUNNING, changedJobs, deleteJob, getJob, latestJobFor, loadJobs, onlyAnswers } from '../shared/jobs.js';
import { loadDraft, saveDraft } from '../shared/drafts.js';
import { countBlocks, describeCounts, renderBlocks } from './blocks.js';
import { databaseView } from './database.js';
import { settingsView } from './settings.js';
import { $, busy, h, relativeTime, roving } from './ui.js';

const BUILTIN_TEMPLATES = [
  { name: 'Blog post', prompt: 'Write a blog post about: ' },
  { name: 'Outline', prompt: 'Write a detailed outline, with headings and nested bullet points, for: ' },
  { name: 'Summary of a topic', prompt: 'Summarise the key facts, open questions and a short conclusion about: ' },
  { name: 'Meeting notes', prompt: 'Write meeting notes with attendees, agenda, decisions and action items (as to-dos with owners) for: ' },
  { name: 'Email draft', prompt: 'Draft a clear, friendly email about: ' },
];
const INTEGRATIONS_URL = 'https://www.notion.so/profile/integrations';
const FOOTER_BUTTONS = ['setup', 'check-again', 'generate', 'more', 'np-generate', 'fill-run', 'cancel', 'retry', 'go-on', 'insert', 'replace', 'undo', 'new-prompt', 'copy', 'open-page', 'run-cancel', 'run-resume', 'run-new'];
// The languages offered for a translation, after the ones last used.
const LANGUAGES = ['English', 'Spanish', 'French', 'German', 'Portuguese', 'Italian', 'Dutch', 'Japanese', 'Chinese (Simplified)', 'Korean'];
const ACTION_OPTIONS = ['summarize', 'translate', 'improve'];

let settings = null;
// What looking at the current tab found: the target, or why there is none.
let target = null;
let tabId = null;
// What Notion refused in the saved settings when the tab was looked at,
// for Settings to show beside the token.
let settingsProblems = null;
// The job shown in the job panel, and its preview so far.
let shownJob = null;
let preview = { jobId: null, blocks: [], drawn: 0, tail: '', final: false };
let myTemplates = [];

function send(type, payload = {}) {
  return ext.runtime.sendMessage({ type, ...payload }).then(
    (reply) => reply ?? { ok: false, error: { code: 'internal', message: 'Visen’s background did not answer. Reload the extension.' } },
    () => ({ ok: false, error: { code: 'internal', message: 'Visen’s background is not running. Reload the extension.' } }),
  );
}

function announce(text) {
  $('status').textContent = text;
}

/**
 * Shows exactly these footer buttons: the first is the main action, the
 * rest are secondary. Everything else in the footer is hidden.
 */
let footerMain = null;
function footer(main, ...rest) {
  footerMain = main;
  const shown = new Set([main, ...rest].filter(Boolean));
  const focused = document.activeElement?.id;
  for (const id of FOOTER_BUTTONS) {
    const b = $(id);
    b.hidden = !shown.has(id);
    if (shown.has(id)) {
      b.classList.toggle('primary', id === main);
      b.classList.toggle('secondary', id !== main);
    }
  }
  if (!shown.has('more')) closeMenu();
  // A button that goes away with the focus on it hands the focus to the
  // new main action, so the keyboard is never left on nothing.
  if (FOOTER_BUTTONS.includes(focused) && !shown.has(focused) && main) $(main).focus();
}

const settingsPanel = settingsView({
  send,
  // Home looks at the tab again whenever the settings changed under it:
  // saved, saved with a problem, or cleared.
  onClose: async (savedNow) => {
    const fresh = await loadSettings();
    const changed = JSON.stringify(fresh) !== JSON.stringify(settings);
    settings = fresh;
    if (savedNow) announce('Saved. Visen is ready.');
    if (savedNow || changed) await inspect();
    else $('open-settings').focus();
  },
});

const db = databaseView({
  send,
  announce,
  footer,
  showJob: (j) => showJob(j),
  busy,
});

// ---- The current tab ---------------------------------------------------------

function showState(message, { error = false, steps = [] } = {}) {
  $('state').hidden = message === '';
  $('state').textContent = message;
  $('state').classList.toggle('is-error', error);
  $('connect-steps').replaceChildren(...steps.map((s) => h('li', { textContent: s })));
  $('connect-steps').hidden = steps.length === 0;
}

function showTarget(t) {
  const icon = $('target-icon');
  icon.replaceChildren();
  if (t.icon?.emoji) {
    icon.textContent = t.icon.emoji;
  } else if (t.icon?.url) {
    icon.append(h('img', { src: t.icon.url, alt: '' }));
  } else {
    icon.textContent = t.kind === 'database' ? '🗂️' : '📄';
  }
  $('target-title').textContent = t.title || 'Untitled';
  $('target-kind').textContent = t.kind === 'database' ? 'Notion database' : 'Notion page';
  $('target').hidden = false;
  $('brand').hidden = true;
}

// The tab in front: its address, and its title as Notion shows it, without
// the unread count or the app's name.
async function activeTab() {
  try {
    const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
    tabId = tab?.id ?? null;
    const title = String(tab?.title ?? '').replace(/^\(\d+\+?\)\s*/, '').replace(/\s+[|–—-]\s+Notion$/, '').trim();
    return { url: tab?.url ?? '', title };
  } catch {
    return { url: '', title: '' };
  }
}

// A Notion page or database Visen cannot open: its title as the tab shows
// it, the reason in one sentence (with the connect steps for an
// integration), and one way on. Only a token Notion refused needs
// Settings; anything else is fixed in Notion, then checked again.
function showUnreachable(title, { code, message, steps = [] }) {
  if (title) {
    // Notion puts a page's emoji icon in front of its title.
    const [, icon = '📄', rest = title] = title.match(/^(\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic})*)\s+(.+)$/u) ?? [];
    $('target-icon').textContent = icon;
    $('target-title').textContent = rest;
    $('target-kind').textContent = 'Notion';
    $('target').hidden = false;
    $('brand').hidden = true;
  }
  showState(message, { error: true, steps });
  if (code === 'unauthorized' || code === 'not_configured') {
    if (code === 'unauthorized') settingsProblems = { notionSecret: message };
    $('setup').textContent = 'Settings';
    footer('setup');
  } else {
    footer('check-again');
  }
}

function hidePanels() {
  for (const id of ['compose', 'db', 'job', 'run', 'history']) $(id).hidden = true;
  db.hide();
  shownJob = null;
}

async function inspect() {
  hidePanels();
  $('target').hidden = true;
  $('brand').hidden = false;
  target = null;
  footer(null);
  settingsProblems = null;
  const { url, title } = await activeTab();
  if (!isConfigured(settings)) {
    showState('Visen writes with AI straight into your Notion pages. Set it up once with a Notion token and an AI key.');
    $('setup').textContent = 'Set up Visen';
    footer('setup');
    $('setup').focus();
    await renderHistory();
    return;
  }
  if (!url) {
    showState('Open a Notion page or database, then click Visen again.');
    await renderHistory();
    return;
  }
  showState('Looking at this tab…');
  const reply = await send(MSG.INSPECT_TARGET, { url });
  if (reply.ok) {
    target = reply.data;
    showTarget(target);
    showState('');
    await showLatestJob();
    return;
  }
  const { code } = reply.error;
  if (code === 'not_notion_url' || code === 'no_target') showState(reply.error.message);
  else showUnreachable(title, reply.error);
  await renderHistory();
}

// ---- Composing -----------------------------------------------------------------

async function showCompose({ focus = true } = {}) {
  shownJob = null;
  $('job').hidden = true;
  if (target?.kind === 'database') {
    await db.show(target, { focus });
    return;
  }
  $('compose').hidden = false;
  footer('generate', 'more');
  showOptions(null);
  showActionError('');
  actionBar.reset();
  improveList.reset();
  await renderLanguages();
  const draft = await loadDraft(target.id);
  if (document.activeElement !== $('prompt')) $('prompt').value = draft.prompt ?? '';
  $(draft.insert === 'cursor' ? 'insert-cursor' : 'insert-end').checked = true;
  $('other-language').value = draft.language ?? '';
  showPromptError('');
  await renderLastRun();
  if (focus) {
    $('prompt').focus();
    $('prompt').setSelectionRange($('prompt').value.length, $('prompt').value.length);
  }
}

function showPromptError(message) {
  $('prompt-error').textContent = message;
  $('prompt-error').hidden = !message;
  if (message) $('prompt').setAttribute('aria-invalid', 'true');
  else $('prompt').removeAttribute('aria-invalid');
}

async function renderLastRun() {
  const job = target && (await latestJobFor(target.id));
  const line = $('last-run');
  if (!job || RUNNING.has(job.status) || job.kind === 'fill') {
    line.hidden = true;
    return;
  }
  const word = { done: 'Done', cancelled: 'Stopped', failed: 'Did not finish', confirm: 'Waiting for you' }[job.status] ?? job.status;
  $('last-run-text').textContent = `Last run: ${word} · ${relativeTime(job.finishedAt ?? job.createdAt)}`;
  $('last-run-view').onclick = () => showJob(job);
  $('last-run-view').setAttribute('aria-label', `View the last run: ${word}`);
  line.hidden = false;
}

async function fillTemplates() {
  const { templates = [] } = await ext.storage.local.get('templates');
  myTemplates = templates;
  const all = [...BUILTIN_TEMPLATES, ...myTemplates];
  $('template').replaceChildren(new Option('Start from a template…', ''), ...all.map((t, i) => new Option(t.name, String(i))));
  renderMyTemplates();
}

// A template goes in front of what is typed, never over it: choosing
// another template swaps only the template's own words.
function onTemplate() {
  const all = [...BUILTIN_TEMPLATES, ...myTemplates];
  const t = all[Number($('template').value)];
  $('template').value = '';
  if (!t) return;
  const area = $('prompt');
  let text = area.value;
  const old = all.find((o) => o.prompt && text.startsWith(o.prompt));
  if (old) text = text.slice(old.prompt.length);
  area.value = t.prompt + text.replace(/^\s+/, '');
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
  onPromptInput();
  announce(text.trim() ? `“${t.name}” added in front of your text.` : `“${t.name}” added. Finish the sentence.`);
}

function onPromptInput() {
  if (!target) return;
  saveDraft(target.id, { prompt: $('prompt').value });
  if ($('prompt').value.trim()) showPromptError('');
}

async function saveTemplates() {
  await ext.storage.local.set({ templates: myTemplates });
  await fillTemplates();
}

async function onSaveTemplate() {
  const prompt = $('prompt').value.trim();
  if (!prompt) {
    showPromptError('Write a prompt first, then save it as a template.');
    $('prompt').focus();
    return;
  }
  const name = prompt.length > 40 ? `${prompt.slice(0, 39)}…` : prompt;
  myTemplates.push({ name, prompt });
  await saveTemplates();
  announce('Template saved. Rename it under Options.');
}

function renderMyTemplates() {
  $('my-templates').hidden = myTemplates.length === 0;
  $('my-templates-list').replaceChildren(...myTemplates.map((t, i) => {
    const name = h('span', { className: 'name', textContent: t.name, title: t.prompt });
    const rename = h('button', { type: 'button', className: 'secondary small', textContent: 'Rename' });
    rename.setAttribute('aria-label', `Rename “${t.name}”`);
    const remove = h('button', { type: 'button', className: 'secondary small', textContent: 'Delete' });
    remove.setAttribute('aria-label', `Delete “${t.name}”`);
    const li = h('li', {}, name, rename, remove);
    rename.addEventListener('click', () => {
      const input = h('input', { type: 'text', value: t.name, maxLength: 60 });
      input.setAttribute('aria-label', 'Template name');
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
    });
    remove.addEventListener('click', async () => {
      myTemplates.splice(i, 1);
      await saveTemplates();
      announce(`Template “${t.name}” deleted.`);
      $('more').focus();
    });
    return li;
  }));
}

function closeMenu() {
  $('more-menu').hidden = true;
  $('more').setAttribute('aria-expanded', 'false');
}

function toggleMenu() {
  const open = $('more-menu').hidden;
  $('more-menu').hidden = !open;
  $('more').setAttribute('aria-expanded', String(open));
  if (open) $('more-menu').querySelector('input:checked')?.focus();
}

// The block the cursor is in, in the Notion tab, or '' when there is none.
async function cursorBlock() {
  try {
    const [result] = await ext.scripting.executeScript({
      target: { tabId },
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

function onGenerate() {
  const prompt = $('prompt').value.trim();
  if (!prompt) {
    showPromptError('Write what Visen should write first.');
    $('prompt').focus();
    return;
  }
  busy($('generate'), async () => {
    let after = '';
    if ($('insert-cursor').checked) {
      after = await cursorBlock();
      if (!after) announce('There is no cursor in the page, so the answer goes at the end.');
    }
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

// ---- Page actions ------------------------------------------------------------------

const actionBar = roving($('action-bar'), 'button', { vertical: false });
// The languages and the ways to improve are one Tab stop each.
const languageList = roving($('languages'), 'button', { vertical: false });
const improveList = roving($('opt-improve'), 'button', { vertical: false });

// Opens the choices of one action (or none): one is open at a time.
function showOptions(kind) {
  for (const k of ACTION_OPTIONS) {
    $(`opt-${k}`).hidden = k !== kind;
    $(`act-${k}`).setAttribute('aria-expanded', String(k === kind));
  }
}

function toggleOptions(kind) {
  const open = $(`opt-${kind}`).hidden;
  showOptions(open ? kind : null);
  showActionError('');
  if (open) {
    const options = $(`opt-${kind}`);
    options.scrollIntoView({ block: 'nearest' });
    (options.querySelector('button[tabindex="0"]') ?? options.querySelector('button'))?.focus();
  }
}

function showActionError(message) {
  $('action-error').textContent = message;
  $('action-error').hidden = !message;
}

// The choices a person made last time: the languages translated into,
// most recent first, and where a translation goes.
async function actionPrefs() {
  const { actionPrefs: prefs = {} } = await ext.storage.local.get('actionPrefs');
  return { languages: Array.isArray(prefs.languages) ? prefs.languages : [], where: prefs.where === 'below' ? 'below' : 'subpage' };
}

async function renderLanguages() {
  const prefs = await actionPrefs();
  const seen = new Set();
  const list = [...prefs.languages, ...LANGUAGES].filter((l) => !seen.has(l.toLowerCase()) && seen.add(l.toLowerCase())).slice(0, 10);
  $('languages').replaceChildren(...list.map((language) => {
    const b = h('button', { type: 'button', className: 'secondary small', textContent: language });
    b.addEventListener('click', () => translate(language, b));
    return b;
  }));
  $(prefs.where === 'below' ? 'translate-below' : 'translate-subpage').checked = true;
  languageList.reset();
}

async function translate(language, button) {
  const name = language.trim();
  if (!name) {
    showActionError('Type the language to translate into.');
    $('other-language').focus();
    return;
  }
  const where = $('translate-below').checked ? 'below' : 'subpage';
  const prefs = await actionPrefs();
  const languages = [name, ...prefs.languages.filter((l) => l.toLowerCase() !== name.toLowerCase())].slice(0, 5);
  await ext.storage.local.set({ actionPrefs: { languages, where } });
  startAction({ kind: 'translate', language: name, where }, button);
}

// The blocks selected in the Notion tab, in page order: the blocks Notion
// shows as selected, else those the text selection runs through. A block
// the selection only passes through on its way into a child is left out.
async function selectedBlocks() {
  try {
    const [result] = await ext.scripting.executeScript({
      target: { tabId },
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

// Starts a page action with what is typed in the prompt as its
// instruction (for Ask, its question).
function startAction(action, button) {
  showActionError('');
  showPromptError('');
  const instruction = $('prompt').value.trim();
  if (action.kind === 'ask' && !instruction) {
    showPromptError('Type your question about this page here, then press Ask.');
    $('prompt').focus();
    return;
  }
  busy(button, async () => {
    let selection = [];
    let cursor = '';
    if (action.kind === 'improve') {
      selection = await selectedBlocks();
      if (selection.length === 0) {
        showActionError('Select the blocks to improve in the page first (drag across their text), then click Visen again.');
        return;
      }
    }
    if (action.kind === 'continue' && $('insert-cursor').checked) {
      cursor = await cursorBlock();
      if (!cursor) announce('There is no cursor in the page, so Visen writes on from the end.');
    }
    const reply = await send(MSG.PAGE_ACTION, { target, action: { ...action, instruction }, selection, cursor });
    if (!reply.ok) {
      showActionError(reply.error.message);
      return;
    }
    $('prompt').value = '';
    $('other-language').value = '';
    await saveDraft(target.id, { prompt: '', language: '' });
    showJob({ id: reply.data.jobId, kind: 'action', action, target, cursor, prompt: reply.data.prompt, status: 'starting', markdown: '', blocks: 0 });
  });
}

// What a page action's job says it is doing, or has done.
function actionStatus(job) {
  const page = where(job);
  const { kind, language } = job.action;
  const asking = onlyAnswers(job);
  const name = settings ? providerName(settings) : 'the AI';
  switch (job.status) {
    case 'reading':
      return `Reading ${page}…`;
    case 'confirm':
      return `${page} is longer than ${settings?.model || 'the model'} can read at once.`;
    case 'starting':
      if (job.insert) return `Adding the answer to ${page}…`;
      return job.plan ? `Asking ${name}…` : `Reading ${page}…`;
    case 'generating':
      return {
        continue: `Writing on in ${page}…`,
        summarize: `Summarizing ${page}…`,
        translate: `Translating ${page} into ${language}…`,
        improve: 'Rewriting your selection…',
        ask: job.insert ? `Adding the answer to ${page}…` : `Answering from ${page}…`,
      }[kind];
    case 'writing':
      return asking ? `Answering from ${page}…` : `Finishing ${job.subpage ? `“${job.subpage.title}”` : page}…`;
    case 'done':
      return actionDone(job);
    case 'cancelled':
      return asking ? 'Stopped.' : `Stopped. What was written stays in ${job.subpage ? `“${job.subpage.title}”` : page}.`;
    default:
      return 'It did not finish.';
  }
}

function actionDone(job) {
  const page = where(job);
  switch (job.action.kind) {
    case 'continue':
      return job.cursor ? `Written on after your cursor in ${page}.` : `Written on at the end of ${page}.`;
    case 'summarize':
      return `Added a summary at the ${job.plan?.position === 'start' ? 'top' : 'end'} of ${page}.`;
    case 'translate':
      return job.subpage
        ? `Translated into ${job.action.language}, in a new page inside ${page}.`
        : `Added the ${job.action.language} translation below the original in ${page}.`;
    case 'improve':
      if (job.undone) return 'Undone: your original is back and the new version is gone.';
      if (job.replaced) return `Replaced your selection in ${page}.`;
      return `The new version is right after your selection in ${page}. Replace the original with it?`;
    default:
      if (!job.insert) return `Answered from ${page}.`;
      return job.insert.after ? `Added the answer after your cursor in ${page}.` : `Added the answer at the end of ${page}.`;
  }
}

// How much of the page the model reads, when not all of it.
function usedNote(job) {
  const used = job.plan?.used;
  if (!used || used.blocks >= used.total) return '';
  const part = job.action.kind === 'continue' ? 'last' : 'first';
  if (job.status === 'confirm') {
    return `Visen can send the ${part} ${used.blocks} of its ${used.total} blocks. Go on with those, or choose a model with a larger context in Settings.`;
  }
  return `Visen read the ${part} ${used.blocks} of ${used.total} blocks: the rest is more than the model can take at once.`;
}

// The footer of a finished page action.
function actionFooter(job, copy) {
  const { kind } = job.action;
  if (job.status === 'confirm') return footer('go-on', 'new-prompt');
  if (onlyAnswers(job)) return footer('insert', copy, 'new-prompt');
  if (kind === 'improve' && !job.undone) {
    return job.replaced ? footer('new-prompt', 'undo') : footer('replace', 'undo', 'new-prompt');
  }
  const openPage = job.subpage?.url ? 'open-page' : null;
  return footer('new-prompt', copy, openPage);
}

// Runs a change to a finished job (Replace, Undo, Insert, Go on) from
// its button, and shows the job as it is afterwards.
function changeJob(button, type, payload, done) {
  const job = shownJob;
  if (!job) return;
  busy($(button), async () => {
    const reply = await send(type, { jobId: job.id, ...payload });
    if (!reply.ok) {
      announce(reply.error.message);
      return;
    }
    const fresh = await getJob(job.id);
    if (fresh) showJob(fresh);
    done?.();
  });
}

// ---- A job ---------------------------------------------------------------------------

function where(job) {
  return job.target?.title || 'Untitled';
}

function statusText(job) {
  if (job.kind === 'action') return actionStatus(job);
  const name = settings ? providerName(settings) : 'the AI';
  if (job.kind === 'newPage') {
    const page = job.page?.title || job.newPage?.title || 'the new page';
    return {
      starting: `Asking ${name}…`,
      generating: `Writing “${page}” in ${where(job)}…`,
      writing: `Finishing “${page}”…`,
      done: `Created “${page}” in ${where(job)}.`,
      cancelled: `Stopped. What was written stays in “${page}”.`,
      failed: 'It did not finish.',
    }[job.status];
  }
  return {
    starting: `Asking ${name}…`,
    generating: `Writing into ${where(job)}…`,
    writing: `Finishing ${where(job)}…`,
    done: job.after ? `Added after your cursor in ${where(job)}.` : `Added at the end of ${where(job)}.`,
    cancelled: `Stopped. What was written stays in ${where(job)}.`,
    failed: 'It did not finish.',
  }[job.status] ?? job.status;
}

function showJobError(error) {
  const box = $('job-error');
  box.hidden = !error;
  if (!error) return;
  $('job-error-text').textContent = error.message;
  const steps = error.code === 'not_connected' ? error.steps ?? [] : [];
  $('job-error-steps').replaceChildren(...steps.map((s) => h('li', { textContent: s })));
  $('job-error-steps').hidden = steps.length === 0;
  const fix = [];
  if (['unauthorized', 'not_configured', 'ai_unauthorized', 'ai_model_not_found', 'ai_origin_refused'].includes(error.code)) {
    const b = h('button', { type: 'button', className: 'secondary small', textContent: 'Open Settings' });
    b.addEventListener('click', () => settingsPanel.open());
    fix.push(b);
  }
  // A person's token has no capabilities to turn on: Notion's own sharing
  // decides, and the message says so.
  if (error.code === 'no_insert_capability' && settings?.notionKind !== 'personal') {
    const a = h('a', { href: INTEGRATIONS_URL, target: '_blank', rel: 'noopener', textContent: 'Open Notion’s integrations page to turn on Insert content' });
    a.addEventListener('click', (e) => {
      e.preventDefault();
      ext.tabs.create({ url: INTEGRATIONS_URL });
    });
    fix.push(a);
  }
  $('job-fix').replaceChildren(...fix);
}

function showJob(job) {
  if (job.kind === 'fill') {
    shownJob = null;
    $('compose').hidden = true;
    db.showRun(job);
    return;
  }
  const first = shownJob?.id !== job.id;
  shownJob = job;
  $('compose').hidden = true;
  $('db').hidden = true;
  $('run').hidden = true;
  $('job').hidden = false;
  const runningNow = RUNNING.has(job.status);
  $('job-prompt').textContent = job.prompt;
  $('job-status').textContent = statusText(job);
  $('progress').hidden = !runningNow;
  showJobError(job.status === 'failed' || job.status === 'cancelled' ? job.error : null);
  if (job.status === 'cancelled') $('job-error').hidden = true;
  const made = job.kind === 'newPage' ? job.page : job.subpage;
  const pageUrl = made ? made.url : job.target?.url;
  const elsewhere = Boolean(made) || job.target?.id !== target?.id;
  $('open-page').href = pageUrl ?? '#';
  $('open-page').textContent = made ? 'Open the new page' : `Open ${where(job)}`;
  const openPage = job.status === 'done' && pageUrl && elsewhere ? 'open-page' : null;
  const copy = job.markdown ? 'copy' : null;
  const note = job.kind === 'action' ? usedNote(job) : '';
  $('job-note').textContent = note;
  $('job-note').hidden = !note;
  if (runningNow) footer('cancel');
  else if (job.kind === 'action' && (job.status === 'done' || job.status === 'confirm')) actionFooter(job, copy);
  else if (job.status === 'done') footer('new-prompt', copy, openPage);
  else footer('retry', copy, 'new-prompt');
  if (first) {
    announce('');
    preview = { jobId: job.id, blocks: [], drawn: 0, tail: '', final: false };
    $('preview').replaceChildren();
    if (footerMain) $(footerMain).focus();
  }
  refreshPreview(job);
}

let previewBusy = false;
let previewAgain = false;

// Asks the background for the answer's blocks, one request at a time; an
// update that arrives meanwhile asks again once the answer is in.
async function refreshPreview(job) {
  if (previewBusy) {
    previewAgain = true;
    return;
  }
  if (preview.final && preview.jobId === job.id) return;
  previewBusy = true;
  const finished = !RUNNING.has(job.status);
  const from = finished ? 0 : preview.blocks.length;
  const reply = await send(MSG.JOB_PREVIEW, { jobId: job.id, from });
  previewBusy = false;
  if (reply.ok && shownJob?.id === job.id) {
    // Settled blocks never change: new ones are drawn after the ones
    // already drawn, so a long answer costs no more to follow.
    const appended = reply.data.from === preview.blocks.length && preview.drawn === preview.blocks.length;
    preview.blocks = [...preview.blocks.slice(0, reply.data.from), ...reply.data.blocks];
    preview.tail = reply.data.tail ?? '';
    preview.final = finished;
    drawPreview(job, appended ? reply.data.blocks : null);
  }
  if (previewAgain) {
    previewAgain = false;
    if (shownJob) refreshPreview(shownJob);
  }
}

// Draws the preview whole, or only the blocks `added` after those drawn.
function drawPreview(job, added = null) {
  const box = $('preview');
  const stick = box.scrollTop + box.clientHeight >= box.scrollHeight - 24;
  box.querySelector(':scope > .tail')?.remove();
  if (added) {
    const more = renderBlocks(added);
    // A list that goes on across updates stays one list.
    const last = box.lastElementChild;
    const first = more.firstElementChild;
    if (last && first && (last.tagName === 'UL' || last.tagName === 'OL') && first.tagName === last.tagName) {
      last.append(...first.childNodes);
      first.remove();
    }
    box.append(more);
  } else {
    box.replaceChildren(renderBlocks(preview.blocks));
  }
  preview.drawn = preview.blocks.length;
  if (preview.tail) box.append(h('p', { className: 'tail', textContent: preview.tail }));
  if (stick && RUNNING.has(job.status)) box.scrollTop = box.scrollHeight;
  // An answer to a question is read, not counted.
  const counts = onlyAnswers(job) ? '' : describeCounts(countBlocks(preview.blocks));
  $('progress-text').textContent = !counts ? '' : RUNNING.has(job.status) ? `So far: ${counts}.` : `${counts[0].toUpperCase()}${counts.slice(1)}.`;
}

async function showLatestJob() {
  const job = await latestJobFor(target.id);
  if (job && RUNNING.has(job.status)) showJob(job);
  else await showCompose();
  await renderHistory();
}

// ---- History ---------------------------------------------------------------------------

const HISTORY_STATUS = { starting: 'Starting', reading: 'Reading', generating: 'Writing', writing: 'Writing', confirm: 'Waiting for you', done: 'Done', cancelled: 'Stopped', failed: 'Did not finish' };

// The status each job in the history list was drawn with.
const historyShown = new Map();

async function renderHistory() {
  const jobs = await loadJobs();
  historyShown.clear();
  for (const j of jobs) historyShown.set(j.id, j.status);
  $('history').hidden = jobs.length === 0;
  $('history-list').replaceChildren(...jobs.map((job) => {
    const what = job.kind === 'action' && job.action?.kind === 'ask' ? ' · question' : { fill: ' · fill rows', newPage: ' · new page' }[job.kind] ?? '';
    const open = h('button', { type: 'button', className: 'open' },
      h('span', { className: 'h-title', textContent: (job.target?.title || 'Untitled') + what }),
      h('span', { className: 'h-prompt', textContent: job.prompt }),
      h('span', { className: 'h-meta', textContent: `${historyStatus(job)} · ${relativeTime(job.finishedAt ?? job.createdAt)}` }));
    open.addEventListener('click', () => {
      showJob(job);
      document.querySelector('#home .scroll').scrollTop = 0;
    });
    const actions = h('div', { className: 'h-actions' });
    if (job.status === 'failed' || job.status === 'cancelled') {
      const again = h('button', { type: 'button', className: 'secondary small', textContent: 'Retry' });
      again.setAttribute('aria-label', `Retry “${job.prompt.slice(0, 40)}”`);
      again.addEventListener('click', () => retry(job.id));
      actions.append(again);
    }
    if (!RUNNING.has(job.status)) {
      const del = h('button', { type: 'button', className: 'icon-button small', textContent: '✕' });
      del.setAttribute('aria-label', `Delete “${job.prompt.slice(0, 40)}” from history`);
      del.title = 'Delete';
      del.addEventListener('click', async () => {
        await deleteJob(job.id);
        if (shownJob?.id === job.id) await showCompose({ focus: false });
        await renderHistory();
        announce('Deleted from history.');
      });
      actions.append(del);
    }
    const li = h('li', {}, open, actions);
    li.dataset.id = job.id;
    return li;
  }));
}

function historyStatus(job) {
  const text = HISTORY_STATUS[job.status] ?? job.status;
  if (job.kind !== 'fill') return text;
  const rows = job.run?.rows ?? [];
  const written = rows.filter((r) => r.status === 'written').length;
  return `${text} · ${written} of ${rows.length} rows written`;
}

async function retry(jobId) {
  const reply = await send(MSG.RETRY, { jobId });
  if (!reply.ok) {
    announce(reply.error.message);
    return;
  }
  const job = (await loadJobs()).find((j) => j.id === jobId);
  if (job) showJob({ ...job, status: 'starting', error: null });
}

async function checkHealth() {
  const reply = await send(MSG.HEALTH);
  const message = reply.ok ? reply.data?.historyError : null;
  $('history-error').textContent = message ?? '';
  $('history-error').hidden = !message;
}

function onStorageChanged(changes, area) {
  const jobs = area === 'local' && changedJobs(changes);
  if (!jobs) return;
  const shownId = shownJob?.id ?? db.shownRunId();
  const current = shownId && jobs.find((j) => j.id === shownId);
  if (current) {
    showJob(current);
  } else if (!shownId && target && $('settings').hidden) {
    const mine = jobs.find((j) => j.target?.id === target.id && RUNNING.has(j.status));
    if (mine) showJob(mine);
  }
  if (!$('compose').hidden) renderLastRun();
  // A running job changes many times a second; the list shows only its
  // status, so it is drawn again only when a status or the list changed.
  if (jobs.some((j) => historyShown.get(j.id) !== j.status) || jobs.length === 0) renderHistory();
  checkHealth();
}

// ---- Wiring ---------------------------------------------------------------------------------

function wire() {
  $('open-settings').addEventListener('click', () => settingsPanel.open());
  $('setup').addEventListener('click', () => settingsPanel.open({ problems: settingsProblems }));
  $('check-again').addEventListener('click', () => busy($('check-again'), async () => {
    await inspect();
    // What changed is said; what did not keeps its sentence on screen, with
    // the button still under the keyboard.
    if (target) announce(`Visen can open “${target.title || 'Untitled'}” now.`);
    else if (!$('check-again').hidden) $('check-again').focus();
  }));
  $('template').addEventListener('change', onTemplate);
  $('prompt').addEventListener('input', onPromptInput);
  $('prompt').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onGenerate();
    }
  });
  for (const id of ['insert-end', 'insert-cursor']) {
    $(id).addEventListener('change', () => target && saveDraft(target.id, { insert: $(id).value }));
  }
  $('more').addEventListener('click', toggleMenu);
  $('more-menu').addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      closeMenu();
      $('more').focus();
    }
  });
  $('save-template').addEventListener('click', onSaveTemplate);
  $('generate').addEventListener('click', onGenerate);
  $('cancel').addEventListener('click', () => shownJob && send(MSG.CANCEL, { jobId: shownJob.id }));
  $('retry').addEventListener('click', () => shownJob && retry(shownJob.id));
  $('copy').addEventListener('click', async () => {
    await navigator.clipboard.writeText(shownJob?.markdown ?? '');
    announce('Markdown copied.');
  });
  $('open-page').addEventListener('click', (e) => {
    e.preventDefault();
    ext.tabs.create({ url: $('open-page').href });
  });
  $('new-prompt').addEventListener('click', () => showCompose());
  $('act-continue').addEventListener('click', () => startAction({ kind: 'continue' }, $('act-continue')));
  $('act-ask').addEventListener('click', () => startAction({ kind: 'ask' }, $('act-ask')));
  for (const kind of ACTION_OPTIONS) $(`act-${kind}`).addEventListener('click', () => toggleOptions(kind));
  for (const [id, position] of [['summary-start', 'start'], ['summary-end', 'end']]) {
    $(id).addEventListener('click', () => startAction({ kind: 'summarize', position }, $(id)));
  }
  $('translate-other').addEventListener('click', () => translate($('other-language').value, $('translate-other')));
  $('other-language').addEventListener('input', () => target && saveDraft(target.id, { language: $('other-language').value }));
  $('other-language').addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      translate($('other-language').value, $('translate-other'));
    }
  });
  for (const id of ['translate-subpage', 'translate-below']) {
    $(id).addEventListener('change', async () => {
      const prefs = await actionPrefs();
      await ext.storage.local.set({ actionPrefs: { ...prefs, where: $(id).value } });
    });
  }
  for (const b of $('opt-improve').querySelectorAll('button')) {
    const action = b.dataset.tone ? { kind: 'improve', style: 'tone', tone: b.dataset.tone } : { kind: 'improve', style: b.dataset.style };
    b.addEventListener('click', () => startAction(action, b));
  }
  $('go-on').addEventListener('click', () => shownJob && retry(shownJob.id));
  $('insert').addEventListener('click', async () => {
    const after = $('insert-cursor').checked ? await cursorBlock() : '';
    changeJob('insert', MSG.INSERT_ANSWER, { after });
  });
  $('replace').addEventListener('click', () => changeJob('replace', MSG.REPLACE, {}, () => {
    announce('Replaced. Undo brings your original back.');
    $('undo').focus();
  }));
  $('undo').addEventListener('click', () => changeJob('undo', MSG.UNDO, {}, () => announce('Undone.')));
  ext.storage.onChanged.addListener(onStorageChanged);
}

async function main() {
  wire();
  const templates = fillTemplates();
  settings = await loadSettings();
  performance.mark('visen:interactive');
  await templates;
  checkHealth();
  if (!isConfigured(settings) || (await settingsPanel.wasLeftOpen())) {
    await settingsPanel.open();
    inspect();
    return;
  }
  await inspect();
}

main();
