// Page jobs: an answer written into the open page, or into a new page of
// a database, as the model streams it, and the page job a page action runs
// as. Each is saved to the history as it goes, and the popup's preview gets
// its settled blocks once each.
import { failure, reply } from '../shared/messages.js';
import { getJob, onlyAnswers, resumePoint } from '../shared/jobs.js';
import { call } from './engine.js';
import { persistSoon } from './history.js';
import { begin, cancelAsked, end, failed, running, start, writing } from './running.js';

/**
 * Starts a page job (the popup's Generate): the prompt's answer written
 * into the page after the block `after`, or into a new page of the
 * database when `newPage` is set.
 */
export async function generate({ target, prompt, after, newPage }) {
  const text = String(prompt ?? '').trim();
  if (!target?.id || !text) {
    return failure('invalid', 'Write a prompt first.');
  }
  const busy = !newPage && busyWriting(target.id);
  if (busy) return busy;
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
  return reply(start(job, runPage));
}

/**
 * The refusal of a job that would write into a page another job is
 * writing into now, or null (an answer to a question writes nothing).
 */
export function busyWriting(pageId) {
  const writing = [...running.values()].some((e) => e.job.target.id === pageId && !onlyAnswers(e.job));
  return writing ? failure('busy', 'Visen is already writing into this page. Wait for it to finish, or cancel it.') : null;
}

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

/**
 * Runs a page job: the engine writes the answer into the page as it
 * streams, or keeps it for the popup (an Ask); a resumed job goes on from
 * its snapshot.
 */
export async function runPage(job) {
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
    const result = JSON.parse(
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
    const snap = result.data;
    if (snap) Object.assign(job, progressOf({ ...snap, markdown: '' }), { markdown: snap.markdown });
    if (result.ok) {
      job.status = 'done';
      job.snapshot = null;
      job.error = null;
      if (job.kind === 'action') settled(job, snap);
    } else {
      failed(job, result.error);
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

/**
 * A job's settled blocks from index `from`, and the Markdown after them
 * (the popup's preview). A running job's come from memory; any other job's
 * text is converted once, whole.
 */
export async function jobPreview({ jobId, from }) {
  const first = Math.max(0, Math.trunc(Number(from)) || 0);
  const live = previews.get(String(jobId));
  if (live) {
    return reply({ from: first, blocks: live.blocks.slice(first), tail: live.job.markdown.slice(live.tailFrom) });
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
