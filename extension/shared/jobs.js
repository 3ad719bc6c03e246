// Job history in storage.local: every generation with its target, prompt,
// status and draft, newest first. The background writes it as jobs run; the
// popup reads it and follows changes, so closing the popup never matters.

import { ext } from './ext.js';

const KEY = 'jobs';

/** At most this many jobs are kept; the oldest go first. */
export const HISTORY_LIMIT = 30;

/** Statuses of a job that is still running. */
export const RUNNING = new Set(['starting', 'generating', 'writing']);

/** All jobs, newest first. */
export async function loadJobs() {
  const got = await ext.storage.local.get(KEY);
  return Array.isArray(got[KEY]) ? got[KEY] : [];
}

/** The newest job for a Notion page or database id, if any. */
export async function latestJobFor(targetId) {
  return (await loadJobs()).find((j) => j.target?.id === targetId) ?? null;
}

/** Inserts or replaces a job, keeping the history within its limit. */
export async function saveJob(job) {
  const jobs = (await loadJobs()).filter((j) => j.id !== job.id);
  jobs.unshift(job);
  await ext.storage.local.set({ [KEY]: jobs.slice(0, HISTORY_LIMIT) });
}

/** Removes a job from the history. */
export async function deleteJob(id) {
  const jobs = (await loadJobs()).filter((j) => j.id !== id);
  await ext.storage.local.set({ [KEY]: jobs });
}

/** Finds one job. */
export async function getJob(id) {
  return (await loadJobs()).find((j) => j.id === id) ?? null;
}
