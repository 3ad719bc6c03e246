// Settings as three guided steps: connect Notion, choose the AI, connect
// this page. Each step shows its state. Fields are checked as the person
// types, the form is kept as a draft in storage.local on every keystroke
// (so closing the popup or following a help link loses nothing), and Save
// tests the connection by itself, with the result beside the button.
//
// Element ids the browser tests rely on: #settings, #notion-secret,
// #toggle-secret, #open-integrations, #provider, #api-key, #toggle-key,
// #model, #model-list (li[role=option]), #model-count, #load-models,
// #base-url, #temperature, #max-tokens, #concurrency, #instructions, #save,
// #test-connection, #test-result, #clear, #clear-confirm, #clear-cancel,
// #back, #step-notion, #step-ai, #step-page (each with data-state), and
// #<field>-error beside each field.

import { ext } from '../shared/ext.js';
import { MSG } from '../shared/messages.js';
import { PROVIDERS, effectiveBaseUrl, optionalOriginFor, providerName } from '../shared/providers.js';
import { DEFAULTS, clearSettings, loadSettings, saveSettings, validate } from '../shared/storage.js';
import { $, busy, h } from './ui.js';

// Form fields by settings key.
const FIELDS = {
  notionSecret: 'notion-secret',
  provider: 'provider',
  apiKey: 'api-key',
  model: 'model',
  baseUrl: 'base-url',
  temperature: 'temperature',
  maxTokens: 'max-tokens',
  concurrency: 'concurrency',
  instructions: 'instructions',
};
const ADVANCED = new Set(['baseUrl', 'temperature', 'maxTokens', 'concurrency', 'instructions']);
const DRAFT = 'settingsDraft';
const CHECK = 'connectionCheck';

/**
 * Wires the settings view. `send` messages the background; `onClose(saved)`
 * returns to the home view; `pageState()` says whether the current tab's
 * page is connected.
 */
export function settingsView({ send, onClose, pageState }) {
  let saved = { ...DEFAULTS };
  let lastProvider = saved.provider;
  let models = [];
  let modelsFor = '';
  let check = null;
  let pointerDown = false;

  // ---- The form ------------------------------------------------------------

  function readForm() {
    const values = {};
    for (const [key, id] of Object.entries(FIELDS)) values[key] = $(id).value;
    return values;
  }

  function writeForm(s) {
    for (const [key, id] of Object.entries(FIELDS)) $(id).value = s[key] ?? '';
    if (!Number(s.maxTokens)) $('max-tokens').value = '';
    lastProvider = $('provider').value;
    for (const id of Object.values(FIELDS)) showError(id, '');
    applyProvider();
  }

  function keepDraft(open = true) {
    return ext.storage.local.set({ [DRAFT]: { values: readForm(), open } });
  }

  // Shows what applies to the chosen provider: its key link and whether a
  // key or a base URL is needed.
  function applyProvider() {
    const id = $('provider').value;
    const preset = PROVIDERS[id] ?? PROVIDERS.openai;
    const hint = $('api-key-hint');
    hint.replaceChildren();
    if (preset.keyUrl) {
      const a = h('a', { href: preset.keyUrl, target: '_blank', rel: 'noopener', textContent: `Get your ${preset.label} API key` });
      a.addEventListener('click', openOutside);
      hint.append(a);
    } else if (id === 'ollama') {
      hint.textContent = 'Ollama needs no key. Start it with OLLAMA_ORIGINS set to allow browser extensions.';
    } else {
      hint.textContent = 'Only if your server asks for one.';
    }
    $('base-url').placeholder = preset.baseUrl || 'https://example.com/v1';
    $('base-url-hint').textContent = id === 'custom'
      ? 'Required: your server’s OpenAI-compatible address, usually ending in /v1.'
      : 'Leave empty to use the provider’s own address.';
    if (id === 'custom') $('advanced').open = true;
    if (modelsFor !== modelSource()) {
      models = [];
      closeModels();
    }
    describeModels();
  }

  function onProviderChange() {
    const next = $('provider').value;
    const model = $('model');
    // A model typed by the person stays; a default follows the provider.
    if (model.value === '' || model.value === PROVIDERS[lastProvider]?.defaultModel) {
      model.value = PROVIDERS[next].defaultModel;
    }
    lastProvider = next;
    applyProvider();
  }

  // ---- Checking as the person types ------------------------------------------

  function showError(id, message) {
    const el = $(`${id}-error`);
    el.textContent = message;
    el.hidden = !message;
    if (message) $(id).setAttribute('aria-invalid', 'true');
    else $(id).removeAttribute('aria-invalid');
  }

  function showErrors(errors) {
    let first = null;
    for (const [key, id] of Object.entries(FIELDS)) {
      showError(id, errors[key] ?? '');
      if (errors[key]) first ??= key;
    }
    if (first && ADVANCED.has(first)) $('advanced').open = true;
    if (first) $(FIELDS[first]).focus();
    renderSteps();
  }

  // A message shown beside a field clears the moment the field is right;
  // a new one appears once the person leaves a field that is wrong.
  function recheck(key, { leaving = false } = {}) {
    const id = FIELDS[key];
    const errors = validate(readForm());
    const shown = !$(`${id}-error`).hidden;
    if (!errors[key]) showError(id, '');
    else if (shown || (leaving && $(id).value.trim() !== '')) showError(id, errors[key]);
    // Fields whose rule depends on this one are looked at again too.
    for (const [other, otherId] of Object.entries(FIELDS)) {
      if (other !== key && !$(`${otherId}-error`).hidden && !errors[other]) showError(otherId, '');
    }
    renderSteps();
  }

  // ---- Steps -------------------------------------------------------------------

  async function fingerprint(values) {
    const text = [values.notionSecret.trim(), effectiveBaseUrl(values), values.apiKey.trim()].join('\n');
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  function setStep(id, state, text) {
    $(id).dataset.state = state;
    $(`${id}-state`).textContent = text;
    $(id).querySelector('.step-mark').textContent = state === 'done' ? '✓' : state === 'attention' ? '!' : $(id).querySelector('.step-mark').dataset.n;
  }

  let stepSeq = 0;
  async function renderSteps() {
    const seq = ++stepSeq;
    const values = readForm();
    const errors = validate(values);
    const current = check && check.fingerprint === (await fingerprint(values)) ? check : null;
    if (seq !== stepSeq) return;
    const name = providerName(values);

    if (!$('notion-secret-error').hidden) setStep('step-notion', 'attention', 'The secret needs fixing.');
    else if (current?.notion?.ok) setStep('step-notion', 'done', `Connected as ${current.notion.botName} in ${current.notion.workspaceName.replace(/\.+$/, '')}.`);
    else if (current?.notion) setStep('step-notion', 'attention', current.notion.message);
    else if (!errors.notionSecret) setStep('step-notion', 'todo', 'Save to check the connection.');
    else setStep('step-notion', 'todo', 'Paste the secret of a Notion internal integration.');

    const aiFields = ['provider', 'apiKey', 'model', 'baseUrl'];
    if (aiFields.some((k) => !$(`${FIELDS[k]}-error`).hidden)) setStep('step-ai', 'attention', 'A field below needs fixing.');
    else if (current?.ai?.ok) setStep('step-ai', 'done', `${name} answers with this key · ${current.ai.modelCount} models.`);
    else if (current?.ai) setStep('step-ai', 'attention', current.ai.message);
    else if (!aiFields.some((k) => errors[k])) setStep('step-ai', 'todo', 'Save to check the key.');
    else setStep('step-ai', 'todo', `Pick a provider and paste its key.`);

    const page = pageState();
    $('step-page-steps').hidden = true;
    if (page.state === 'connected') {
      setStep('step-page', 'done', `“${page.title}” is connected.`);
    } else if (page.state === 'not_connected') {
      setStep('step-page', 'attention', `In Notion, connect “${page.title || 'this page'}” to your integration:`);
      $('step-page-steps').replaceChildren(...page.steps.map((s) => h('li', { textContent: s })));
      $('step-page-steps').hidden = false;
    } else if (page.state === 'no_tab') {
      setStep('step-page', 'todo', 'Open a Notion page or database, then click Visen. It will say whether the page is connected.');
    } else {
      setStep('step-page', 'todo', page.message || 'Once Notion is connected, Visen checks this tab’s page.');
    }
  }

  // ---- Models ----------------------------------------------------------------

  const modelSource = () => `${$('provider').value}|${effectiveBaseUrl(readForm())}`;

  function describeModels() {
    const name = providerName(readForm());
    $('model-count').textContent = models.length
      ? `${models.length} models from ${name}. Type to search.`
      : `Type a model name, or load the list from ${name}.`;
  }

  // The whole list shows when it opens; typing narrows it.
  function renderModels(search) {
    const list = $('model-list');
    const q = search ? $('model').value.trim().toLowerCase() : '';
    const shown = models.filter((m) => m.toLowerCase().includes(q));
    const match = shown.length ? shown : models;
    list.replaceChildren(...match.slice(0, 200).map((m, i) => {
      const li = h('li', { id: `model-option-${i}`, textContent: m });
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(m === $('model').value));
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        chooseModel(m);
      });
      return li;
    }));
  }

  function openModels({ search = false } = {}) {
    if (!models.length) return;
    renderModels(search);
    $('model-list').hidden = false;
    $('model').setAttribute('aria-expanded', 'true');
  }

  function closeModels() {
    $('model-list').hidden = true;
    $('model').setAttribute('aria-expanded', 'false');
    $('model').removeAttribute('aria-activedescendant');
  }

  function chooseModel(m) {
    $('model').value = m;
    closeModels();
    keepDraft();
    recheck('model');
  }

  function moveActive(step) {
    const options = [...$('model-list').querySelectorAll('[role=option]')];
    if (!options.length) return;
    const at = options.findIndex((o) => o.id === $('model').getAttribute('aria-activedescendant'));
    const next = options[Math.min(Math.max(at + step, 0), options.length - 1)];
    options.forEach((o) => o.setAttribute('aria-selected', String(o === next)));
    $('model').setAttribute('aria-activedescendant', next.id);
    next.scrollIntoView({ block: 'nearest' });
  }

  function onModelKey(e) {
    const open = !$('model-list').hidden;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open) openModels();
      else moveActive(1);
    } else if (e.key === 'ArrowUp' && open) {
      e.preventDefault();
      moveActive(-1);
    } else if (e.key === 'Enter' && open) {
      const active = $('model').getAttribute('aria-activedescendant');
      if (active) {
        e.preventDefault();
        chooseModel($(active).textContent);
      }
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      closeModels();
    }
  }

  function onLoadModels() {
    const values = readForm();
    const allowed = requestHostPermission(values);
    busy($('load-models'), async () => {
      showError('model', '');
      if (!(await allowed)) {
        showError('model', `Visen may not reach ${hostOf(values)} until you choose Allow.`);
        return;
      }
      $('model-count').textContent = `Loading models from ${providerName(values)}…`;
      const reply = await send(MSG.LIST_MODELS, { settings: values });
      if (!reply.ok) {
        describeModels();
        showError('model', reply.error.message);
        renderSteps();
        return;
      }
      models = reply.data.models;
      modelsFor = modelSource();
      // The typed model stays; an empty field gets the provider's default,
      // never another provider's model.
      if (!$('model').value.trim()) $('model').value = PROVIDERS[values.provider]?.defaultModel ?? '';
      describeModels();
      $('model').focus();
      openModels();
    });
  }

  // ---- Save, test, clear -----------------------------------------------------------

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

  function showResult(lines) {
    const box = $('test-result');
    box.replaceChildren(...lines.map(([cls, text]) => h('p', { className: cls, textContent: text })));
    box.hidden = lines.length === 0;
  }

  // Tests Notion and the AI with the form's values, remembers the result
  // for the steps, and resolves to whether both work.
  async function runTest(values) {
    showResult([['', 'Checking Notion and the AI…']]);
    const reply = await send(MSG.TEST_CONNECTION, { settings: values });
    if (!reply.ok) {
      showResult([['bad', reply.error.message]]);
      return false;
    }
    const { notion, ai } = reply.data;
    const name = providerName(values);
    check = {
      fingerprint: await fingerprint(values),
      notion: notion.ok ? { ok: true, botName: notion.botName, workspaceName: notion.workspaceName } : { ok: false, message: notion.error.message },
      ai: ai.ok ? { ok: true, modelCount: ai.modelCount } : { ok: false, message: ai.error.message },
    };
    await ext.storage.local.set({ [CHECK]: check });
    showResult([
      notion.ok
        ? ['ok', `Notion: connected as ${notion.botName} in ${notion.workspaceName.replace(/\.+$/, '')}.`]
        : ['bad', `Notion: ${notion.error.message}`],
      ai.ok ? ['ok', `${name}: the key works (${ai.modelCount} models).`] : ['bad', `${name}: ${ai.error.message}`],
    ]);
    await renderSteps();
    return notion.ok && ai.ok;
  }

  function onSave(event) {
    event.preventDefault();
    const values = readForm();
    const errors = validate(values);
    if (Object.keys(errors).length > 0) {
      showErrors(errors);
      showResult([['bad', 'Fix the fields marked in red, then save.']]);
      return;
    }
    const allowed = requestHostPermission(values);
    // Saved at once, not after the permission answer: Firefox may close the
    // popup when it shows its permission prompt, and the settings must not
    // be lost with it.
    const stored = saveSettings(values);
    busy($('save'), async () => {
      const result = await stored;
      if (!result.ok) {
        showErrors(result.errors);
        return;
      }
      saved = result.settings;
      await ext.storage.local.remove(DRAFT);
      if (!(await allowed)) {
        showErrors({ baseUrl: `Saved, but Visen may not reach ${hostOf(values)} yet. Save again and choose Allow.` });
        showResult([['bad', `Saved. Visen may not reach ${hostOf(values)} until you choose Allow.`]]);
        return;
      }
      if (await runTest(values)) leave(true);
    });
  }

  function onTestConnection() {
    const values = readForm();
    const allowed = requestHostPermission(values);
    busy($('test-connection'), async () => {
      if (!(await allowed)) {
        showResult([['bad', `${providerName(values)}: Visen may not reach ${hostOf(values)} until you choose Allow.`]]);
        return;
      }
      await runTest(values);
    });
  }

  async function onClearConfirm() {
    await clearSettings();
    // Hosts the user allowed for a custom or local provider go too.
    const manifestHosts = ext.runtime.getManifest().host_permissions ?? [];
    const { origins = [] } = await ext.permissions.getAll();
    const extra = origins.filter((o) => !manifestHosts.includes(o));
    if (extra.length) await ext.permissions.remove({ origins: extra }).catch(() => {});
    saved = { ...DEFAULTS };
    check = null;
    models = [];
    writeForm(saved);
    $('clear-box').hidden = true;
    showResult([['', 'Everything Visen stored is cleared.']]);
    renderSteps();
    $('clear').focus();
  }

  // Help links open in a tab, which closes the popup: the draft is already
  // kept, and is marked open so the popup comes back to Settings.
  function openOutside(event) {
    event.preventDefault();
    const url = event.currentTarget.href;
    keepDraft(true).then(() => ext.tabs.create({ url }));
  }

  function onToggleVisibility(event) {
    const button = event.currentTarget;
    const input = $(button.dataset.toggles);
    const show = input.type === 'password';
    input.type = show ? 'text' : 'password';
    button.setAttribute('aria-pressed', String(show));
    button.setAttribute('aria-label', `${show ? 'Hide' : 'Show'} ${button.id === 'toggle-secret' ? 'secret' : 'API key'}`);
  }

  // ---- Opening and closing ---------------------------------------------------------

  async function open({ focus = true } = {}) {
    saved = await loadSettings();
    const got = await ext.storage.local.get([DRAFT, CHECK]);
    check = got[CHECK] ?? null;
    writeForm({ ...saved, ...(got[DRAFT]?.values ?? {}) });
    showResult(got[DRAFT] ? [['', 'Your unsaved changes are kept. Save when ready.']] : []);
    $('clear-box').hidden = true;
    $('home').hidden = true;
    $('settings').hidden = false;
    $('settings-heading').textContent = validateSaved() ? 'Settings' : 'Set up Visen';
    await renderSteps();
    if (focus) {
      const first = Object.entries(FIELDS).find(([k]) => validate(readForm())[k] && !ADVANCED.has(k));
      $(first ? FIELDS[first[0]] : 'notion-secret').focus();
    }
  }

  function validateSaved() {
    return Object.keys(validate(saved)).length === 0;
  }

  async function close() {
    const draft = (await ext.storage.local.get(DRAFT))[DRAFT];
    // A draft that only repeats what is saved is no draft.
    if (draft && JSON.stringify(normalizeForm(draft.values)) === JSON.stringify(normalizeForm(saved))) {
      await ext.storage.local.remove(DRAFT);
    } else if (draft) {
      await keepDraft(false);
    }
    leave(false);
  }

  function leave(savedNow) {
    closeModels();
    $('settings').hidden = true;
    $('home').hidden = false;
    onClose(savedNow);
  }

  function normalizeForm(values) {
    const out = {};
    for (const key of Object.keys(FIELDS)) out[key] = String(values?.[key] ?? '').trim();
    if (out.maxTokens === '0') out.maxTokens = '';
    return out;
  }

  /** Whether Settings should open by itself: a draft was left open. */
  async function wasLeftOpen() {
    return Boolean((await ext.storage.local.get(DRAFT))[DRAFT]?.open);
  }

  // ---- Wiring ----------------------------------------------------------------------

  function wire() {
    $('provider').replaceChildren(...Object.entries(PROVIDERS).map(([id, p]) => new Option(p.label, id)));
    $('provider').addEventListener('change', onProviderChange);
    for (const [key, id] of Object.entries(FIELDS)) {
      $(id).addEventListener('input', () => {
        keepDraft();
        recheck(key);
      });
      $(id).addEventListener('change', () => {
        keepDraft();
        // A message that appears while the mouse is down moves what the
        // person is clicking; it waits until the click is done.
        if (pointerDown) document.addEventListener('pointerup', () => setTimeout(() => recheck(key, { leaving: true })), { once: true });
        else recheck(key, { leaving: true });
      });
    }
    $('model').addEventListener('input', () => openModels({ search: true }));
    $('model').addEventListener('keydown', onModelKey);
    $('model').addEventListener('blur', closeModels);
    $('settings-form').addEventListener('submit', onSave);
    $('test-connection').addEventListener('click', onTestConnection);
    $('load-models').addEventListener('click', onLoadModels);
    $('toggle-secret').addEventListener('click', onToggleVisibility);
    $('toggle-key').addEventListener('click', onToggleVisibility);
    $('open-integrations').addEventListener('click', openOutside);
    $('back').addEventListener('click', close);
    $('clear').addEventListener('click', () => {
      $('clear-box').hidden = false;
      $('clear-box').scrollIntoView({ block: 'nearest' });
      $('clear-cancel').focus();
    });
    $('clear-cancel').addEventListener('click', () => {
      $('clear-box').hidden = true;
      $('clear').focus();
    });
    $('clear-confirm').addEventListener('click', onClearConfirm);
    document.addEventListener('pointerdown', () => { pointerDown = true; }, true);
    document.addEventListener('pointerup', () => { pointerDown = false; }, true);
    document.querySelectorAll('.step-mark').forEach((m) => { m.dataset.n = m.textContent; });
    document.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape' || $('settings').hidden || e.defaultPrevented) return;
      e.preventDefault();
      if (!$('clear-box').hidden) {
        $('clear-box').hidden = true;
        $('clear').focus();
      } else {
        close();
      }
    });
  }

  wire();
  return { open, close, wasLeftOpen, refreshSteps: renderSteps };
}
