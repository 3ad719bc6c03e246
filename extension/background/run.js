// Running jobs: a page job, a page action and a run over database rows,
// each saved to the history as it goes, resumed by Retry and marked as
// interrupted when the browser closed under it.
import { RUNNING, loadJobs } from '../shared/jobs.js';
import { save } from './history.js';
import { runAction } from './actions.js';
import { runFill } from './fill.js';
import { runPage } from './page.js';
import { running, start } from './running.js';

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

