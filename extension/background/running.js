// The jobs running now, whatever their kind: each is registered before
// anything is awaited, so a second job for the same page is refused and a
// Cancel is heard in every phase; each gets ready the same way (begin) and
// ends the same way (end), and a job that throws is kept as failed.
import { loadSettings, isConfigured } from '../shared/storage.js';
import { allowLocalOrigin, connection, engineReady } from './engine.js';
import { dropPending, persistSoon, save } from './history.js';
import { maySleep, stayAwake } from './keepalive.js';
import { logCause } from './log.js';

/**
 * Running jobs by id: `{job, cancel}`, the record, and whether Cancel was
 * asked for (before the engine knew the job, the flag is what stops it).
 */
export const running = new Map();

/**
 * Starts a job with `run(job)`, the runner of its kind, and answers with
 * its id at once: the job's progress is in the history.
 */
export function start(job, run) {
  running.set(job.id, { job });
  run(job).catch(async (err) => {
    logCause(`job ${job.id} stopped unexpectedly`, err?.stack ?? err, true);
    job.status = 'failed';
    job.error = { code: 'internal', message: 'Visen’s engine stopped unexpectedly. Your text is kept; press Retry.' };
    finish(job);
    await save(job);
  });
  return { jobId: job.id };
}

/** Whether Cancel was asked for a running job. */
export function cancelAsked(jobId) {
  return Boolean(running.get(jobId)?.cancel);
}

/**
 * Cancels a job (the popup's Cancel): heard in every phase, as before the
 * engine has the job the flag stops it, and after, the engine does.
 */
export async function cancel({ jobId }) {
  const entry = running.get(String(jobId));
  if (entry) entry.cancel = true;
  const visen = await engineReady();
  return { ok: true, data: { cancelled: visen.cancel(String(jobId)) || Boolean(entry) } };
}

// Ends a job's time in memory: its last save is queued after every other.
function finish(job) {
  dropPending(job.id);
  running.delete(job.id);
  maySleep(running.size > 0);
}

/** Ends a job: when it ended, its last save, and its time in memory. */
export async function end(job) {
  job.finishedAt = Date.now();
  await persistSoon(job, true);
  finish(job);
}

/**
 * The settings a job runs with, or null once the job has ended, failed for
 * want of them (Visen is not set up).
 */
export async function settingsFor(job) {
  const settings = await loadSettings();
  if (isConfigured(settings)) return settings;
  job.status = 'failed';
  job.error = { code: 'not_configured', message: 'Visen is not set up yet. Open Settings and add your Notion token and AI key.' };
  await save(job);
  finish(job);
  return null;
}

/**
 * Gets a job ready to run: its settings, the rule a local Ollama needs, and
 * the engine, kept awake while the job runs; null once the job has ended
 * instead (Visen not set up, or a Cancel that came before the engine had
 * the job).
 */
export async function begin(job) {
  const settings = await settingsFor(job);
  if (!settings) return null;
  await allowLocalOrigin(settings);
  const visen = await engineReady();
  if (cancelAsked(job.id)) {
    job.status = 'cancelled';
    job.error = { code: 'cancelled', message: 'Stopped before anything was written.' };
    await end(job);
    return null;
  }
  stayAwake();
  return { settings, visen };
}

/** What every job sends the engine: the connection and how the model writes. */
export function writing(settings) {
  return {
    ...connection(settings),
    model: settings.model,
    temperature: settings.temperature,
    maxTokens: settings.maxTokens,
    instructions: settings.instructions,
  };
}

/**
 * Marks a job as failed, or cancelled, with the engine's error: its cause
 * goes to the console and stays out of the job, which the popup shows and
 * storage keeps.
 */
export function failed(job, error) {
  const { cause, ...shown } = error;
  logCause(`job ${job.id} stopped with ${shown.code}`, cause, shown.code === 'internal');
  job.status = shown.code === 'cancelled' ? 'cancelled' : 'failed';
  job.error = shown;
}
