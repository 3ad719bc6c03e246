// What follows a finished improvement: Replace moves the originals to the
// trash, Undo takes the improvement back, Keep both keeps both versions,
// and Discard moves the new version to the trash.
import { failure, reply } from '../shared/messages.js';
import { getJob } from '../shared/jobs.js';
import { notionCall } from './engine.js';
import { save } from './history.js';
import { running } from './running.js';

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

// A follow-up of a finished improvement, the handler of its message: act
// on the job, or answer why there is none.
const followUp = (act) => async ({ jobId }) => {
  const job = await improved(jobId);
  return job.ok ? act(job.data) : job;
};

// Marks the job and saves it.
async function mark(job, marks) {
  Object.assign(job, marks);
  await save(job);
  return reply({});
}

// Moves blocks to or out of the trash (the engine call `name`), and marks
// the job once they moved.
async function moveBlocks(job, name, ids, marks) {
  const moved = await notionCall(name, { ids });
  return moved.ok ? mark(job, marks) : moved;
}

/** Replace: the originals the improvement rewrote go to the trash. */
export const replace = followUp((job) => moveBlocks(job, 'trashBlocks', job.plan.selectionIds, { replaced: true }));

/** Undo: the originals come back from the trash, and the new version goes to it. */
export const undo = followUp(async (job) => {
  // The originals come back first: a failure half-way leaves both
  // versions in the page, never neither.
  if (job.replaced) {
    const restored = await moveBlocks(job, 'restoreBlocks', job.plan.selectionIds, { replaced: false });
    if (!restored.ok) return restored;
  }
  return moveBlocks(job, 'trashBlocks', job.written ?? [], { undone: true });
});

/** Keep both: the new version stays beside the original. */
export const keepBoth = followUp((job) => mark(job, { kept: true }));

/** Discard: the new version goes to the trash, before anything was replaced. */
export const discard = followUp((job) => {
  if (job.replaced) return failure('invalid', 'The original was replaced: Undo brings it back.');
  return moveBlocks(job, 'trashBlocks', job.written ?? [], { undone: true, discarded: true });
});
