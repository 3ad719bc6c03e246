// Job history in storage.local: every generation with its target, prompt,
// status and draft. The background writes it as jobs run; the popup reads it
// and follows changes, so closing the popup never matters.
//
// Each job has its own key, so saving one job never rewrites another, and a
// delete in the popup cannot lose a save in the background. Within one
// context, saves of a job go through one queue, in order, so an older save
// can never land after a newer one. The history is capped by bytes, oldest
// first, and each draft is stored once: in `markdown`, never again in the
// snapshot.

import { ext } from './ext.js';

const PREFIX = 'job:';

/** The version of a stored job record; older records are migrated on load. */
export const JOB_SCHEMA = 2;

/** The most bytes the whole history may take; the oldest finished jobs go first. */
export const HISTORY_BYTES = 3 * 1024 * 1024;

/** Statuses of a job that is still running. */
export const RUNNING = new Set(['starting', 'reading', 'generating', 'writing']);

/**
 * Whether a job only answers a question in the popup and writes nothing:
 * an Ask whose answer was not inserted.
 */
export function onlyAnswers(job) {
  return job.kind === 'action' && job.action?.kind === 'ask' && !job.insert;
}

// The history before schema 2: one array of every job under one key, and
// row outputs under another.
const LEGACY_KEY = 'jobs';
const LEGACY_ROW_OUTPUTS = 'rowOutputs';

const keyOf = (id) => PREFIX + id;

// storage.local counts a key's size as its name plus its value's JSON.
const sizeOf = (key, value) => key.length + JSON.stringify(value).length;

/**
 * The record stored for a job: the draft once, in `markdown`; of the write
 * under way only its resume point and size, as the engine finds that
 * write's blocks in the page on resume rather than trusting a plan.
 */
export function stored(job) {
  const record = { ...job, v: JOB_SCHEMA };
  if (job.snapshot) {
    const { markdown: _draft, batch, ...snapshot } = job.snapshot;
    if (batch) {
      snapshot.batch = { state: batch.state ?? null, plan: { blocks: batch.plan?.blocks ?? 0, requests: [] } };
    }
    record.snapshot = snapshot;
  }
  return record;
}

/** The snapshot to resume a stored job from, with its draft put back. */
export function resumePoint(job) {
  return job.snapshot ? { ...job.snapshot, markdown: job.markdown ?? '' } : null;
}

/**
 * Jobs from a storage.onChanged change set, newest first, or null when no
 * job changed.
 */
export function changedJobs(changes) {
  const keys = Object.keys(changes).filter((k) => k.startsWith(PREFIX));
  if (keys.length === 0) return null;
  return keys.map((k) => changes[k].newValue).filter(Boolean).sort(newestFirst);
}

const newestFirst = (a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0);

// Moves a history stored before schema 2 to one key per job.
async function migrate(all) {
  const legacy = all[LEGACY_KEY];
  if (!Array.isArray(legacy) && !(LEGACY_ROW_OUTPUTS in all)) return;
  const moved = {};
  for (const job of Array.isArray(legacy) ? legacy : []) {
    if (job?.id && !all[keyOf(job.id)]) {
      moved[keyOf(job.id)] = stored(job);
      all[keyOf(job.id)] = moved[keyOf(job.id)];
    }
  }
  await ext.storage.local.set(moved);
  await ext.storage.local.remove([LEGACY_KEY, LEGACY_ROW_OUTPUTS]);
  delete all[LEGACY_KEY];
}

/** All jobs, newest first. */
export async function loadJobs() {
  const all = await ext.storage.local.get(null);
  await migrate(all);
  return Object.keys(all)
    .filter((k) => k.startsWith(PREFIX))
    .map((k) => all[k])
    .filter((j) => j && typeof j === 'object' && typeof j.id === 'string')
    .sort(newestFirst);
}

/** The newest job for a Notion page or database id, if any. */
export async function latestJobFor(targetId) {
  return (await loadJobs()).find((j) => j.target?.id === targetId) ?? null;
}

/** Finds one job. */
export async function getJob(id) {
  const key = keyOf(id);
  const got = await ext.storage.local.get(key);
  return got[key] ?? (await loadJobs()).find((j) => j.id === id) ?? null;
}

// The last save queued for each job in this context.
const queues = new Map();

/**
 * Inserts or replaces a job, after the saves of it queued before, and makes
 * room by removing the oldest finished jobs past the byte cap. It rejects
 * when storage refuses the write (a full quota, say).
 */
export function saveJob(job) {
  const record = stored(job);
  const before = queues.get(job.id) ?? Promise.resolve();
  const save = before.catch(() => {}).then(() => write(record));
  queues.set(job.id, save);
  save.finally(() => {
    if (queues.get(job.id) === save) queues.delete(job.id);
  }).catch(() => {});
  return save;
}

async function write(record) {
  const key = keyOf(record.id);
  const others = (await loadJobs()).filter((j) => j.id !== record.id);
  let total = sizeOf(key, record) + others.reduce((n, j) => n + sizeOf(keyOf(j.id), j), 0);
  const drop = [];
  for (const old of others.reverse()) {
    if (total <= HISTORY_BYTES) break;
    if (RUNNING.has(old.status)) continue;
    drop.push(keyOf(old.id));
    total -= sizeOf(keyOf(old.id), old);
  }
  if (drop.length) await ext.storage.local.remove(drop);
  await ext.storage.local.set({ [key]: record });
}

/** Removes a job from the history. */
export async function deleteJob(id) {
  await ext.storage.local.remove(keyOf(id));
}

/**
 * The blocks Visen last wrote into each row's body, by row id, from the
 * finished runs over a database still in the history: a run's outputs go
 * with the run.
 */
export async function rowOutputs(databaseId, exceptJobId) {
  const outputs = {};
  for (const job of await loadJobs()) {
    if (job.kind !== 'fill' || job.target?.id !== databaseId || job.id === exceptJobId) continue;
    for (const row of job.run?.rows ?? []) {
      if (row.status === 'written' && row.blocks?.length && !outputs[row.id]) outputs[row.id] = row.blocks;
    }
  }
  return outputs;
}
