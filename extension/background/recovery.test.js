// Recovery: the jobs the browser closed under kept as interrupted, and
// Retry resuming each kind of job from where it stopped.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { PAGE, bench, settled, until } from './bench.fake.js';
import { getJob, saveJob } from '../shared/jobs.js';
import { generate } from './page.js';
import { recoverInterrupted, retry } from './recovery.js';

const b = bench();

test('Retry resumes a failed job from its snapshot, and refuses a finished one', async () => {
  const snapshot = { phase: 'writing', written: ['b1'], sums: ['s'], sizes: [1], blocks: 1, requests: 1 };
  await saveJob({ id: 'job-1', kind: 'page', target: PAGE, prompt: 'P', after: '', status: 'failed', markdown: 'One.\n\nTwo.\n', snapshot, createdAt: 1 });
  await saveJob({ id: 'job-2', kind: 'page', target: { ...PAGE, id: 'page-2' }, prompt: 'P', status: 'done', markdown: '', createdAt: 2 });
  assert.equal((await retry({ jobId: 'job-2' })).error.code, 'finished');
  assert.equal((await retry({ jobId: 'nope' })).error.code, 'invalid');
  assert.equal((await retry({ jobId: 'job-1' })).ok, true);
  await settled('job-1', 'done');
  assert.deepEqual(b.engine.sent('generate').snapshot, { ...snapshot, markdown: 'One.\n\nTwo.\n' });
});

test('a job the browser closed under is kept as interrupted, its rows waiting again', async () => {
  await saveJob({ id: 'job-w', kind: 'page', target: PAGE, prompt: 'P', status: 'writing', markdown: 'Half', createdAt: 1 });
  await saveJob({ id: 'job-f', kind: 'fill', target: { id: 'db' }, prompt: 'T', status: 'generating', run: { rows: [{ id: 'r', status: 'writing' }, { id: 's', status: 'written' }] }, createdAt: 2 });
  await recoverInterrupted();
  const page = await getJob('job-w');
  assert.equal(page.status, 'failed');
  assert.equal(page.error.code, 'interrupted');
  assert.equal(page.markdown, 'Half');
  const fill = await getJob('job-f');
  assert.deepEqual(fill.run.rows.map((r) => r.status), ['waiting', 'written']);
});

test('a job still running here is not taken for one the browser closed under, nor retried', async () => {
  const release = b.engine.hold();
  const { data } = await generate({ target: PAGE, prompt: 'Long' });
  await until(() => b.engine.sent('generate'));
  await recoverInterrupted();
  assert.equal((await getJob(data.jobId)).status, 'starting');
  assert.equal((await retry({ jobId: data.jobId })).error.code, 'invalid');
  release();
  await settled(data.jobId, 'done');
});

test('a finished Fill run can be retried, and runs as a Fill run again', async () => {
  const run = { rows: [{ id: 'r1', status: 'written' }, { id: 'r2', status: 'failed' }], requests: 2 };
  await saveJob({ id: 'job-f', kind: 'fill', target: { kind: 'database', id: 'db-1' }, prompt: 'T', status: 'done', run, createdAt: 1 });
  b.engine.final = { ok: true, data: { rows: [{ id: 'r1', status: 'written' }, { id: 'r2', status: 'written' }], requests: 3 } };
  assert.equal((await retry({ jobId: 'job-f' })).ok, true);
  const job = await settled('job-f', 'done');
  assert.deepEqual(b.engine.sent('fill').run, run);
  assert.deepEqual(job.run.rows.map((r) => r.status), ['written', 'written']);
});

test('an answer to a question that did not finish is asked for again, whole', async () => {
  const plan = { prompt: 'Q', used: { blocks: 1, total: 1 }, selectionIds: [], after: '', position: 'end' };
  await saveJob({
    id: 'job-a', kind: 'action', target: PAGE, action: { kind: 'ask', instruction: 'Why?' }, prompt: 'Why?', plan,
    status: 'failed', markdown: 'Half an ans', snapshot: { phase: 'generating', blocks: 0, requests: 0 }, createdAt: 1,
  });
  b.engine.final = { ok: true, data: { markdown: 'A whole answer.\n' } };
  assert.equal((await retry({ jobId: 'job-a' })).ok, true);
  const job = await settled('job-a', 'done');
  assert.equal(b.engine.sent('generate').snapshot, null);
  assert.equal(job.answer, 'A whole answer.\n');
  assert.equal(b.engine.sent('actionPrompt'), undefined, 'the page is not read again');
});
