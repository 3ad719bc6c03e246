// The background's writes to the history: a job saved as it runs, at most
// four times a second while its text streams in, and why the history could
// not be saved, for the popup. A failed save never stops a job: the page is
// written all the same.
import { saveJob } from '../shared/jobs.js';
import { logCause } from './log.js';

// Why the history could not be saved, for the popup, or null.
let historyError = null;

/** Why the history could not be saved, for the popup, or null. */
export function historyProblem() {
  return historyError;
}

/** Saves a job; a failure is kept for the popup and logged, never thrown. */
export async function save(job) {
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

// The saves waiting for their moment, by job id: the job's latest record
// and the timer that saves it.
const pending = new Map();

/**
 * Saves a running job soon: saving every token would thrash storage, so a
 * job is saved at most four times a second, with its latest record. With
 * `force` (its phase changed, or it ended) it is saved now, and the save
 * that was waiting is dropped.
 */
export function persistSoon(job, force = false) {
  if (force) {
    dropPending(job.id);
    return save(job);
  }
  const entry = pending.get(job.id);
  if (entry) {
    entry.job = job;
  } else {
    const next = { job, timer: setTimeout(() => {
      pending.delete(job.id);
      save(next.job);
    }, 250) };
    pending.set(job.id, next);
  }
  return Promise.resolve();
}

/** Drops a job's waiting save, if it has one. */
export function dropPending(jobId) {
  clearTimeout(pending.get(jobId)?.timer);
  pending.delete(jobId);
}
