// Running jobs: a page job, a page action and a run over database rows,
// each saved to the history as it goes, resumed by Retry and marked as
// interrupted when the browser closed under it.
import { RUNNING, loadJobs } from '../shared/jobs.js';
import { call } from './engine.js';
import { persistSoon, save } from './history.js';
import { runFill } from './fill.js';
import { runPage } from './page.js';
import { cancelAsked, end, failed, running, settingsFor, start } from './running.js';

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
  return runPage(job);
}

// Starts a job with the runner of its kind.
export function startJob(job) {
  return start(job, { fill: runFill, action: runAction }[job.kind] ?? runPage);
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

