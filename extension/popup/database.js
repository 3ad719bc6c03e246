// The popup on a Notion database: a new page from a prompt, or one prompt
// template run over ticked rows. Row lists come from the background a page
// at a time; the template is checked and previewed by the engine, which
// renders it exactly as the run will. What the user types is kept as a
// draft per database, so closing the popup loses nothing.
//
// The element ids the browser tests rely on are listed in ids.js.

import { MSG } from '../shared/messages.js';
import { RUNNING } from '../shared/jobs.js';
import { loadDraft, saveDraft } from '../shared/drafts.js';
import { S, quoted } from './strings.js';
import { $, h, roving } from './ui.js';

const PAGE_SIZE = 25;
// Property types whose values read as short text in a prompt; the rest are
// offered under "More…".
const CHIP_TYPES = new Set(['title', 'rich_text', 'select', 'multi_select', 'status', 'date', 'number', 'checkbox']);
// Property types a new page can be given a value for before generating.
const SIMPLE = new Set(['select', 'status', 'date', 'checkbox']);
const FILTERABLE = new Set(['title', 'rich_text', 'url', 'email', 'phone_number', 'select', 'status', 'multi_select', 'checkbox', 'number', 'date']);

/**
 * Wires the database view. `send` messages the background, `announce`
 * speaks a status line, `footer` shows the main action and others,
 * `showJob` shows a generation (a new page streams like a page does),
 * `busy` runs an action with its button busy.
 */
export function databaseView({ send, announce, footer, showJob, busy }) {
  let target = null;
  let rows = [];
  let next = '';
  let query = { search: '', property: '', value: '' };
  const ticked = new Map();
  let shownRun = null;
  let previewTimer = null;
  let searchTimer = null;
  let loadSeq = 0;

  const rowKeys = roving($('rows'), 'li[role=option]');
  const chipKeys = roving($('placeholders'), 'button', { vertical: false });

  // ---- Drafts ------------------------------------------------------------

  function keepDraft() {
    if (!target) return;
    saveDraft(target.id, { title: $('np-title').value, prompt: $('np-prompt').value, template: $('fill-template').value });
  }

  // ---- Showing the database ----------------------------------------------

  async function show(t, { focus = true } = {}) {
    target = t;
    rows = [];
    next = '';
    ticked.clear();
    query = { search: '', property: '', value: '' };
    const props = t.properties ?? [];
    const sources = t.dataSources ?? [];
    $('db-source').replaceChildren(...sources.map((d) => new Option(d.name || 'Untitled', d.id, false, d.id === t.dataSourceId)));
    $('db-source-field').hidden = sources.length < 2;
    renderNewPageProps(props);
    renderChips(props);
    const text = props.filter((p) => p.type === 'rich_text');
    $('out-property-name').replaceChildren(...text.map((p) => new Option(p.name, p.name)));
    $('out-property').disabled = text.length === 0;
    $('out-property').parentElement.title = text.length ? '' : S.db.noText;
    $('row-filter-prop').replaceChildren(new Option(S.db.allRows, ''),
      ...props.filter((p) => FILTERABLE.has(p.type)).map((p) => new Option(S.db.where(p.name), p.name)));
    $('row-search').value = '';
    applyFilterControl();
    const draft = await loadDraft(t.id);
    $('np-title').value = draft.title ?? '';
    $('np-prompt').value = draft.prompt ?? '';
    $('fill-template').value = draft.template ?? '';
    showFieldError('np-prompt', '');
    applyOutput();
    $('run').hidden = true;
    $('db').hidden = false;
    selectTab(draft.tab === 'fill' ? 'fill' : 'new', { focus });
    loadRows(true);
    if ($('fill-template').value.trim()) schedulePreview();
  }

  function renderChips(props) {
    const chips = props.filter((p) => CHIP_TYPES.has(p.type));
    const rest = props.filter((p) => !CHIP_TYPES.has(p.type));
    $('placeholders').replaceChildren(...chips.map((p, i) => {
      const b = h('button', { type: 'button', className: 'chip', textContent: p.name, tabIndex: i === 0 ? 0 : -1 });
      b.setAttribute('aria-label', S.db.insert(p.name));
      b.addEventListener('click', () => insertPlaceholder(p.name));
      return b;
    }));
    $('more-placeholders').replaceChildren(new Option(S.db.more, ''), ...rest.map((p) => new Option(p.name, p.name)));
    $('more-placeholders').hidden = rest.length === 0;
    $('fill-template-hint').hidden = props.length === 0;
    chipKeys.reset();
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
    $('np-props-box').hidden = !props.some((p) => SIMPLE.has(p.type));
    box.replaceChildren(...props.filter((p) => SIMPLE.has(p.type)).map((p) => {
      const field = Object.assign(document.createElement('div'), { className: 'field' });
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
      if (p.type === 'checkbox') {
        // Styled as every other checkbox in the popup: box, then its name.
        const row = Object.assign(document.createElement('label'), { className: 'check-row' });
        row.append(control, ` ${p.name}`);
        field.append(row);
      } else {
        field.append(Object.assign(document.createElement('label'), { htmlFor: id, textContent: p.name }), control);
      }
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

  // The tab last used on a database is the one it opens on; focus goes to
  // its prompt.
  function selectTab(name, { focus = false } = {}) {
    const fill = name === 'fill';
    $('tab-new').setAttribute('aria-selected', String(!fill));
    $('tab-fill').setAttribute('aria-selected', String(fill));
    $('tab-new').tabIndex = fill ? -1 : 0;
    $('tab-fill').tabIndex = fill ? 0 : -1;
    $('new-page').hidden = fill;
    $('fill').hidden = !fill;
    footer(fill ? 'fill-run' : 'np-generate');
    if (target) saveDraft(target.id, { tab: fill ? 'fill' : 'new' });
    if (focus) $(fill ? 'fill-template' : 'np-prompt').focus();
  }

  function showFieldError(id, message) {
    $(`${id}-error`).textContent = message;
    $(`${id}-error`).hidden = !message;
    if (message) $(id).setAttribute('aria-invalid', 'true');
    else $(id).removeAttribute('aria-invalid');
  }

  // ---- New page ------------------------------------------------------------

  function onNewGenerate() {
    const prompt = $('np-prompt').value.trim();
    if (!prompt) {
      showFieldError('np-prompt', S.db.npEmpty);
      $('np-prompt').focus();
      return;
    }
    busy($('np-generate'), async () => {
      const newPage = { title: $('np-title').value.trim(), values: newPageValues() };
      const reply = await send(MSG.GENERATE, { target, prompt, newPage });
      if (!reply.ok) {
        showFieldError('np-prompt', reply.error.message);
        return;
      }
      $('np-prompt').value = '';
      $('np-title').value = '';
      keepDraft();
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
    $('rows-state').textContent = S.db.loading;
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
    const focused = document.activeElement?.closest?.('#rows li')?.dataset.id;
    $('rows').replaceChildren(...rows.map((row) => {
      const li = h('li', { id: `row-${row.id}`, tabIndex: -1 }, h('span', { className: 'box' }), h('span', { className: 'row-name', textContent: row.title || 'Untitled' }));
      li.dataset.id = row.id;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(ticked.has(row.id)));
      li.addEventListener('click', () => toggleRow(row));
      return li;
    }));
    rowKeys.reset();
    if (focused) {
      const li = $(`row-${focused}`);
      if (li) {
        rowKeys.reset();
        for (const other of $('rows').children) other.tabIndex = other === li ? 0 : -1;
        li.focus();
      }
    }
    const matching = next ? `${rows.length}+` : String(rows.length);
    $('rows-state').textContent = rows.length === 0
      ? (query.search || query.property ? S.db.noMatch : S.db.noRows)
      : S.db.selected(ticked.size, matching);
    $('rows-more').hidden = !next;
    $('select-all-label').textContent = next ? S.db.selectAllMatching : S.db.selectAll(rows.length);
    $('select-all').checked = rows.length > 0 && !next && rows.every((r) => ticked.has(r.id));
    updateRunButton();
  }

  function toggleRow(row) {
    if (ticked.has(row.id)) ticked.delete(row.id);
    else ticked.set(row.id, row);
    afterTick();
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
    announce(S.db.allSelected(ticked.size));
  }

  function applyFilterControl() {
    const prop = (target?.properties ?? []).find((p) => p.name === $('row-filter-prop').value);
    const choice = $('row-filter-choice');
    const text = $('row-filter-text');
    choice.hidden = true;
    text.hidden = true;
    $('filter-value-row').hidden = !prop;
    if (!prop) return;
    if (prop.type === 'checkbox') {
      choice.replaceChildren(new Option(S.db.checked, 'true'), new Option(S.db.unchecked, 'false'));
      choice.hidden = false;
    } else if (['select', 'status', 'multi_select'].includes(prop.type)) {
      const empty = prop.type === 'multi_select' ? [] : [new Option(S.db.isEmpty, '')];
      choice.replaceChildren(...(prop.options ?? []).map((o) => new Option(S.db.is(o), o)), ...empty);
      choice.hidden = false;
    } else {
      text.type = prop.type === 'date' ? 'date' : prop.type === 'number' ? 'number' : 'text';
      text.placeholder = prop.type === 'date' || prop.type === 'number' ? S.db.equals : S.db.contains;
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
    keepDraft();
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
      $('fill-preview-label').textContent = S.db.prompt;
      showPreview(S.db.selectToPreview);
    } else {
      $('fill-preview-label').textContent = S.db.promptFor(row.title);
      showPreview(reply.data.prompt);
    }
    return true;
  }

  function applyOutput() {
    const toProperty = $('out-property').checked;
    $('out-property-name').disabled = !toProperty;
    $('out-replace').disabled = toProperty;
    updateRunButton();
  }

  // The button says how many rows, and where each answer goes.
  function updateRunButton() {
    const where = $('out-property').checked ? $('out-property-name').value : S.db.pageContent;
    $('fill-run').textContent = ticked.size ? S.db.fillTo(ticked.size, where) : S.db.fill;
  }

  function onRun() {
    busy($('fill-run'), async () => {
      if (!$('fill-template').value.trim()) {
        showTemplateProblems([{ message: S.db.templateEmpty }]);
        $('fill-template').focus();
        return;
      }
      if (ticked.size === 0) {
        $('rows-state').textContent = S.db.selectFirst;
        $('rows').focus();
        $('rows').querySelector('[tabindex="0"]')?.focus();
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
        showTemplateProblems([{ message: reply.error.message }]);
        return;
      }
      showRun({ id: reply.data.jobId, kind: 'fill', target, prompt: $('fill-template').value, status: 'starting', run: { rows: picked.map((r) => ({ id: r.id, title: r.title, status: 'waiting' })), requests: 0 } });
    });
  }

  // ---- A run ---------------------------------------------------------------------

  function showRun(job) {
    const first = shownRun?.id !== job.id;
    shownRun = job;
    $('db').hidden = true;
    $('run').hidden = false;
    const runRows = job.run?.rows ?? [];
    const counts = {};
    for (const r of runRows) counts[r.status] = (counts[r.status] ?? 0) + 1;
    const finished = (counts.written ?? 0) + (counts.failed ?? 0) + (counts.skipped ?? 0);
    const runningNow = RUNNING.has(job.status);
    const title = quoted(job.target?.title);
    const statusText = {
      starting: S.db.starting(runRows.length, title),
      generating: S.db.filling(title),
      writing: S.db.filling(title),
      done: S.db.done(counts.written ?? 0, runRows.length),
      cancelled: S.db.stopped,
      failed: S.db.failed,
    };
    $('run-prompt').textContent = job.prompt ?? '';
    $('run-status').textContent = statusText[job.status] ?? job.status;
    $('run-progress').max = Math.max(runRows.length, 1);
    $('run-progress').value = finished;
    $('run-progress').hidden = !runningNow;
    const c = S.db.counts;
    const parts = [c.written(counts.written ?? 0)];
    if (counts.failed) parts.push(c.failed(counts.failed));
    if (counts.skipped) parts.push(c.skipped(counts.skipped));
    const left = runRows.length - finished;
    if (left) parts.push(c.left(left));
    if (runningNow && job.run?.rate > 0) parts.push(c.rate(Math.round(job.run.rate)));
    if (runningNow && left && job.run?.eta > 0) parts.push(c.eta(timeLeft(job.run.eta)));
    // A run that finished with every row written says so once, above.
    const allWritten = job.status === 'done' && (counts.written ?? 0) === runRows.length;
    $('run-counts').textContent = allWritten ? '' : `${parts.join(' · ')}.`;
    $('run-counts').hidden = allWritten;
    $('run-rows').replaceChildren(...runRows.map((r) => {
      const li = document.createElement('li');
      li.dataset.id = r.id;
      li.dataset.status = r.status;
      const name = r.url
        ? h('a', { href: r.url, target: '_blank', rel: 'noopener', textContent: r.title || 'Untitled' })
        : h('span', { textContent: r.title || 'Untitled' });
      name.className = 'row-title';
      const status = h('span', { className: `badge ${r.status}`, textContent: S.db.rowStatus[r.status] ?? r.status });
      li.append(name, status);
      if (r.message) li.append(h('span', { className: 'reason', textContent: r.message }));
      return li;
    }));
    $('run-error').hidden = !job.error;
    $('run-error').textContent = job.error?.message ?? '';
    const canRetry = job.status === 'failed' || job.status === 'cancelled' || (counts.failed ?? 0) > 0;
    $('run-resume').textContent = (counts.failed ?? 0) > 0 && job.status === 'done' ? S.db.retryFailed : S.db.retry;
    if (runningNow) footer('run-cancel');
    else if (canRetry) footer('run-resume', 'run-new');
    else footer('run-new');
    if (first) $(runningNow ? 'run-cancel' : canRetry ? 'run-resume' : 'run-new').focus();
  }

  function timeLeft(seconds) {
    if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
    return `${Math.round(seconds / 60)} min`;
  }

  async function onRunNew() {
    const t = target ?? shownRun?.target;
    shownRun = null;
    $('run').hidden = true;
    await saveDraft(t.id, { tab: 'fill' });
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
    $('rows').addEventListener('keydown', (e) => {
      const li = e.target.closest('li[role=option]');
      if (!li || (e.key !== ' ' && e.key !== 'Enter')) return;
      e.preventDefault();
      const row = rows.find((r) => r.id === li.dataset.id);
      if (row) toggleRow(row);
    });
    $('more-placeholders').addEventListener('change', () => {
      const name = $('more-placeholders').value;
      $('more-placeholders').value = '';
      if (name) insertPlaceholder(name);
    });
    $('np-generate').addEventListener('click', onNewGenerate);
    $('np-prompt').addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        onNewGenerate();
      }
    });
    $('np-prompt').addEventListener('input', () => {
      keepDraft();
      if ($('np-prompt').value.trim()) showFieldError('np-prompt', '');
    });
    $('np-title').addEventListener('input', keepDraft);
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
    $('out-property-name').addEventListener('change', updateRunButton);
    $('fill-run').addEventListener('click', onRun);
    $('run-cancel').addEventListener('click', () => shownRun && send(MSG.CANCEL, { jobId: shownRun.id }));
    $('run-resume').addEventListener('click', async () => {
      if (!shownRun) return;
      const reply = await send(MSG.RETRY, { jobId: shownRun.id });
      if (!reply.ok) {
        $('run-error').textContent = reply.error.message;
        $('run-error').hidden = false;
      }
    });
    $('run-new').addEventListener('click', onRunNew);
  }

  wire();
  return { show, hide, showRun, shownRunId: () => shownRun?.id ?? null };
}
