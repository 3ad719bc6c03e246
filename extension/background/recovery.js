// Recovery: a job that the browser closed under is kept as interrupted
// when the background starts again, and Retry resumes a job that stopped,
// whatever stopped it, from where it was.
import { failure, reply } from '../shared/messages.js';
import { RUNNING, getJob, loadJobs, onlyAnswers } from '../shared/jobs.js';
import { save } from './history.js';
import { runAction } from './actions.js';
import { runFill } from './fill.js';
import { runPage } from './page.js';
import { running, start } from './running.js';

/**
 * Keeps each job that was running when the browser closed as interrupted,
 * with its draft, so Retry can finish it.
 */
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

// The runner of each kind of job; a page job's is the default.
const RUNNERS = { fill: runFill, action: runAction };

/**
 * Resumes a job that stopped (the popup's Retry): a page job from its
 * snapshot, a Fill run over the rows not yet written, a page action that
 * waited for the person's yes.
 */
export async function retry({ jobId }) {
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
  return reply(start(job, RUNNERS[job.kind] ?? runPage));
}
