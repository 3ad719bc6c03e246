// The popup: a home view naming the current tab's Notion target, and the
// settings form. It renders at once from storage and never waits for the
// background's engine; the target fills in when the background answers.
//
// Element ids the browser tests rely on: #home, #settings, #open-settings,
// #notion-secret, #toggle-secret, #open-integrations, #provider, #api-key,
// #toggle-key, #model, #models, #load-models, #base-url, #temperature,
// #instructions, #save, #clear, #clear-confirm, #clear-cancel,
// #test-connection, #test-result, #target, #target-icon, #target-title,
// #target-kind, #state, #connect-steps, #setup, #back, #status, and
// #<field>-error beside each field. Composing: #compose, #template, #prompt,
// #insert-end, #insert-cursor, #generate, #save-template. A job: #job,
// #job-status, #progress, #progress-text, #preview, #job-error, #cancel,
// #retry, #copy, #open-page, #new-prompt. History: #history, #history-list.

import { ext } from '../shared/ext.js';
import { MSG } from '../shared/messages.js';
import { PROVIDERS, effectiveBaseUrl, optionalOriginFor } from '../shared/providers.js';
import { DEFAULTS, clearSettings, isConfigured, loadSettings, saveSettings, validate } from '../shared/storage.js';
import { RUNNING, changedJobs, deleteJob, latestJobFor, loadJobs } from '../shared/jobs.js';
import { renderPreview } from './preview.js';
import { databaseView } from './database.js';

const $ = (id) => document.getElementById(id);

// Form fields by settings key.
const FIELDS = {
  notionSecret: 'notion-secret',
  provider: 'provider',
  apiKey: 'api-key',
  model: 'model',
  baseUrl: 'base-url',
  temperature: 'temperature',
  maxTokens: 'max-tokens',
  instructions: 'instructions',
};

let settings = { ...DEFAULTS };
const db = databaseView({ send, announce: (t) => announce(t), showJob: (j) => showJob(j), busy: (b, a) => busy(b, a) });
// The page or database of the current tab, once Notion has named it.
let target = null;
let tabId = null;
// The job shown in the job panel.
let shownJob = null;

const BUILTIN_TEMPLATES = [
  { name: 'Blog post', prompt: 'Write a blog post about: ' },
  { name: 'Outline', prompt: 'Write a detailed outline, with headings and nested bullet points, for: ' },
  { name: 'Summary of a topic', prompt: 'Summarise the key facts, open questions and a short conclusion about: ' },
  { name: 'Meeting notes', prompt: 'Write meeting notes with attendees, agenda, decisions and action items (as to-dos with owners) for: ' },
  { name: 'Email draft', prompt: 'Draft a clear, friendly email about: ' },
];

function send(type, payload = {}) {
  return ext.runtime.sendMessage({ type, ...payload }).then(
    (reply) => reply ?? { ok: false, error: { code: 'internal', message: 'Visen’s background did not answer. Reload the extension.' } },
    () => ({ ok: false, error: { code: 'internal', message: 'Visen’s background is not running. Reload the extension.' } }),
  );
}

function announce(text) {
  $('status').textContent = text;
}

// ---- Home view -------------------------------------------------------------

function showState(message, { error = false, steps = [], setup = '' } = {}) {
  $('state').hidden = message === '';
  $('state').textContent = message;
  $('state').classList.toggle('is-error', error);
  const list = $('connect-steps');
  list.replaceChildren(
    ...steps.map((s) => {
      const li = document.createElement('li');
      li.textContent = s;
      return li;
    }),
  );
  list.hidden = steps.length === 0;
  $('setup').hidden = !setup;
  $('setup').textContent = setup;
}

function showTarget(t) {
  const icon = $('target-icon');
  icon.replaceChildren();
  if (t.icon?.emoji) {
    icon.textContent = t.icon.emoji;
  } else if (t.icon?.url) {
    const img = document.createElement('img');
    img.src = t.icon.url;
    img.alt = '';
    icon.append(img);
  } else {
    icon.textContent = t.kind === 'database' ? '🗂️' : '📄';
  }
  $('target-title').textContent = t.title || 'Untitled';
  $('target-kind').textContent = t.kind === 'database' ? 'Notion database' : 'Notion page';
  $('target').hidden = false;
}

async function activeTabUrl() {
  try {
    const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
    tabId = tab?.id ?? null;
    return tab?.url ?? '';
  } catch {
    return '';
  }
}

async function inspect() {
  $('target').hidden = true;
  $('compose').hidden = true;
  $('job').hidden = true;
  $('history').hidden = true;
  db.hide();
  target = null;
  const url = await activeTabUrl();
  if (!url) {
    if (isConfigured(settings)) {
      showState('Open a Notion page or database, then click Visen again.');
    } else {
      showState('Open a Notion page or database, then click Visen again. First, set Visen up.', { setup: 'Set up Visen' });
    }
    return;
  }
  if (!isConfigured(settings)) {
    showState('Visen is not set up yet. Add your Notion secret and AI provider to start.', { setup: 'Set up Visen' });
    return;
  }
  showState('Looking at this tab…');
  const reply = await send(MSG.INSPECT_TARGET, { url });
  if (reply.ok) {
    target = reply.data;
    showTarget(target);
    showState('');
    $('state').hidden = true;
    await showLatestJob();
    return;
  }
  const { code, message, steps = [] } = reply.error;
  const needsSettings = code === 'unauthorized' || code === 'not_configured';
  showState(message, { error: true, steps: code === 'not_connected' ? steps : [], setup: needsSettings ? 'Open Settings' : '' });
}

// ---- Settings view -----------------------------------------------------------

function fillProviders() {
  $('provider').replaceChildren(
    ...Object.entries(PROVIDERS).map(([id, p]) => new Option(p.label, id)),
  );
}

function writeForm(s) {
  for (const [key, id] of Object.entries(FIELDS)) {
    $(id).value = s[key] ?? '';
  }
  if (!s.maxTokens) $('max-tokens').value = '';
  $('models').replaceChildren();
  clearErrors();
  applyProvider();
}

function readForm() {
  const values = {};
  for (const [key, id] of Object.entries(FIELDS)) {
    values[key] = $(id).value;
  }
  return values;
}

// Shows what applies to the chosen provider: its key hint and whether a key
// or a base URL is needed.
function applyProvider() {
  const preset = PROVIDERS[$('provider').value] ?? PROVIDERS.openai;
  const hint = $('api-key-hint');
  hint.replaceChildren();
  if (preset.keyUrl) {
    const a = document.createElement('a');
    a.href = preset.keyUrl;
    a.target = '_blank';
    a.rel = 'noopener';
    a.textContent = `Get your ${preset.label} API key`;
    hint.append(a, '.');
  } else if ($('provider').value === 'ollama') {
    hint.textContent = 'Ollama needs no key. Start it with OLLAMA_ORIGINS set to allow browser extensions.';
  } else {
    hint.textContent = 'Only if your server asks for one.';
  }
  $('base-url').placeholder = preset.baseUrl || 'https://example.com/v1';
  $('base-url-hint').textContent = $('provider').value === 'custom'
    ? 'Required: your server’s OpenAI-compatible address, usually ending in /v1.'
    : 'Leave empty to use the provider’s own address.';
  if ($('provider').value === 'custom') {
    $('advanced').open = true;
  }
}

let lastProvider = DEFAULTS.provider;

function onProviderChange() {
  const next = $('provider').value;
  const model = $('model');
  if (model.value === '' || model.value === PROVIDERS[lastProvider]?.defaultModel) {
    model.value = PROVIDERS[next].defaultModel;
  }
  lastProvider = next;
  $('models').replaceChildren();
  applyProvider();
}

function clearErrors() {
  for (const id of Object.values(FIELDS)) {
    showError(id, '');
  }
}

function showError(id, message) {
  const el = $(`${id}-error`);
  el.textContent = message;
  el.hidden = !message;
  if (message) {
    $(id).setAttribute('aria-invalid', 'true');
  } else {
    $(id).removeAttribute('aria-invalid');
  }
}

function showErrors(errors) {
  clearErrors();
  let first = null;
  for (const [key, id] of Object.entries(FIELDS)) {
    if (errors[key]) {
      showError(id, errors[key]);
      first ??= id;
    }
  }
  if (['base-url', 'temperature', 'max-tokens', 'instructions'].includes(first)) {
    $('advanced').open = true;
  }
  if (first) $(first).focus();
}

// Runs an async action with its button busy, refusing a second press. The
// button stays focusable (aria-disabled, not disabled) so keyboard focus
// is not lost while it works.
async function busy(button, action) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  button.setAttribute('aria-busy', 'true');
  try {
    await action();
  } finally {
    button.removeAttribute('aria-disabled');
    button.removeAttribute('aria-busy');
  }
}

async function openSettings() {
  settings = await loadSettings();
  lastProvider = settings.provider;
  writeForm(settings);
  $('test-result').hidden = true;
  $('clear-box').hidden = true;
  $('home').hidden = true;
  $('settings').hidden = false;
  $('notion-secret').focus();
}

// Set when the settings changed under the home view, which must then look
// at the tab again.
let homeStale = false;

function closeSettings() {
  $('settings').hidden = true;
  $('home').hidden = false;
  $('open-settings').focus();
  if (homeStale) {
    homeStale = false;
    inspect();
  }
}

function onSave(event) {
  event.preventDefault();
  const values = readForm();
  const errors = validate(values);
  if (Object.keys(errors).length > 0) {
    showErrors(errors);
    announce('');
    return;
  }
  clearErrors();
  const allowed = requestHostPermission(values);
  // Saved at once, not after the permission answer: Firefox may close the
  // popup when it shows its permission prompt, and the settings must not
  // be lost with it.
  const saved = saveSettings(values);
  busy($('save'), async () => {
    const result = await saved;
    if (!result.ok) {
      showErrors(result.errors);
      return;
    }
    settings = result.settings;
    if (!(await allowed)) {
      showErrors({ baseUrl: `Saved, but Visen may not reach ${hostOf(values)} yet. Save again and choose Allow.` });
      return;
    }
    announce('Saved.');
    closeSettings();
    await inspect();
  });
}

// Asks for the optional host permission a custom or local provider needs.
// Browsers grant it only inside the user's click, so it is called before
// anything is awaited; it resolves to whether the host may be reached.
function requestHostPermission(values) {
  const origin = optionalOriginFor(effectiveBaseUrl(values));
  if (!origin) return Promise.resolve(true);
  return ext.permissions.request({ origins: [origin] }).catch(() => false);
}

function hostOf(values) {
  try {
    return new URL(effectiveBaseUrl(values)).host;
  } catch {
    return 'that address';
  }
}

function describeTest({ notion, ai }) {
  const lines = [];
  if (notion.ok) {
    lines.push(['ok', `Notion: connected as ${notion.botName} in ${notion.workspaceName.replace(/\.+$/, '')}.`]);
  } else {
    lines.push(['bad', `Notion: ${notion.error.message}`]);
  }
  if (ai.ok) {
    lines.push(['ok', `AI: key works (${ai.modelCount} models).`]);
  } else {
    lines.push(['bad', `AI: ${ai.error.message}`]);
  }
  return lines;
}

function onTestConnection() {
  const box = $('test-result');
  const allowed = requestHostPermission(readForm());
  busy($('test-connection'), async () => {
    box.hidden = false;
    if (!(await allowed)) {
      box.replaceChildren(Object.assign(document.createElement('p'), { className: 'bad', textContent: `AI: Visen may not reach ${hostOf(readForm())} until you choose Allow.` }));
      return;
    }
    box.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'Testing…' }));
    const reply = await send(MSG.TEST_CONNECTION, { settings: readForm() });
    const lines = reply.ok ? describeTest(reply.data) : [['bad', reply.error.message]];
    box.replaceChildren(
      ...lines.map(([cls, text]) => Object.assign(document.createElement('p'), { className: cls, textContent: text })),
    );
  });
}

function onLoadModels() {
  const allowed = requestHostPermission(readForm());
  busy($('load-models'), async () => {
    showError('model', '');
    if (!(await allowed)) {
      showError('model', `Visen may not reach ${hostOf(readForm())} until you choose Allow.`);
      return;
    }
    const reply = await send(MSG.LIST_MODELS, { settings: readForm() });
    if (!reply.ok) {
      showError('model', reply.error.message);
      return;
    }
    $('models').replaceChildren(...reply.data.models.map((m) => new Option(m, m)));
    announce(`${reply.data.models.length} models loaded. Type in the Model field to pick one.`);
    if (!$('model').value && reply.data.models.length) {
      $('model').value = reply.data.models[0];
    }
  });
}

function onToggleVisibility(event) {
  const button = event.currentTarget;
  const input = $(button.dataset.toggles);
  const show = input.type === 'password';
  input.type = show ? 'text' : 'password';
  button.setAttribute('aria-pressed', String(show));
  button.setAttribute('aria-label', `${show ? 'Hide' : 'Show'} ${button.id === 'toggle-secret' ? 'secret' : 'API key'}`);
}

function onOpenIntegrations(event) {
  event.preventDefault();
  ext.tabs.create({ url: event.currentTarget.href });
}

async function onClearConfirm() {
  await clearSettings();
  // Hosts the user allowed for a custom or local provider go too.
  const manifestHosts = ext.runtime.getManifest().host_permissions ?? [];
  const { origins = [] } = await ext.permissions.getAll();
  const extra = origins.filter((o) => !manifestHosts.includes(o));
  if (extra.length) await ext.permissions.remove({ origins: extra }).catch(() => {});
  await fillTemplates();
  settings = { ...DEFAULTS };
  lastProvider = settings.provider;
  writeForm(settings);
  $('clear-box').hidden = true;
  $('test-result').hidden = true;
  homeStale = true;
  announce('Everything Visen stored is cleared.');
  $('clear').focus();
}

function wire() {
  $('open-settings').addEventListener('click', openSettings);
  $('setup').addEventListener('click', openSettings);
  $('back').addEventListener('click', closeSettings);
  $('settings-form').addEventListener('submit', onSave);
  $('provider').addEventListener('change', onProviderChange);
  $('test-connection').addEventListener('click', onTestConnection);
  $('load-models').addEventListener('click', onLoadModels);
  $('toggle-secret').addEventListener('click', onToggleVisibility);
  $('toggle-key').addEventListener('click', onToggleVisibility);
  $('open-integrations').addEventListener('click', onOpenIntegrations);
  $('clear').addEventListener('click', () => {
    $('clear-box').hidden = false;
    $('clear-cancel').focus();
  });
  $('clear-cancel').addEventListener('click', () => {
    $('clear-box').hidden = true;
    $('clear').focus();
  });
  $('clear-confirm').addEventListener('click', onClearConfirm);
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    if (!$('clear-box').hidden) {
      $('clear-box').hidden = true;
      $('clear').focus();
      e.preventDefault();
    } else if (!$('settings').hidden) {
      closeSettings();
      e.preventDefault();
    }
  });
}

// ---- Composing and jobs ------------------------------------------------------

async function fillTemplates() {
  const { templates = [] } = await ext.storage.local.get('templates');
  const options = [new Option('No template', '')];
  [...BUILTIN_TEMPLATES, ...templates].forEach((t, i) => options.push(new Option(t.name, String(i))));
  $('template').replaceChildren(...options);
  $('template').templates = [...BUILTIN_TEMPLATES, ...templates];
}

function onTemplate() {
  const t = $('template').templates[Number($('template').value)];
  if (t) {
    $('prompt').value = t.prompt;
    $('prompt').focus();
    $('prompt').setSelectionRange(t.prompt.length, t.prompt.length);
  }
}

async function onSaveTemplate() {
  const prompt = $('prompt').value.trim();
  if (!prompt) {
    announce('Write a prompt first, then save it as a template.');
    return;
  }
  const { templates = [] } = await ext.storage.local.get('templates');
  const name = prompt.length > 40 ? `${prompt.slice(0, 39)}…` : prompt;
  templates.push({ name, prompt });
  await ext.storage.local.set({ templates });
  await fillTemplates();
  announce('Template saved.');
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

async function onGenerate() {
  const prompt = $('prompt').value.trim();
  if (!prompt) {
    announce('Write what Visen should write first.');
    $('prompt').focus();
    return;
  }
  busy($('generate'), async () => {
    let after = '';
    if ($('insert-cursor').checked) {
      after = await cursorBlock();
      announce(after ? 'Writing after the block with the cursor.' : 'No cursor in the page: writing at the end.');
    }
    const reply = await send(MSG.GENERATE, { target, prompt, after });
    if (!reply.ok) {
      announce(reply.error.message);
      return;
    }
    $('prompt').value = '';
    showJob({ id: reply.data.jobId, target, prompt, status: 'starting', markdown: '', blocks: 0, requests: 0 });
  });
}

const STATUS_TEXT = {
  starting: 'Starting…',
  generating: 'Writing…',
  writing: 'Finishing the page…',
  done: 'Done.',
  cancelled: 'Stopped.',
  failed: 'It did not finish.',
};

function showJob(job) {
  if (job.kind === 'fill') {
    shownJob = null;
    db.showRun(job);
    return;
  }
  shownJob = job;
  $('compose').hidden = true;
  $('db').hidden = true;
  $('job').hidden = false;
  const runningNow = RUNNING.has(job.status);
  $('job-status').textContent = STATUS_TEXT[job.status] ?? job.status;
  const total = job.snapshot?.batch?.plan?.blocks ?? 0;
  const progress = $('progress');
  progress.hidden = !runningNow;
  if (runningNow && total > 0) {
    progress.max = job.blocks + total;
    progress.value = job.blocks;
  } else {
    progress.removeAttribute('value');
  }
  $('progress-text').textContent = `${job.blocks} block${job.blocks === 1 ? '' : 's'} written in ${job.requests} request${job.requests === 1 ? '' : 's'}.`;
  // The renderer escapes everything it does not produce itself.
  const doc = new DOMParser().parseFromString(renderPreview(job.markdown ?? ''), 'text/html');
  $('preview').replaceChildren(...doc.body.childNodes);
  $('preview').scrollTop = $('preview').scrollHeight;
  $('job-error').hidden = !job.error;
  $('job-error').textContent = job.error?.message ?? '';
  $('cancel').hidden = !runningNow;
  $('retry').hidden = job.status !== 'failed' && job.status !== 'cancelled';
  $('copy').hidden = !job.markdown;
  const pageUrl = job.kind === 'newPage' ? job.page?.url : job.target?.url;
  $('open-page').hidden = job.status !== 'done' || !pageUrl;
  $('open-page').href = pageUrl ?? '#';
  $('open-page').textContent = job.kind === 'newPage' ? 'Open the new page' : 'Open the page';
  $('new-prompt').hidden = runningNow;
}

function showCompose() {
  shownJob = null;
  $('job').hidden = true;
  if (target?.kind === 'database') {
    db.show(target);
  } else {
    $('compose').hidden = false;
  }
}

async function showLatestJob() {
  const job = await latestJobFor(target.id);
  if (job && (RUNNING.has(job.status) || (job.finishedAt ?? 0) > Date.now() - 10 * 60_000)) {
    showJob(job);
  } else {
    showCompose();
  }
  await renderHistory();
}

// The background says when it could not save the history; the job goes on.
async function showHistoryError() {
  const reply = await send(MSG.HEALTH, {});
  const text = reply.ok ? reply.data.historyError : null;
  $('history-error').textContent = text ?? '';
  $('history-error').hidden = !text;
}

async function renderHistory() {
  const jobs = await loadJobs();
  $('history').hidden = jobs.length === 0;
  $('history-list').replaceChildren(
    ...jobs.map((job) => {
      const li = document.createElement('li');
      const what = { fill: ' · fill rows', newPage: ' · new page' }[job.kind] ?? '';
      const title = Object.assign(document.createElement('span'), { className: 'title', textContent: (job.target?.title || 'Untitled') + what });
      const prompt = Object.assign(document.createElement('span'), { textContent: job.prompt.length > 80 ? `${job.prompt.slice(0, 79)}…` : job.prompt });
      const meta = Object.assign(document.createElement('span'), {
        className: 'meta',
        textContent: `${historyStatus(job)} · ${new Date(job.createdAt).toLocaleString()}`,
      });
      const actions = Object.assign(document.createElement('div'), { className: 'actions' });
      if (job.status === 'failed' || job.status === 'cancelled') {
        const resume = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary', textContent: 'Resume' });
        resume.setAttribute('aria-label', `Resume “${job.prompt.slice(0, 40)}”`);
        resume.addEventListener('click', () => retry(job.id));
        actions.append(resume);
      }
      if (!RUNNING.has(job.status)) {
        const del = Object.assign(document.createElement('button'), { type: 'button', className: 'secondary', textContent: 'Delete' });
        del.setAttribute('aria-label', `Delete “${job.prompt.slice(0, 40)}” from history`);
        del.addEventListener('click', async () => {
          await deleteJob(job.id);
          if (shownJob?.id === job.id) showCompose();
          await renderHistory();
        });
        actions.append(del);
      }
      li.append(title, prompt, meta, actions);
      return li;
    }),
  );
}

function historyStatus(job) {
  const text = STATUS_TEXT[job.status] ?? job.status;
  if (job.kind !== 'fill') return text;
  const rows = job.run?.rows ?? [];
  const written = rows.filter((r) => r.status === 'written').length;
  return `${text} ${written} of ${rows.length} rows written`;
}

async function retry(jobId) {
  const reply = await send(MSG.RETRY, { jobId });
  if (!reply.ok) announce(reply.error.message);
}

function onStorageChanged(changes, area) {
  const jobs = area === 'local' && changedJobs(changes);
  if (!jobs) return;
  showHistoryError();
  const shownId = shownJob?.id ?? db.shownRunId();
  const current = shownId && jobs.find((j) => j.id === shownId);
  if (current) {
    showJob(current);
  } else if (!shownId && target) {
    const mine = jobs.find((j) => j.target?.id === target.id && RUNNING.has(j.status));
    if (mine) showJob(mine);
  }
  renderHistory();
}

function wireCompose() {
  $('template').addEventListener('change', onTemplate);
  $('save-template').addEventListener('click', onSaveTemplate);
  $('generate').addEventListener('click', onGenerate);
  $('prompt').addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onGenerate();
    }
  });
  $('cancel').addEventListener('click', () => shownJob && send(MSG.CANCEL, { jobId: shownJob.id }));
  $('retry').addEventListener('click', () => shownJob && retry(shownJob.id));
  $('copy').addEventListener('click', async () => {
    await navigator.clipboard.writeText(shownJob?.markdown ?? '');
    announce('Markdown copied.');
  });
  $('new-prompt').addEventListener('click', showCompose);
  ext.storage.onChanged.addListener(onStorageChanged);
}

async function main() {
  fillProviders();
  wire();
  wireCompose();
  fillTemplates();
  showHistoryError();
  settings = await loadSettings();
  writeForm(settings);
  performance.mark('visen:interactive');
  await inspect();
}

main();
