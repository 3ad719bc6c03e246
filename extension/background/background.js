// The background: a service worker in Chrome, an event page in Firefox. It
// loads the Go engine once and serves the popup's messages from one map of
// named handlers. Listeners are registered synchronously at the top level so
// the event that wakes the worker is never missed; handlers await the engine.

import './wasm_exec.js';
import { ext } from '../shared/ext.js';
import { MSG, failure, reply } from '../shared/messages.js';
import { loadSettings, normalize, isConfigured } from '../shared/storage.js';
import { RUNNING, getJob, saveJob, loadJobs, onlyAnswers, resumePoint, rowOutputs } from '../shared/jobs.js';
import { effectiveBaseUrl, providerName } from '../shared/providers.js';

const engine = startEngine();
const engineReady = engine.then(() => ({
  generate: (payload, onUpdate) => globalThis.visenGenerate(payload, onUpdate),
  fill: (payload, onUpdate) => globalThis.visenFill(payload, onUpdate),
  cancel: (jobId) => globalThis.visenCancel(jobId),
}));

async function startEngine() {
  // User Timing marks let anyone profiling the extension see the engine's
  // start-up cost in DevTools, phase by phase: the fetch (to the response's
  // headers), compiling the module as it streams in, instantiating it, and
  // running Go's runtime and package inits until the engine's calls exist.
  performance.mark('visen:engine-load');
  const go = new globalThis.Go();
  const response = await fetch(ext.runtime.getURL('background/visen.wasm'));
  performance.mark('visen:engine-fetched');
  const module = await WebAssembly.compileStreaming(response);
  performance.mark('visen:engine-compiled');
  const instance = await WebAssembly.instantiate(module, go.importObject);
  performance.mark('visen:engine-instantiated');
  go.run(instance);
  if (typeof globalThis.visenCall !== 'function') {
    throw new Error('the engine did not start');
  }
  performance.measure('visen:engine-start', 'visen:engine-load');
  performance.measure('visen:engine-fetch', 'visen:engine-load', 'visen:engine-fetched');
  performance.measure('visen:engine-compile', 'visen:engine-fetched', 'visen:engine-compiled');
  performance.measure('visen:engine-instantiate', 'visen:engine-compiled', 'visen:engine-instantiated');
  performance.measure('visen:engine-run', 'visen:engine-instantiated');
  return globalThis.visenCall;
}

async function call(name, payload) {
  const visenCall = await engine;
  // A failure's cause goes to the console, not to the popup.
  let unexpected = false;
  return JSON.parse(await visenCall(name, JSON.stringify(payload)), (key, value) => {
    if (key === 'code' && value === 'internal') unexpected = true;
    if (key !== 'cause') return value;
    logCause(`${name} failed`, value, unexpected);
    return undefined;
  });
}

// The parts of the settings the engine needs, with the provider resolved to
// the base URL it stands for.
function connection(settings) {
  const s = normalize(settings);
  return { notionSecret: s.notionSecret, baseUrl: effectiveBaseUrl(s), apiKey: s.apiKey, provider: providerName(s) };
}

// Running jobs by id: the latest record, its pending save, and whether
// Cancel was asked for before the engine knew the job.
const running = new Map();

// Why the history could not be saved, for the popup, or null. A failed save
// never stops a job: the page is written all the same.
let historyError = null;

// Secrets never reach the console: every one the settings hold is blanked
// out of a message before it is logged. A failure the person was told about
// in a sentence is information for a bug report, not an error of the
// extension; only what Visen did not expect is logged as an error.
async function logCause(what, cause, unexpected = false) {
  if (!cause) return;
  let text = String(cause);
  try {
    const s = await loadSettings();
    for (const secret of [s.notionSecret, s.apiKey]) {
      if (secret && secret.length >= 4) text = text.split(secret).join('[secret]');
    }
  } catch {
    text = '(the cause could not be checked for secrets)';
  }
  (unexpected ? console.error : console.info)(`Visen: ${what}: ${text}`);
}

// Saves a job; a failure is kept for the popup and logged, never thrown.
async function save(job) {
  try {
    await saveJob(job);
    historyError = null;
  } catch (err) {
    const full = /quota/i.test(String(err?.message ?? err));
    historyError = full
      ? 'Visen could not save its history: this browser’s storage for Visen is full. Your page is written as normal; delete old jobs in History to make room.'
      : 'Visen could not save its history. Your page is written as normal, but the job may not show in History.';
    logCause('saving the history failed', err?.message ?? err);
  }
}

// A long generation must not let the worker be stopped as idle: an
// extension API call every 20 s keeps it awake while a job runs.
let keepAlive = null;
function stayAwake() {
  keepAlive ??= setInterval(() => ext.runtime.getPlatformInfo(), 20_000);
}
function maySleep() {
  if (running.size === 0 && keepAlive) {
    clearInterval(keepAlive);
    keepAlive = null;
  }
}

// Saving every token would thrash storage; a running job is saved at most
// four times a second, and always when its phase changes.
function persistSoon(job, force = false) {
  const entry = running.get(job.id) ?? { job, timer: null };
  entry.job = job;
  if (!running.has(job.id)) running.set(job.id, entry);
  if (force) {
    clearTimeout(entry.timer);
    entry.timer = null;
    return save(job);
  }
  entry.timer ??= setTimeout(() => {
    entry.timer = null;
    save(entry.job);
  }, 250);
  return Promise.resolve();
}

// Ends a job's time in memory: its last save is queued after every other.
function finish(job) {
  clearTimeout(running.get(job.id)?.timer);
  running.delete(job.id);
  maySleep();
}

// A Cancel that came before the engine had the job: the job stops here.
function cancelledEarly(job) {
  if (!running.get(job.id)?.cancel) return false;
  job.status = 'cancelled';
  job.error = { code: 'cancelled', message: 'Stopped before anything was written.' };
  job.finishedAt = Date.now();
  return true;
}

// The settings a job runs with, or null once the job is marked as failed
// for want of them.
async function settingsFor(job) {
  const settings = await loadSettings();
  if (isConfigured(settings)) return settings;
  job.status = 'failed';
  job.error = { code: 'not_configured', message: 'Visen is not set up yet. Open Settings and add your Notion token and AI key.' };
  await save(job);
  return null;
}

// What every job sends the engine: the connection and how the model writes.
function writing(settings) {
  return {
    ...connection(settings),
    model: settings.model,
    temperature: settings.temperature,
    maxTokens: settings.maxTokens,
    instructions: settings.instructions,
  };
}

// What each running page job has settled, so the popup's preview gets
// every block across the bridge once: the answer's settled top-level
// blocks, as Notion's append API takes them, and where in the job's
// Markdown the text not yet settled starts.
const previews = new Map();

// Sends the engine's failure cause to the console and keeps it out of the
// job, which the popup shows and storage keeps.
function failed(job, error) {
  const { cause, ...shown } = error;
  logCause(`job ${job.id} stopped with ${shown.code}`, cause, shown.code === 'internal');
  job.status = shown.code === 'cancelled' ? 'cancelled' : 'failed';
  job.error = shown;
}

// What a page job asks the engine for: where it writes, the prompt, and
// how. A page action's come from the plan it read from the page.
function jobSpec(job) {
  if (job.kind !== 'action') {
    return { pageId: job.kind === 'newPage' ? '' : job.target.id, prompt: job.prompt, after: job.after || '' };
  }
  // An answer is generated for the popup; Insert writes that answer.
  if (onlyAnswers(job)) return { pageId: job.target.id, prompt: job.plan.prompt, after: '', answerOnly: true };
  if (job.insert) return { pageId: job.target.id, prompt: job.prompt, after: job.insert.after || '', markdown: job.answer };
  // The plan read where its block is: in the page, or nested in a block.
  return {
    pageId: job.subpage?.id ?? (job.plan.parent || job.target.id),
    prompt: job.plan.prompt,
    after: job.subpage ? '' : job.plan.after,
    parentKnown: true,
    atStart: job.plan.position === 'start',
  };
}

async function runJob(job) {
  const settings = await settingsFor(job);
  if (!settings) return finish(job);
  const visen = await engineReady;
  if (cancelledEarly(job)) {
    await persistSoon(job, true);
    return finish(job);
  }
  stayAwake();
  const spec = jobSpec(job);
  // The engine's snapshots leave out the text, which its updates add to
  // job.markdown (an answer being inserted comes whole in the first); a
  // resumed job goes on from all of it.
  job.markdown = job.snapshot ? job.markdown ?? '' : '';
  await persistSoon(job, true);
  const preview = { job, blocks: [], tailFrom: 0 };
  previews.set(job.id, preview);
  const payload = {
    ...writing(settings),
    jobId: job.id,
    prompt: spec.prompt,
    // A job resumes where it wrote: the page, or the block its cursor's
    // block is nested in.
    pageId: job.parent || spec.pageId,
    parentKnown: Boolean(spec.parentKnown),
    // A resumed job writes after where its answer started, read before its
    // first write; a new one after the cursor's block, or at the end.
    after: job.anchored ? job.anchor ?? '' : spec.after,
    anchored: Boolean(job.anchored),
    atStart: Boolean(spec.atStart),
    answerOnly: Boolean(spec.answerOnly),
    // Sent only to insert an answer: an empty one is refused, not asked for.
    ...(spec.markdown === undefined ? {} : { markdown: spec.markdown }),
    snapshot: resumePoint(job),
    newPage: job.kind === 'newPage'
      ? { databaseId: job.target.id, dataSourceId: job.target.dataSourceId ?? '', properties: job.target.properties ?? [], title: job.newPage?.title ?? '', values: job.newPage?.values ?? {} }
      : null,
  };
  try {
    const reply = JSON.parse(
      await visen.generate(JSON.stringify(payload), (raw) => {
        const update = JSON.parse(raw);
        if (running.get(job.id)?.cancel) visen.cancel(job.id);
        if (update.anchored && !job.anchored) {
          // Where the answer starts, read before the first write: a resume
          // finds the job's blocks after it.
          job.anchor = update.anchor;
          job.anchored = true;
        }
        if (update.parent) job.parent = update.parent;
        if (update.text) job.markdown += update.text;
        if (update.blocks) {
          preview.blocks.length = Math.min(preview.blocks.length, update.from);
          preview.blocks.push(...update.blocks);
        }
        preview.tailFrom = update.tailFrom;
        const phaseChanged = update.phase !== job.status;
        job.status = update.phase;
        job.blocks = update.onPage;
        job.requests = update.requests;
        if (update.snapshot) Object.assign(job, progressOf(update.snapshot));
        persistSoon(job, phaseChanged);
      }),
    );
    const snap = reply.data;
    if (snap) Object.assign(job, progressOf({ ...snap, markdown: '' }), { markdown: snap.markdown });
    if (reply.ok) {
      job.status = 'done';
      job.snapshot = null;
      job.error = null;
      if (job.kind === 'action') settled(job, snap);
    } else {
      failed(job, reply.error);
    }
  } finally {
    previews.delete(job.id);
  }
  job.finishedAt = Date.now();
  await persistSoon(job, true);
  finish(job);
}

// The parts of a snapshot the popup shows, and the snapshot to resume from.
function progressOf(snap) {
  const page = snap.pageId
    ? { page: { id: snap.pageId, title: snap.title, url: `https://www.notion.so/${snap.pageId.replace(/-/g, '')}` } }
    : {};
  return {
    ...page,
    status: snap.phase,
    blocks: snap.blocks,
    requests: snap.requests,
    warnings: snap.warnings ?? [],
    snapshot: snap,
  };
}

// A job's settled blocks from index `from`, and the Markdown after them.
// A running job's come from memory; any other job's text is converted once,
// whole.
async function jobPreview({ jobId, from }) {
  const start = Math.max(0, Math.trunc(Number(from)) || 0);
  const live = previews.get(String(jobId));
  if (live) {
    return reply({ from: start, blocks: live.blocks.slice(start), tail: live.job.markdown.slice(live.tailFrom) });
  }
  const job = await getJob(String(jobId));
  if (!job) {
    return failure('invalid', 'This job is no longer in the history.');
  }
  const converted = await call('convert', { markdown: job.markdown ?? '' });
  if (!converted.ok) return converted;
  return reply({ from: 0, blocks: converted.data.blocks, tail: '' });
}

// What a finished page action keeps: an answer to insert (apart from the
// job's text, which an insert starts again from nothing), the blocks an
// improvement wrote (for Replace and Undo), and no copy of the page.
function settled(job, snap) {
  if (onlyAnswers(job)) {
    job.answer = snap?.markdown ?? job.markdown;
    // Insert writes from scratch: the answer's own record is not a write.
    job.anchor = undefined;
    job.anchored = false;
    job.parent = undefined;
  }
  if (job.action.kind === 'improve') job.written = snap?.written ?? [];
  // The prompt holds the page: it is not kept once the model answered.
  job.plan = { ...job.plan, prompt: '' };
}

// Ends a page action that stopped before the model was asked.
async function stopped(job, error) {
  if (error) failed(job, error);
  job.finishedAt = Date.now();
  await persistSoon(job, true);
  finish(job);
}

// A page action: reads the page into the action's prompt once (a retry
// goes on with the same prompt, even though the page now holds part of
// the answer), asks before sending a page cut short for the model, makes
// the sub-page of a translation once, then runs like any page job.
async function runAction(job) {
  const settings = await settingsFor(job);
  if (!settings) return finish(job);
  if (!job.plan) {
    job.status = 'reading';
    await persistSoon(job, true);
    const { kind, instruction, language, style, tone, position } = job.action;
    const reply = await call('actionPrompt', {
      notionSecret: settings.notionSecret,
      pageId: job.target.id,
      model: settings.model,
      action: { kind, instruction, language, style, tone, position, selection: job.selection ?? [], upTo: job.cursor ?? '' },
    });
    if (running.get(job.id)?.cancel) {
      return stopped(job, { code: 'cancelled', message: 'Stopped before anything was written.' });
    }
    if (!reply.ok) return stopped(job, reply.error);
    job.plan = reply.data;
  }
  const { used } = job.plan;
  if (used.blocks < used.total && !job.confirmed) {
    // The person hears how much of the page the model will read before
    // anything is sent.
    job.status = 'confirm';
    return stopped(job);
  }
  if (job.action.kind === 'translate' && job.action.where === 'subpage' && !job.subpage) {
    // Saved before the ask: a retry after an answer that was lost looks
    // for the page it made rather than making another.
    const asked = Boolean(job.subpageAsked);
    job.status = 'starting';
    job.subpageAsked = true;
    await persistSoon(job, true);
    const made = await call('createSubpage', {
      notionSecret: settings.notionSecret,
      parentPageId: job.target.id,
      title: job.action.language,
      existing: job.plan.existing ?? [],
      asked,
    });
    if (!made.ok) return stopped(job, made.error);
    job.subpage = made.data;
  }
  return runJob(job);
}

async function runFill(job) {
  const settings = await settingsFor(job);
  if (!settings) return finish(job);
  const visen = await engineReady;
  if (cancelledEarly(job)) {
    await persistSoon(job, true);
    return finish(job);
  }
  stayAwake();
  job.status = 'generating';
  await persistSoon(job, true);
  // What Visen wrote in these rows last time, from the runs in the history,
  // so Replace can remove it.
  const outputs = await rowOutputs(job.target.id, job.id);
  const previous = {};
  for (const row of job.run.rows) {
    if (outputs[row.id]) previous[row.id] = outputs[row.id];
  }
  const payload = {
    ...writing(settings),
    jobId: job.id,
    databaseId: job.target.id,
    dataSourceId: job.target.dataSourceId ?? '',
    properties: job.target.properties ?? [],
    template: job.prompt,
    query: job.query ?? {},
    output: job.output ?? {},
    previous,
    run: job.run,
    concurrency: settings.concurrency,
  };
  const reply = JSON.parse(
    await visen.fill(JSON.stringify(payload), (raw) => {
      if (running.get(job.id)?.cancel) visen.cancel(job.id);
      job.run = JSON.parse(raw);
      persistSoon(job);
    }),
  );
  if (reply.data) job.run = reply.data;
  if (reply.ok) {
    job.status = 'done';
    job.error = null;
  } else {
    failed(job, reply.error);
  }
  job.finishedAt = Date.now();
  await persistSoon(job, true);
  finish(job);
}

// Starts a job. It is registered as running at once, before anything is
// awaited, so a second Generate for the same page is refused and a Cancel
// is heard in every phase.
function startJob(job) {
  running.set(job.id, { job, timer: null });
  const run = { fill: runFill, action: runAction }[job.kind] ?? runJob;
  run(job).catch(async (err) => {
    logCause(`job ${job.id} stopped unexpectedly`, err?.stack ?? err, true);
    job.status = 'failed';
    job.error = { code: 'internal', message: 'Visen’s engine stopped unexpectedly. Your text is kept; press Retry.' };
    finish(job);
    await save(job);
  });
  return { jobId: job.id };
}

// A job that was running when the browser closed is kept as interrupted,
// with its draft, so Retry can finish it.
async function recoverInterrupted() {
  for (const job of await loadJobs()) {
    if (RUNNING.has(job.status) && !running.has(job.id)) {
      job.status = 'failed';
      if (job.kind === 'fill') {
        for (const row of job.run?.rows ?? []) {
          if (row.status === 'generating' || row.status === 'writing') row.status = 'waiting';
        }
        job.error = { code: 'interrupted', message: 'The browser closed while Visen was filling rows. Written rows stay written; press Retry to go on.' };
      } else {
        job.error = { code: 'interrupted', message: 'The browser closed while Visen was writing. Your text is kept; press Retry to finish.' };
      }
      await save(job);
    }
  }
}

// What the history calls each page action: its words and its choices.
const ACTIONS = {
  continue: (_a, instruction) => withInstruction('Continue writing', instruction),
  summarize: (a, instruction) => withInstruction(a.position === 'start' ? 'Summarize, at the top' : 'Summarize, at the end', instruction),
  translate: (a, instruction) => withInstruction(`Translate into ${String(a.language ?? '').trim()}`, instruction),
  improve: (a, instruction) => withInstruction(a.style === 'tone' ? `Change the tone to ${String(a.tone ?? '').trim()}` : IMPROVE_WORDS[a.style] ?? 'Improve the selection', instruction),
  ask: (_a, question) => question,
};

const IMPROVE_WORDS = {
  fix: 'Fix spelling and grammar',
  shorter: 'Make shorter',
  longer: 'Make longer',
};

function withInstruction(words, instruction) {
  return instruction ? `${words}: ${instruction}` : words;
}

// Whether a job is writing into a page now (an answer to a question is
// not).
function writingInto(pageId) {
  return [...running.values()].some((e) => e.job.target.id === pageId && !onlyAnswers(e.job));
}

// Moves blocks to or out of the trash (the engine call `name`).
async function onBlocks(name, ids) {
  const { notionSecret } = await loadSettings();
  return call(name, { notionSecret, ids });
}

// The finished Improve job to replace or undo, or why there is none.
async function improved(jobId) {
  const job = await getJob(String(jobId));
  if (!job || job.kind !== 'action' || job.action.kind !== 'improve' || job.status !== 'done' || running.has(job.id)) {
    return failure('invalid', 'This is not a finished improvement.');
  }
  if (job.undone) {
    return failure('finished', 'This improvement was already undone.');
  }
  return reply(job);
}

const handlers = {
  [MSG.TEST_CONNECTION]: ({ settings }) => call('testConnection', connection(settings)),
  [MSG.CHECK_NOTION]: ({ settings }) => call('checkNotion', connection(settings)),
  [MSG.LIST_MODELS]: ({ settings }) => call('listModels', connection(settings)),
  [MSG.GENERATE]: async ({ target, prompt, after, newPage }) => {
    const text = String(prompt ?? '').trim();
    if (!target?.id || !text) {
      return failure('invalid', 'Write a prompt first.');
    }
    if (!newPage && writingInto(target.id)) {
      return failure('busy', 'Visen is already writing into this page. Wait for it to finish, or cancel it.');
    }
    const job = {
      id: crypto.randomUUID(),
      kind: newPage ? 'newPage' : 'page',
      target,
      newPage: newPage ? { title: String(newPage.title ?? ''), values: newPage.values ?? {} } : undefined,
      prompt: text,
      after: after || '',
      status: 'starting',
      markdown: '',
      blocks: 0,
      requests: 0,
      createdAt: Date.now(),
    };
    return { ok: true, data: startJob(job) };
  },
  [MSG.PAGE_ACTION]: async ({ target, action, selection, cursor }) => {
    const kind = String(action?.kind ?? '');
    if (!target?.id || target.kind === 'database' || !ACTIONS[kind]) {
      return failure('invalid', 'Open a Notion page, then choose what Visen should do with it.');
    }
    const instruction = String(action.instruction ?? '').trim();
    if (kind === 'ask' && !instruction) {
      return failure('invalid', 'Type your question first.');
    }
    if (kind !== 'ask' && writingInto(target.id)) {
      return failure('busy', 'Visen is already writing into this page. Wait for it to finish, or cancel it.');
    }
    const job = {
      id: crypto.randomUUID(),
      kind: 'action',
      target,
      action: {
        kind,
        instruction,
        language: String(action.language ?? '').trim(),
        where: action.where === 'below' ? 'below' : 'subpage',
        style: String(action.style ?? ''),
        tone: String(action.tone ?? ''),
        position: action.position === 'start' ? 'start' : 'end',
      },
      selection: Array.isArray(selection) ? selection.map(String) : [],
      cursor: String(cursor ?? ''),
      prompt: ACTIONS[kind](action, instruction),
      status: 'starting',
      markdown: '',
      blocks: 0,
      requests: 0,
      createdAt: Date.now(),
    };
    return { ok: true, data: { ...startJob(job), prompt: job.prompt } };
  },
  [MSG.INSERT_ANSWER]: async ({ jobId, after }) => {
    const job = await getJob(String(jobId));
    if (!job || job.kind !== 'action' || job.action.kind !== 'ask' || job.status !== 'done' || !job.answer || running.has(job.id)) {
      return failure('invalid', 'There is no answer to insert.');
    }
    if (job.insert) {
      return failure('finished', 'This answer is already in the page.');
    }
    if (writingInto(job.target.id)) {
      return failure('busy', 'Visen is already writing into this page. Wait for it to finish, or cancel it.');
    }
    job.insert = { after: String(after ?? '') };
    job.status = 'starting';
    job.error = null;
    job.finishedAt = undefined;
    return { ok: true, data: startJob(job) };
  },
  [MSG.REPLACE]: async ({ jobId }) => {
    const job = await improved(jobId);
    if (!job.ok) return job;
    const trashed = await onBlocks('trashBlocks', job.data.plan.selectionIds);
    if (!trashed.ok) return trashed;
    job.data.replaced = true;
    await save(job.data);
    return reply({});
  },
  [MSG.UNDO]: async ({ jobId }) => {
    const job = await improved(jobId);
    if (!job.ok) return job;
    // The originals come back first: a failure half-way leaves both
    // versions in the page, never neither.
    if (job.data.replaced) {
      const restored = await onBlocks('restoreBlocks', job.data.plan.selectionIds);
      if (!restored.ok) return restored;
      job.data.replaced = false;
      await save(job.data);
    }
    const trashed = await onBlocks('trashBlocks', job.data.written ?? []);
    if (!trashed.ok) return trashed;
    job.data.undone = true;
    await save(job.data);
    return reply({});
  },
  [MSG.CANCEL]: async ({ jobId }) => {
    const entry = running.get(String(jobId));
    // Heard in every phase: before the engine has the job, the flag stops
    // it; after, the engine does.
    if (entry) entry.cancel = true;
    const visen = await engineReady;
    return { ok: true, data: { cancelled: visen.cancel(String(jobId)) || Boolean(entry) } };
  },
  [MSG.RETRY]: async ({ jobId }) => {
    const job = await getJob(String(jobId));
    if (!job || running.has(job.id)) {
      return failure('invalid', 'This job cannot be resumed.');
    }
    // A finished page job has written its answer: again would write it
    // twice. A finished run may have failed rows, and skips written ones.
    if (job.status === 'done' && job.kind !== 'fill') {
      return failure('finished', 'This job is finished: everything it wrote is in the page. Start a new one to write again.');
    }
    if (job.status === 'confirm') job.confirmed = true;
    if (onlyAnswers(job)) {
      // An answer that did not finish is asked for again, whole.
      job.snapshot = null;
      job.markdown = '';
    }
    job.status = 'starting';
    job.error = null;
    return { ok: true, data: startJob(job) };
  },
  [MSG.QUERY_ROWS]: async ({ target, query }) => {
    const settings = await loadSettings();
    return call('queryRows', { notionSecret: settings.notionSecret, databaseId: target?.id, dataSourceId: target?.dataSourceId ?? '', properties: target?.properties ?? [], query: query ?? {} });
  },
  [MSG.PREVIEW_ROW]: async ({ target, template, row }) => {
    const settings = await loadSettings();
    return call('previewRow', { notionSecret: settings.notionSecret, properties: target?.properties ?? [], template: String(template ?? ''), row: row ?? null });
  },
  [MSG.FILL]: async ({ target, template, rows, query, output }) => {
    if (!target?.id || !String(template ?? '').trim() || !Array.isArray(rows) || rows.length === 0) {
      return failure('invalid', 'Write a template and tick the rows to fill first.');
    }
    if ([...running.values()].some((e) => e.job.kind === 'fill' && e.job.target.id === target.id)) {
      return failure('busy', 'Visen is already filling rows of this database. Wait for it to finish, or cancel it.');
    }
    const job = {
      id: crypto.randomUUID(),
      kind: 'fill',
      target,
      prompt: String(template),
      query: query ?? {},
      output: output ?? {},
      status: 'starting',
      run: { rows: rows.map((r) => ({ id: r.id, title: r.title ?? '', url: r.url ?? '', status: 'waiting' })), requests: 0 },
      createdAt: Date.now(),
    };
    return { ok: true, data: startJob(job) };
  },
  [MSG.JOB_PREVIEW]: jobPreview,
  [MSG.HEALTH]: async () => ({ ok: true, data: { historyError } }),
  [MSG.INSPECT_TARGET]: async ({ url, dataSourceId }) => {
    const settings = await loadSettings();
    return call('inspectTarget', { url: String(url ?? ''), notionSecret: settings.notionSecret, dataSourceId: String(dataSourceId ?? '') });
  },
};

recoverInterrupted();

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const handler = handlers[message?.type];
  if (!handler || sender.id !== ext.runtime.id) {
    return false;
  }
  handler(message).then(sendResponse, (err) => {
    // The error's text is from JavaScript or the engine loader, never from
    // user data, but it still stays out of the reply.
    console.error('Visen: %s failed: %s', message.type, err?.name ?? 'error');
    sendResponse(failure('internal', 'Visen’s engine could not start. Reload the extension and try again.'));
  });
  return true;
});
