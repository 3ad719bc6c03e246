// The popup on a Notion database: a new page from a prompt, or one prompt
// template run over ticked rows. Row lists come from the background a page
// at a time; the template is checked and previewed by the engine, which
// renders it exactly as the run will. What the user types is kept as a
// draft per database, so closing the popup loses nothing.
//
// Element ids the browser tests rely on: #db, #db-props, #tab-new,
// #tab-fill, #new-page, #np-title, #np-props (controls carry
// data-prop), #np-prompt, #np-generate, #fill, #row-search,
// #row-filter-prop, #row-filter-choice, #row-filter-text, #select-all,
// #rows (li[data-id] with a checkbox), #rows-state, #rows-more,
// #fill-template, #placeholders, #fill-template-error, #fill-preview,
// #out-body, #out-replace, #out-property, #out-property-name, #fill-run.
// A run: #run, #run-status, #run-progress, #run-counts, #run-rows
// (li[data-id][data-status]), #run-error, #run-cancel, #run-resume,
// #run-new.

import { ext } from '../shared/ext.js';
import { MSG } from '../shared/messages.js';
import { RUNNING } from '../shared/jobs.js';

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 25;
// Property types a new page can be given a value for before generating.
const SIMPLE = new Set(['select', 'status', 'date', 'checkbox']);
const FILTERABLE = new Set(['title', 'rich_text', 'url', 'email', 'phone_number', 'select', 'status', 'multi_select', 'checkbox', 'number', 'date']);

const ROW_STATUS = {
  waiting: 'Waiting',
  generating: 'Generating…',
  writing: 'Writing…',
  written: 'Written',
  failed: 'Failed',
  skipped: 'Skipped',
};

/**
 * Wires the database view. `send` messages the background, `announce`
 * speaks a status line, `showJob` shows a generation (a new page streams
 * like a page does), `busy` runs an action with its button busy.
 */
export function databaseView({ send, announce, showJob, busy }) {
  let target = null;
  let rows = [];
  let next = '';
  let query = { search: '', property: '', value: '' };
  const ticked = new Map();
  let shownRun = null;
  let previewTimer = null;
  let searchTimer = null;
  let loadSeq = 0;

  // ---- Drafts ------------------------------------------------------------

  const draftKey = () => `draft:${target.id}`;
  async function loadDraft() {
    const got = await ext.storage.local.get(draftKey());
    return got[draftKey()] ?? {};
  }
  let draftTimer = null;
  function saveDraft() {
    clearTimeout(draftTimer);
    const key = draftKey();
    const draft = { title: $('np-title').value, prompt: $('np-prompt').value, template: $('fill-template').value };
    draftTimer = setTimeout(() => ext.storage.local.set({ [key]: draft }), 200);
  }

  // ---- Showing the database ----------------------------------------------

  async function show(t) {
    target = t;
    rows = [];
    next = '';
    ticked.clear();
    query = { search: '', property: '', value: '' };
    const props = t.properties ?? [];
    const sources = t.dataSources ?? [];
    $('db-source').replaceChildren(...sources.map((d) => new Option(d.name || 'Untitled', d.id, false, d.id === t.dataSourceId)));
    $('db-source').hidden = sources.length < 2;
    $('db-props').replaceChildren(...props.map((p) => {
      const li = document.createElement('li');
      li.append(Object.assign(document.createElement('span'), { className: 'name', textContent: p.name }),
        Object.assign(document.createElement('span'), { className: 'type', textContent: typeName(p.type) }));
      return li;
    }));
    $('db-props-box').querySelector('summary').textContent = `${props.length} properties`;
    renderNewPageProps(props);
    $('placeholders').replaceChildren(...props.map((p) => {
      const b = Object.assign(document.createElement('button'), { type: 'button', className: 'chip', textContent: p.name });
      b.setAttribute('aria-label', `Insert {{${p.name}}}`);
      b.addEventListener('click', () => insertPlaceholder(p.name));
      return b;
    }));
    $('placeholders').parentElement.hidden = props.length === 0;
    const text = props.filter((p) => p.type === 'rich_text');
    $('out-property-name').replaceChildren(...text.map((p) => new Option(p.name, p.name)));
    $('out-property').disabled = text.length === 0;
    $('out-property').parentElement.title = text.length ? '' : 'This database has no text property.';
    $('row-filter-prop').replaceChildren(new Option('All rows', ''),
      ...props.filter((p) => FILTERABLE.has(p.type)).map((p) => new Option(`Where ${p.name}…`, p.name)));
    $('row-search').value = '';
    applyFilterControl();
    const draft = await loadDraft();
    $('np-title').value = draft.title ?? '';
    $('np-prompt').value = draft.prompt ?? '';
    $('fill-template').value = draft.template ?? '';
    applyOutput();
    $('db').hidden = false;
    loadRows(true);
  }

  // Another data source has its own properties and rows: the database is
  // inspected again on it, and shown afresh.
  async function onSourceChange() {
    const reply = await send(MSG.INSPECT_TARGET, {
      url: `https://www.notion.so/${target.id.replaceAll('-', '')}`,
      dataSourceId: $('db-source').value,
    });
    if (!reply.ok) {
      announce(reply.error.message);
      return;
    }
    await show(reply.data);
  }

  function hide() {
    $('db').hidden = true;
    $('run').hidden = true;
    shownRun = null;
  }

  function typeName(type) {
    return type.replace(/_/g, ' ').replace('rich text', 'text');
  }

  function renderNewPageProps(props) {
    const box = $('np-props');
    box.replaceChildren(...props.filter((p) => SIMPLE.has(p.type)).map((p) => {
      const field = Object.assign(document.createElement('div'), { className: p.type === 'checkbox' ? 'field check' : 'field' });
      const id = `np-prop-${p.id.replace(/[^a-z0-9]/gi, '_')}`;
      let control;
      if (p.type === 'checkbox') {
        control = Object.assign(document.createElement('input'), { type: 'checkbox', id });
      } else if (p.type === 'date') {
        control = Object.assign(document.createElement('input'), { type: 'date', id });
      } else {
        control = document.createElement('select');
        control.id = id;
        control.append(new Option('—', ''), ...(p.options ?? []).map((o) => new Option(o, o)));
      }
      control.dataset.prop = p.name;
      control.dataset.type = p.type;
      const label = Object.assign(document.createElement('label'), { htmlFor: id, textContent: p.name });
      if (p.type === 'checkbox') field.append(control, ' ', label);
      else field.append(label, control);
      return field;
    }));
  }

  function newPageValues() {
    const values = {};
    for (const el of $('np-props').querySelectorAll('[data-prop]')) {
      if (el.dataset.type === 'checkbox') {
        if (el.checked) values[el.dataset.prop] = 'true';
      } else if (el.value) {
        values[el.dataset.prop] = el.value;
      }
    }
    return values;
  }

  function selectTab(name) {
    const fill = name === 'fill';
    $('tab-new').setAttribute('aria-selected', String(!fill));
    $('tab-fill').setAttribute('aria-selected', String(fill));
    $('tab-new').tabIndex = fill ? -1 : 0;
    $('tab-fill').tabIndex = fill ? 0 : -1;
    $('new-page').hidden = fill;
    $('fill').hidden = !fill;
  }

  // ---- New page ------------------------------------------------------------

  function onNewGenerate() {
    const prompt = $('np-prompt').value.trim();
    if (!prompt) {
      announce('Write what the new page should say first.');
      $('np-prompt').focus();
      return;
    }
    busy($('np-generate'), async () => {
      const newPage = { title: $('np-title').value.trim(), values: newPageValues() };
      const reply = await send(MSG.GENERATE, { target, prompt, newPage });
      if (!reply.ok) {
        announce(reply.error.message);
        return;
      }
      $('np-prompt').value = '';
      $('np-title').value = '';
      saveDraft();
      $('db').hidden = true;
      showJob({ id: reply.data.jobId, kind: 'newPage', target, prompt, status: 'starting', markdown: '', blocks: 0, requests: 0 });
    });
  }

  // ---- Rows ------------------------------------------------------------------

  async function loadRows(reset) {
    const seq = ++loadSeq;
    if (reset) {
      rows = [];
      next = '';
      $('rows').replaceChildren();
    }
    $('rows-state').textContent = 'Loading rows…';
    $('rows-more').hidden = true;
    const reply = await send(MSG.QUERY_ROWS, { target, query: { ...query, cursor: next, pageSize: PAGE_SIZE } });
    if (seq !== loadSeq) return false;
    if (!reply.ok) {
      $('rows-state').textContent = reply.error.message;
      return false;
    }
    rows.push(...reply.data.rows);
    next = reply.data.next ?? '';
    renderRows();
    return true;
  }

  // Loads every row the search and filter match, for Select all.
  async function loadAll() {
    while (next) {
      if (!(await loadRows(false))) return false;
    }
    return true;
  }

  function renderRows() {
    $('rows').replaceChildren(...rows.map((row) => {
      const li = document.createElement('li');
      li.dataset.id = row.id;
      const box = Object.assign(document.createElement('input'), { type: 'checkbox', checked: ticked.has(row.id), id: `row-${row.id}` });
      box.addEventListener('change', () => {
        if (box.checked) ticked.set(row.id, row);
        else ticked.delete(row.id);
        afterTick();
      });
      const label = Object.assign(document.createElement('label'), { htmlFor: box.id, textContent: row.title || 'Untitled' });
      li.append(box, label);
      return li;
    }));
    const matching = next ? `${rows.length}+` : String(rows.length);
    $('rows-state').textContent = rows.length === 0
      ? (query.search || query.property ? 'No rows match.' : 'This database has no rows yet.')
      : `${ticked.size} of ${matching} row${rows.length === 1 ? '' : 's'} ticked.`;
    $('rows-more').hidden = !next;
    $('select-all-label').textContent = next ? 'Select all matching rows' : `Select all ${rows.length}`;
    $('select-all').checked = rows.length > 0 && !next && rows.every((r) => ticked.has(r.id));
    updateRunButton();
  }

  function afterTick() {
    renderRows();
    schedulePreview();
  }

  async function onSelectAll() {
    if (!$('select-all').checked) {
      for (const r of rows) ticked.delete(r.id);
      afterTick();
      return;
    }
    if (!(await loadAll())) {
      $('select-all').checked = false;
      return;
    }
    for (const r of rows) ticked.set(r.id, r);
    afterTick();
    announce(`${ticked.size} rows ticked.`);
  }

  function applyFilterControl() {
    const prop = (target?.properties ?? []).find((p) => p.name === $('row-filter-prop').value);
    const choice = $('row-filter-choice');
    const text = $('row-filter-text');
    choice.hidden = true;
    text.hidden = true;
    if (!prop) return;
    if (prop.type === 'checkbox') {
      choice.replaceChildren(new Option('is ticked', 'true'), new Option('is not ticked', 'false'));
      choice.hidden = false;
    } else if (['select', 'status', 'multi_select'].includes(prop.type)) {
      const empty = prop.type === 'multi_select' ? [] : [new Option('is empty', '')];
      choice.replaceChildren(...(prop.options ?? []).map((o) => new Option(`is ${o}`, o)), ...empty);
      choice.hidden = false;
    } else {
      text.type = prop.type === 'date' ? 'date' : prop.type === 'number' ? 'number' : 'text';
      text.placeholder = prop.type === 'date' || prop.type === 'number' ? 'equals' : 'contains';
      text.value = '';
      text.hidden = false;
    }
  }

  function readQuery() {
    const property = $('row-filter-prop').value;
    let value = '';
    if (property) value = $('row-filter-choice').hidden ? $('row-filter-text').value : $('row-filter-choice').value;
    query = { search: $('row-search').value.trim(), property, value };
  }

  function requery() {
    readQuery();
    loadRows(true);
  }

  // ---- Template --------------------------------------------------------------

  function insertPlaceholder(name) {
    const area = $('fill-template');
    const text = `{{${name}}}`;
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? start;
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    area.focus();
    area.setSelectionRange(start + text.length, start + text.length);
    onTemplateInput();
  }

  function onTemplateInput() {
    saveDraft();
    schedulePreview();
  }

  function schedulePreview() {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, 250);
  }

  function firstTicked() {
    return rows.find((r) => ticked.has(r.id)) ?? ticked.values().next().value ?? null;
  }

  function showTemplateProblems(problems) {
    const list = $('fill-template-error');
    list.replaceChildren(...problems.map((p) => Object.assign(document.createElement('li'), { textContent: p.message ?? p.Message })));
    list.hidden = problems.length === 0;
    $('fill-template').setAttribute('aria-invalid', String(problems.length > 0));
  }

  function showPreview(text) {
    $('fill-preview').textContent = text;
    $('fill-preview').parentElement.hidden = text === '';
  }

  // Checks the template and shows the first ticked row's prompt; resolves
  // to whether the template is valid.
  async function preview() {
    const template = $('fill-template').value;
    const row = firstTicked();
    if (!template.trim()) {
      showTemplateProblems([]);
      showPreview('');
      return false;
    }
    const reply = await send(MSG.PREVIEW_ROW, { target, template, row });
    if (template !== $('fill-template').value) return false;
    if (!reply.ok) {
      showTemplateProblems(reply.error.problems?.length ? reply.error.problems : [{ message: reply.error.message }]);
      showPreview('');
      return false;
    }
    showTemplateProblems([]);
    if (!row) {
      $('fill-preview-label').textContent = 'Prompt';
      showPreview('Tick a row to see the prompt it will get.');
    } else {
      $('fill-preview-label').textContent = `Prompt for “${row.title || 'Untitled'}”`;
      showPreview(reply.data.prompt);
    }
    return true;
  }

  function applyOutput() {
    const toProperty = $('out-property').checked;
    $('out-property-name').disabled = !toProperty;
    $('out-replace').disabled = toProperty;
  }

  function updateRunButton() {
    $('fill-run').textContent = ticked.size ? `Fill ${ticked.size} row${ticked.size === 1 ? '' : 's'}` : 'Fill rows';
  }

  function onRun() {
    busy($('fill-run'), async () => {
      if (!$('fill-template').value.trim()) {
        showTemplateProblems([{ message: 'Write a prompt template first.' }]);
        $('fill-template').focus();
        return;
      }
      if (ticked.size === 0) {
        announce('Tick the rows to fill first.');
        $('rows-state').textContent = 'Tick the rows to fill first.';
        return;
      }
      if (!(await preview())) {
        $('fill-template').focus();
        return;
      }
      const output = $('out-property').checked
        ? { property: $('out-property-name').value }
        : { replace: $('out-replace').checked };
      // Rows ticked under another search come after the listed ones.
      const picked = rows.filter((r) => ticked.has(r.id));
      for (const r of ticked.values()) if (!picked.some((p) => p.id === r.id)) picked.push(r);
      const reply = await send(MSG.FILL, {
        target,
        template: $('fill-template').value,
        rows: picked.map((r) => ({ id: r.id, title: r.title, url: r.url })),
        query,
        output,
      });
      if (!reply.ok) {
        announce(reply.error.message);
        return;
      }
      showRun({ id: reply.data.jobId, kind: 'fill', target, status: 'starting', run: { rows: picked.map((r) => ({ id: r.id, title: r.title, status: 'waiting' })), requests: 0 } });
    });
  }

  // ---- A run ---------------------------------------------------------------------

  function showRun(job) {
    shownRun = job;
    $('db').hidden = true;
    $('run').hidden = false;
    const runRows = job.run?.rows ?? [];
    const counts = {};
    for (const r of runRows) counts[r.status] = (counts[r.status] ?? 0) + 1;
    const finished = (counts.written ?? 0) + (counts.failed ?? 0) + (counts.skipped ?? 0);
    const runningNow = RUNNING.has(job.status);
    const statusText = {
      starting: 'Starting…',
      generating: 'Filling rows…',
      done: 'Done.',
      cancelled: 'Stopped.',
      failed: 'It did not finish.',
    };
    $('run-status').textContent = statusText[job.status] ?? job.status;
    $('run-progress').max = Math.max(runRows.length, 1);
    $('run-progress').value = finished;
    $('run-progress').hidden = !runningNow;
    const parts = [`${counts.written ?? 0} written`];
    if (counts.failed) parts.push(`${counts.failed} failed`);
    if (counts.skipped) parts.push(`${counts.skipped} skipped`);
    const left = runRows.length - finished;
    if (left) parts.push(`${left} to go`);
    $('run-counts').textContent = `${parts.join(', ')} · ${job.run?.requests ?? 0} Notion requests.`;
    $('run-rows').replaceChildren(...runRows.map((r) => {
      const li = document.createElement('li');
      li.dataset.id = r.id;
      li.dataset.status = r.status;
      const title = r.url
        ? Object.assign(document.createElement('a'), { href: r.url, target: '_blank', rel: 'noopener', textContent: r.title || 'Untitled' })
        : Object.assign(document.createElement('span'), { textContent: r.title || 'Untitled' });
      title.className = 'row-title';
      const status = Object.assign(document.createElement('span'), { className: `badge ${r.status}`, textContent: ROW_STATUS[r.status] ?? r.status });
      li.append(title, status);
      if (r.message) li.append(Object.assign(document.createElement('span'), { className: 'reason', textContent: r.message }));
      return li;
    }));
    $('run-error').hidden = !job.error;
    $('run-error').textContent = job.error?.message ?? '';
    $('run-cancel').hidden = !runningNow;
    $('run-resume').hidden = runningNow || !(job.status === 'failed' || job.status === 'cancelled' || (counts.failed ?? 0) > 0);
    $('run-resume').textContent = (counts.failed ?? 0) > 0 && job.status === 'done' ? 'Retry failed rows' : 'Resume';
    $('run-new').hidden = runningNow;
  }

  async function onRunNew() {
    const t = target ?? shownRun?.target;
    shownRun = null;
    $('run').hidden = true;
    selectTab('fill');
    await show(t);
  }

  function wire() {
    $('db-source').addEventListener('change', onSourceChange);
    $('tab-new').addEventListener('click', () => selectTab('new'));
    $('tab-fill').addEventListener('click', () => selectTab('fill'));
    for (const id of ['tab-new', 'tab-fill']) {
      $(id).addEventListener('keydown', (e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        const other = id === 'tab-new' ? 'fill' : 'new';
        selectTab(other);
        $(`tab-${other}`).focus();
        e.preventDefault();
      });
    }
    $('np-generate').addEventListener('click', onNewGenerate);
    $('np-prompt').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        onNewGenerate();
      }
    });
    $('np-prompt').addEventListener('input', saveDraft);
    $('np-title').addEventListener('input', saveDraft);
    $('row-search').addEventListener('input', () => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(requery, 300);
    });
    $('row-filter-prop').addEventListener('change', () => {
      applyFilterControl();
      requery();
    });
    $('row-filter-choice').addEventListener('change', requery);
    $('row-filter-text').addEventListener('change', requery);
    $('select-all').addEventListener('change', onSelectAll);
    $('rows-more').addEventListener('click', () => loadRows(false));
    $('fill-template').addEventListener('input', onTemplateInput);
    $('out-body').addEventListener('change', applyOutput);
    $('out-property').addEventListener('change', applyOutput);
    $('fill-run').addEventListener('click', onRun);
    $('run-cancel').addEventListener('click', () => shownRun && send(MSG.CANCEL, { jobId: shownRun.id }));
    $('run-resume').addEventListener('click', async () => {
      if (!shownRun) return;
      const reply = await send(MSG.RETRY, { jobId: shownRun.id });
      if (!reply.ok) announce(reply.error.message);
    });
    $('run-new').addEventListener('click', onRunNew);
  }

  wire();
  return { show, hide, showRun, shownRunId: () => shownRun?.id ?? null };
}
