// The popup: the tab's Notion page or database with the prompt first, a
// job's progress and answer, History, and the guided settings. It renders
// at once from storage and never waits for the background's engine; the
// target fills in when the background answers. The main action sits in a
// footer that stays in view; everything else scrolls above it.
//
// This file joins the views (target, compose, actions, job, history, and
// database and settings) and owns the footer; each view is its own module.
// The element ids the browser tests rely on are listed in ids.js.

import { ext } from '../shared/ext.js';
import { MSG } from '../shared/messages.js';
import { isConfigured, loadSettings } from '../shared/storage.js';
import { RUNNING, changedJobs, latestJobFor } from '../shared/jobs.js';
import { actionsView } from './actions.js';
import { composeView } from './compose.js';
import { databaseView } from './database.js';
import { historyView } from './history.js';
import { jobView } from './job.js';
import { settingsView } from './settings.js';
import { state } from './state.js';
import { S } from './strings.js';
import { targetView } from './target.js';
import { $, busy } from './ui.js';

const FOOTER = ['setup', 'check-again', 'insert-at-box', 'generate', 'np-generate', 'fill-run', 'cancel', 'fix', 'retry', 'go-on', 'insert', 'replace', 'keep-both', 'discard', 'try-again', 'undo', 'new-prompt', 'copy', 'open-page', 'run-cancel', 'run-resume', 'run-new'];
// Stop is never the main button: a quiet way out while the answer is written.
const QUIET = new Set(['cancel', 'run-cancel', 'insert-at-box']);

function send(type, payload = {}) {
  return ext.runtime.sendMessage({ type, ...payload }).then(
    (reply) => reply ?? { ok: false, error: { code: 'internal', message: S.background.silent } },
    () => ({ ok: false, error: { code: 'internal', message: S.background.down } }),
  );
}

function announce(text) {
  $('status').textContent = text;
}

/**
 * Shows exactly these footer items: the first is the main action, the
 * rest are secondary. Everything else in the footer is hidden. Returns
 * the main action's id.
 */
function footer(main, ...rest) {
  const shown = new Set([main, ...rest].filter(Boolean));
  const focused = document.activeElement?.id;
  for (const id of FOOTER) {
    const item = $(id);
    item.hidden = !shown.has(id);
    if (shown.has(id) && !QUIET.has(id)) {
      item.classList.toggle('primary', id === main);
      item.classList.toggle('secondary', id !== main);
    }
  }
  // A button that goes away with the focus on it hands the focus to the
  // new main action, so the keyboard is never left on nothing.
  if (FOOTER.includes(focused) && !shown.has(focused) && main) $(main).focus();
  return main;
}

const settingsPanel = settingsView({
  send,
  // Home looks at the tab again whenever the settings changed under it:
  // saved, saved with a problem, or cleared.
  onClose: async (savedNow) => {
    const fresh = await loadSettings();
    const changed = JSON.stringify(fresh) !== JSON.stringify(state.settings);
    state.settings = fresh;
    if (savedNow) announce(S.home.saved);
    if (savedNow || changed) await target.inspect();
    else $('open-settings').focus();
  },
});

const compose = composeView({
  send,
  announce,
  footer,
  showJob: (j) => job.show(j),
  onShow: () => actions.reset(),
});

const actions = actionsView({ send, showJob: (j) => job.show(j), compose });

const db = databaseView({ send, announce, footer, showJob: (j) => job.show(j), busy });

const job = jobView({
  send,
  announce,
  footer,
  openSettings: () => settingsPanel.open(),
  compose: () => showCompose(),
  actions,
  insertAfter: compose.insertAfter,
  showRun: db.showRun,
});

const history = historyView({
  announce,
  showJob: job.show,
  retry: job.retry,
  onDeleteShown: () => showCompose({ focus: false }),
  setFooter: (open) => $('home').querySelector('.footer-actions').toggleAttribute('hidden', open),
});

const target = targetView({
  send,
  footer,
  hidePanels: () => {
    for (const id of ['compose', 'db', 'job', 'run']) $(id).hidden = true;
    db.hide();
    state.shownJob = null;
  },
  found: showLatestJob,
  always: () => history.render(),
});

async function showCompose({ focus = true } = {}) {
  state.shownJob = null;
  $('job').hidden = true;
  if (state.target?.kind === 'database') await db.show(state.target, { focus });
  else return compose.show({ focus });
}

// A page's prompt is shown first, and the history, which can be large, is
// read after it, once, for the last run's line: a job still running on the
// page then takes its place. A database's view waits for the engine's
// rows, so its running job is looked for first.
async function showLatestJob() {
  const { target } = state;
  const latest = target.kind === 'database' ? await latestJobFor(target.id) : await showCompose();
  if (state.target?.id !== target.id || state.shownJob) return;
  if (latest && RUNNING.has(latest.status)) job.show(latest);
  else if (target.kind === 'database') await showCompose();
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
  const shownId = state.shownJob?.id ?? db.shownRunId();
  const current = shownId && jobs.find((j) => j.id === shownId);
  if (current) {
    job.show(current);
  } else if (!shownId && state.target && $('settings').hidden && !history.isOpen()) {
    const mine = jobs.find((j) => j.target?.id === state.target.id && RUNNING.has(j.status));
    if (mine) job.show(mine);
  }
  if (!$('compose').hidden) compose.renderLastRun();
  if (history.stale(jobs)) history.render();
  checkHealth();
}

function wire() {
  $('open-settings').addEventListener('click', () => settingsPanel.open());
  $('setup').addEventListener('click', () => settingsPanel.open({ problems: state.settingsProblems }));
  $('check-again').addEventListener('click', () => busy($('check-again'), async () => {
    await target.inspect();
    // What changed is said; what did not keeps its sentence on screen, with
    // the button still under the keyboard.
    if (state.target) announce(S.home.openNow(state.target.title));
    else if (!$('check-again').hidden) $('check-again').focus();
  }));
  ext.storage.onChanged.addListener(onStorageChanged);
}

async function main() {
  wire();
  const templates = compose.loadTemplates();
  state.settings = await loadSettings();
  performance.mark('visen:interactive');
  await templates;
  checkHealth();
  if (!isConfigured(state.settings) || (await settingsPanel.wasLeftOpen())) {
    await settingsPanel.open();
    target.inspect();
    return;
  }
  await target.inspect();
}

main();
