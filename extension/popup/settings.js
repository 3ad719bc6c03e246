// Settings as a one-screen welcome, then two steps: Notion, then the AI.
// The Notion token is checked the moment it is pasted, and a finished step
// collapses to one line with Change. Each problem is said once, beside its
// field. The form is kept as a draft in storage.local on every keystroke
// (so closing the popup or following a help link loses nothing), and Save
// saves, then tests the connection by itself.
//
// The element ids the browser tests rely on are listed in ids.js.

import { ext } from '../shared/ext.js';
import { MSG } from '../shared/messages.js';
import { PROVIDERS, effectiveBaseUrl, permissionsFor, providerName } from '../shared/providers.js';
import { DEFAULTS, cleanToken, clearSettings, loadSettings, notionTokenProblem, saveSettings, validate } from '../shared/storage.js';
import { S } from './strings.js';
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
const AI_FIELDS = ['provider', 'apiKey', 'model', 'baseUrl'];
const DRAFT = 'settingsDraft';
const CHECK = 'connectionCheck';

/**
 * Wires the settings view. `send` messages the background; `onClose(saved)`
 * returns to the home view.
 */
export function settingsView({ send, onClose }) {
  let saved = { ...DEFAULTS };
  let lastProvider = saved.provider;
  let models = [];
  let modelsFor = '';
  // What Notion and the AI said of the values they were last checked with,
  // each side under a fingerprint of those values.
  let check = { notion: null, ai: null };
  // Steps opened again with Change, which stay open while they are edited.
  const expanded = { notion: false, ai: false };
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
      const a = h('a', { href: preset.keyUrl, target: '_blank', rel: 'noopener', textContent: S.settings.getKey(preset.label) });
      a.addEventListener('click', openOutside);
      hint.append(a);
    } else if (id === 'ollama') {
      hint.textContent = S.settings.ollamaKey;
    } else {
      hint.textContent = S.settings.customKey;
    }
    $('base-url').placeholder = preset.baseUrl || 'https://example.com/v1';
    $('base-url-hint').textContent = id === 'custom'
      ? S.settings.customBaseUrl
      : S.settings.ownBaseUrl;
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

  // A problem takes the place of its field's hint: one sentence at a time
  // beside a field.
  // `checked` marks what Notion or the provider said of the field's value,
  // which only a change to that field itself clears.
  function showError(id, message, checked = false) {
    const el = $(`${id}-error`);
    el.textContent = message;
    el.hidden = !message;
    el.dataset.checked = String(Boolean(message) && checked);
    // The API key's hint stays: it is the link to a new key.
    const hint = id === 'api-key' ? null : $(id === 'model' ? 'model-count' : `${id}-hint`);
    if (hint) hint.hidden = Boolean(message);
    if (message) $(id).setAttribute('aria-invalid', 'true');
    else $(id).removeAttribute('aria-invalid');
  }

  const errorShown = (key) => !$(`${FIELDS[key]}-error`).hidden;

  // Shows each problem beside its field, opening what hides the field, and
  // puts the focus on the first once it is shown.
  async function showErrors(errors, { checked = false } = {}) {
    let first = null;
    for (const [key, id] of Object.entries(FIELDS)) {
      showError(id, errors[key] ?? '', checked);
      if (errors[key]) first ??= key;
    }
    if (errors.notionSecret) expanded.notion = true;
    if (AI_FIELDS.some((k) => errors[k])) expanded.ai = true;
    if (first && ADVANCED.has(first)) $('advanced').open = true;
    await renderSteps();
    if (first) $(FIELDS[first]).focus();
  }

  // A message shown beside a field clears the moment the field is right;
  // a new one appears once the person leaves a field that is wrong.
  function recheck(key, { leaving = false } = {}) {
    const id = FIELDS[key];
    const errors = validate(readForm());
    if (!errors[key]) showError(id, '');
    else if (errorShown(key) || (leaving && $(id).value.trim() !== '')) showError(id, errors[key]);
    // Fields whose rule depends on this one are looked at again too.
    for (const [other, otherId] of Object.entries(FIELDS)) {
      if (other !== key && errorShown(other) && !errors[other] && $(`${otherId}-error`).dataset.checked !== 'true') showError(otherId, '');
    }
    renderSteps();
  }

  // ---- The Notion token, checked as soon as it is whole -----------------------

  let checkSeq = 0;

  // A paste is taken whole: what came with the token (quotes, spaces, an
  // "Authorization: Bearer") goes, and the token is checked at once. A
  // token typed by hand is checked when the person leaves the field, never
  // half-typed.
  function onTokenPaste() {
    setTimeout(() => {
      const input = $('notion-secret');
      const token = cleanToken(input.value);
      if (token !== input.value) {
        input.value = token;
        keepDraft();
      }
      recheck('notionSecret', { leaving: true });
      if (!notionTokenProblem(token)) checkToken(token);
    });
  }

  function onTokenChange() {
    const token = cleanToken($('notion-secret').value);
    if (token && !notionTokenProblem(token)) checkToken(token);
  }

  async function checkToken(token) {
    const seq = ++checkSeq;
    const reply = await send(MSG.CHECK_NOTION, { settings: { ...readForm(), notionSecret: token } });
    if (seq !== checkSeq || cleanToken($('notion-secret').value) !== token) return;
    const notion = reply.ok ? reply.data : { ok: false, error: reply.error };
    await remember('notion', await fingerprint(token), notion.ok
      ? { ok: true, kind: notion.kind, name: notion.botName, workspace: notion.workspaceName }
      : { ok: false });
    if (!notion.ok) {
      showError('notion-secret', notion.error.message, true);
      renderSteps();
      return;
    }
    showError('notion-secret', '');
    // The step folds away only under a person still in it; one who has
    // moved on keeps what is under the pointer where it is.
    const stillHere = $('step-notion').contains(document.activeElement) || document.activeElement === document.body;
    if (stillHere) expanded.notion = false;
    await renderSteps();
    if (stillHere) nextField();
  }

  // Focus goes to what is left to do: the AI key, or Save.
  function nextField() {
    if ($('step-ai-body').hidden) $('save').focus();
    else if (PROVIDERS[$('provider').value]?.keyRequired && !$('api-key').value.trim()) $('api-key').focus();
    else $('save').focus();
  }

  // ---- Steps -------------------------------------------------------------------

  async function fingerprint(...parts) {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(parts.join('\n')));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }

  const notionPrint = (values) => fingerprint(cleanToken(values.notionSecret));
  const aiPrint = (values) => fingerprint(effectiveBaseUrl(values), cleanToken(values.apiKey));

  async function remember(side, print, result) {
    check = { ...check, [side]: { print, ...result } };
    await ext.storage.local.set({ [CHECK]: check });
  }

  // What the last check says of the form's values, per side, or null when
  // the values changed since.
  async function current(values) {
    const [n, a] = await Promise.all([notionPrint(values), aiPrint(values)]);
    return {
      notion: check.notion?.print === n ? check.notion : null,
      ai: check.ai?.print === a ? check.ai : null,
    };
  }

  function who(notion) {
    if (notion.kind === 'personal') return S.settings.personal(notion.name);
    return notion.workspace ? S.settings.inWorkspace(notion.name, notion.workspace.replace(/\.+$/, '')) : notion.name;
  }

  // A step is done when its values passed the check; a done step is one
  // line unless the person opened it with Change.
  function setStep(id, side, state, summary) {
    const step = $(id);
    step.dataset.state = state;
    const collapsed = state === 'done' && !expanded[side];
    step.dataset.collapsed = String(collapsed);
    const mark = step.querySelector('.step-mark');
    mark.textContent = state === 'done' ? '✓' : state === 'attention' ? '!' : mark.dataset.n;
    $(`${id}-summary`).textContent = summary ? `: ${summary}` : '';
    $(`${id}-summary`).hidden = !collapsed;
    $(`change-${side}`).hidden = !collapsed;
    $(`${id}-body`).hidden = collapsed;
  }

  let stepSeq = 0;
  async function renderSteps() {
    const seq = ++stepSeq;
    const values = readForm();
    const errors = validate(values);
    const now = await current(values);
    if (seq !== stepSeq) return;

    if (errorShown('notionSecret')) setStep('step-notion', 'notion', 'attention');
    else if (now.notion?.ok && !errors.notionSecret) setStep('step-notion', 'notion', 'done', who(now.notion));
    else setStep('step-notion', 'notion', 'todo');

    if (AI_FIELDS.some(errorShown)) setStep('step-ai', 'ai', 'attention');
    else if (now.ai?.ok && !AI_FIELDS.some((k) => errors[k])) setStep('step-ai', 'ai', 'done', `${providerName(values)} · ${values.model.trim()}`);
    else setStep('step-ai', 'ai', 'todo');
  }

  function change(side) {
    expanded[side] = true;
    renderSteps().then(() => $(side === 'notion' ? 'notion-secret' : 'provider').focus());
  }

  // ---- Models ----------------------------------------------------------------

  const modelSource = () => `${$('provider').value}|${effectiveBaseUrl(readForm())}`;

  function describeModels() {
    const name = providerName(readForm());
    $('model-count').textContent = models.length
      ? S.settings.models(models.length, name)
      : S.settings.noModels;
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
    // The key goes only where Save would send it: the address is held to
    // the same rules first.
    const urlProblem = validate(values).baseUrl;
    if (urlProblem) {
      showErrors({ baseUrl: urlProblem });
      return;
    }
    const allowed = requestHostPermission(values);
    busy($('load-models'), async () => {
      showError('model', '');
      if (!(await allowed)) {
        showError('model', S.settings.allowFirst(hostOf(values)));
        return;
      }
      $('model-count').textContent = S.settings.loadingModels(providerName(values));
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

  // Asks for the optional permissions a custom or local provider needs: its
  // host, and for a local Ollama the rule that lets it answer without a
  // restart. Browsers grant them only inside the user's click, so it is
  // called before anything is awaited; it resolves to whether the host may
  // be reached.
  function requestHostPermission(values) {
    const wanted = permissionsFor(values, ext.runtime.getManifest().optional_permissions ?? []);
    if (!wanted.origins.length && !wanted.permissions.length) return Promise.resolve(true);
    return ext.permissions.request(wanted).catch(() => false);
  }

  function hostOf(values) {
    try {
      return new URL(effectiveBaseUrl(values)).host;
    } catch {
      return S.settings.thatAddress;
    }
  }

  function status(text) {
    $('settings-status').textContent = text;
  }

  // Which setting an AI failure belongs beside: the model, the address
  // that could not be reached (the provider's own, or the base URL), or
  // the key.
  function aiField(code) {
    if (code === 'ai_model_not_found') return 'model';
    if (code === 'ai_network' || code === 'ai_origin_refused') {
      return $('provider').value === 'custom' || $('base-url').value.trim() ? 'baseUrl' : 'provider';
    }
    return 'apiKey';
  }

  // Tests Notion and the AI with the saved values, remembers the result
  // for the steps, puts each failure beside its field, and resolves to
  // whether both work.
  async function runTest(values) {
    status(S.settings.checking(providerName(values)));
    const reply = await send(MSG.TEST_CONNECTION, { settings: values });
    status('');
    if (!reply.ok) {
      showErrors({ notionSecret: reply.error.message });
      return false;
    }
    const { notion, ai } = reply.data;
    const [n, a] = await Promise.all([notionPrint(values), aiPrint(values)]);
    await remember('notion', n, notion.ok ? { ok: true, kind: notion.kind, name: notion.botName, workspace: notion.workspaceName } : { ok: false });
    await remember('ai', a, ai.ok ? { ok: true, modelCount: ai.modelCount } : { ok: false });
    if (notion.ok) {
      // The kind is kept with the settings, for what Visen says later.
      const stored = await saveSettings({ ...values, notionKind: notion.kind });
      if (stored.ok) saved = stored.settings;
    }
    const errors = {};
    if (!notion.ok) errors.notionSecret = notion.error.message;
    if (!ai.ok) errors[aiField(ai.error.code)] = ai.error.message;
    if (!notion.ok || !ai.ok) {
      await showErrors(errors, { checked: true });
      return false;
    }
    expanded.notion = false;
    expanded.ai = false;
    await renderSteps();
    return true;
  }

  function onSave(event) {
    event.preventDefault();
    const values = readForm();
    const errors = validate(values);
    if (Object.keys(errors).length > 0) {
      showErrors(errors);
      return;
    }
    const allowed = requestHostPermission(values);
    // Saved at once, not after the permission answer: Firefox may close the
    // popup when it shows its permission prompt, and the settings must not
    // be lost with it.
    const stored = notionPrint(values).then((print) => saveSettings({ ...values, notionKind: check.notion?.print === print && check.notion.ok ? check.notion.kind : '' }));
    busy($('save'), async () => {
      const result = await stored;
      if (!result.ok) {
        showErrors(result.errors);
        return;
      }
      saved = result.settings;
      await ext.storage.local.remove(DRAFT);
      if (!(await allowed)) {
        showErrors({ baseUrl: S.settings.allowAfterSave(hostOf(values)) });
        return;
      }
      if (await runTest(values)) leave(true);
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
    check = { notion: null, ai: null };
    models = [];
    writeForm(saved);
    $('clear-box').hidden = true;
    status(S.settings.cleared);
    await renderSteps();
    $('notion-secret').focus();
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
    button.setAttribute('aria-label', S.settings.toggle(show, button.id === 'toggle-secret'));
  }

  // ---- Opening and closing ---------------------------------------------------------

  // The welcome is the first thing a person sees, once: before anything is
  // saved or typed.
  function showWelcome(on) {
    $('welcome').hidden = !on;
    $('settings-form').hidden = on;
    $('welcome-start').hidden = !on;
    $('save').hidden = on;
  }

  /**
   * Opens Settings. `problems` are what Visen met with the saved settings
   * since they were checked ({notionSecret: 'Notion did not accept…'}),
   * shown beside their fields with the step open.
   */
  async function open({ focus = true, problems = null } = {}) {
    saved = await loadSettings();
    const got = await ext.storage.local.get([DRAFT, CHECK]);
    check = { notion: null, ai: null, ...(got[CHECK] ?? {}) };
    expanded.notion = false;
    expanded.ai = false;
    writeForm({ ...saved, ...(got[DRAFT]?.values ?? {}) });
    status(got[DRAFT] ? S.settings.draftKept : '');
    $('clear-box').hidden = true;
    $('home').hidden = true;
    $('settings').hidden = false;
    const firstTime = !validateSaved();
    $('settings-heading').textContent = firstTime ? S.home.setUp : S.home.settings;
    await renderSteps();
    showWelcome(firstTime && !got[DRAFT]);
    if (problems) {
      await showErrors(problems, { checked: true });
      return;
    }
    if (!focus) return;
    if (!$('welcome').hidden) {
      $('welcome-start').focus();
      return;
    }
    focusFirstToDo();
  }

  function focusFirstToDo() {
    const errors = validate(readForm());
    const first = Object.keys(FIELDS).find((k) => errors[k] && !ADVANCED.has(k) && !$(FIELDS[k]).closest('[hidden]'));
    if (first) $(FIELDS[first]).focus();
    else if (!$('step-notion-body').hidden) $('notion-secret').focus();
    else $('save').focus();
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
    $('notion-secret').addEventListener('paste', onTokenPaste);
    $('notion-secret').addEventListener('change', onTokenChange);
    $('model').addEventListener('input', () => openModels({ search: true }));
    $('model').addEventListener('keydown', onModelKey);
    $('model').addEventListener('blur', closeModels);
    $('settings-form').addEventListener('submit', onSave);
    $('welcome-start').addEventListener('click', () => {
      showWelcome(false);
      focusFirstToDo();
    });
    $('change-notion').addEventListener('click', () => change('notion'));
    $('change-ai').addEventListener('click', () => change('ai'));
    $('load-models').addEventListener('click', onLoadModels);
    $('toggle-secret').addEventListener('click', onToggleVisibility);
    $('toggle-key').addEventListener('click', onToggleVisibility);
    $('open-tokens').addEventListener('click', openOutside);
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
  return { open, close, wasLeftOpen };
}
