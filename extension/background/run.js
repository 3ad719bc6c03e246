// Running jobs: a page job, a page action and a run over database rows,
// each saved to the history as it goes, resumed by Retry and marked as
// interrupted when the browser closed under it.
import { failure, reply } from '../shared/messages.js';
import { RUNNING, getJob, loadJobs, onlyAnswers, resumePoint } from '../shared/jobs.js';
import { call } from './engine.js';
import { persistSoon, save } from './history.js';
import { runFill } from './fill.js';
import { begin, cancelAsked, end, failed, running, settingsFor, start, writing } from './running.js';

// What each running page job has settled, so the popup's preview gets
// every block across the bridge once: the answer's settled top-level
// blocks, as Notion's append API takes them, and where in the job's
// Markdown the text not yet settled starts.
const previews = new Map();

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
  const ready = await begin(job);
  if (!ready) return;
  const { settings, visen } = ready;
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
        if (cancelAsked(job.id)) visen.cancel(job.id);
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
  await end(job);
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
export async function jobPreview({ jobId, from }) {
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
  await end(job);
}

// A page action: reads the page into the action's prompt once (a retry
// goes on with the same prompt, even though the page now holds part of
// the answer), asks before sending a page cut short for the model, makes
// the sub-page of a translation once, then runs like any page job.
async function runAction(job) {
  const settings = await settingsFor(job);
  if (!settings) return;
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
    if (cancelAsked(job.id)) {
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

// Starts a job with the runner of its kind.
export function startJob(job) {
  return start(job, { fill: runFill, action: runAction }[job.kind] ?? runJob);
}

// A job that was running when the browser closed is kept as interrupted,
// with its draft, so Retry can finish it.
export async function recoverInterrupted() {
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

