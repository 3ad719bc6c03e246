// The jobs running now: registered at once, ready the same way whatever
// their kind, heard by Cancel in every phase, and ended the same way, even
// when their runner throws.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';

import { API_KEY, PAGE, SECRET, bench, fakeEngine, settled, until } from './bench.fake.js';
import { area, fakeExt } from '../shared/ext.fake.js';
import { getJob } from '../shared/jobs.js';
import { useEngine } from './engine.js';
import { begin, cancel, end, failed, running, start, writing } from './running.js';

const b = bench();

let n = 0;
const newJob = () => ({ id: `job-${++n}`, kind: 'page', target: PAGE, prompt: 'P', status: 'starting', markdown: '', createdAt: n });

// A runner as the page and fill runners are: it gets ready, waits for
// `gate`, and ends as done.
function runner(gate = Promise.resolve()) {
  const r = {
    ready: undefined,
    async run(job) {
      r.ready = await begin(job);
      if (!r.ready) return;
      await gate;
      job.status = 'done';
      await end(job);
    },
  };
  return r;
}

test('a job is running from the moment it starts, and its id is the answer', async () => {
  const job = newJob();
  const r = runner();
  assert.deepEqual(start(job, r.run), { jobId: job.id });
  assert.equal(running.get(job.id).job, job);
  const saved = await settled(job.id, 'done');
  assert.equal(typeof saved.finishedAt, 'number');
  assert.equal(r.ready.visen, b.engine);
  assert.equal(r.ready.settings.apiKey, API_KEY);
});

test('a runner that throws leaves its job failed in a sentence, and the stack in the console as an error', async () => {
  const job = newJob();
  start(job, async () => {
    throw new Error('the runner broke');
  });
  const saved = await settled(job.id, 'failed');
  assert.deepEqual(saved.error, { code: 'internal', message: 'Visen’s engine stopped unexpectedly. Your text is kept; press Retry.' });
  await until(() => b.logged.length > 0, 'the cause logged');
  assert.match(b.logged[0], new RegExp(`^Visen: job ${job.id} stopped unexpectedly: Error: the runner broke`));
  assert.equal(console.error.mock.callCount(), 1);
});

test('a job with Visen not set up ends as failed, before anything is asked', async () => {
  area.clear();
  const job = newJob();
  const r = runner();
  start(job, r.run);
  const saved = await settled(job.id, 'failed');
  assert.equal(r.ready, null);
  assert.equal(saved.error.code, 'not_configured');
  assert.deepEqual(b.engine.calls, []);
});

test('a Cancel before the engine has started stops the job there', async () => {
  let ready;
  useEngine(new Promise((r) => (ready = r)));
  const job = newJob();
  const r = runner();
  start(job, r.run);
  const engine = fakeEngine();
  engine.cancel = () => false;
  const cancelled = cancel({ jobId: job.id });
  ready(engine);
  assert.deepEqual(await cancelled, { ok: true, data: { cancelled: true } }, 'the job heard it, though the engine did not know it');
  const saved = await settled(job.id, 'cancelled');
  assert.equal(r.ready, null);
  assert.deepEqual(saved.error, { code: 'cancelled', message: 'Stopped before anything was written.' });
  assert.equal(typeof saved.finishedAt, 'number');
});

test('a Cancel of a job that is not running is what the engine says', async () => {
  b.engine.cancel = (id) => {
    b.engine.cancelled.push(id);
    return false;
  };
  assert.deepEqual(await cancel({ jobId: 'gone' }), { ok: true, data: { cancelled: false } });
  assert.deepEqual(b.engine.cancelled, ['gone']);
});

test('the worker is kept awake while a job runs, and may sleep once it ended', async (t) => {
  mock.timers.enable({ apis: ['setInterval'] });
  t.after(() => mock.timers.reset());
  const calls = mock.method(fakeExt.runtime, 'getPlatformInfo', async () => ({}));
  let release;
  const job = newJob();
  const r = runner(new Promise((resolve) => (release = resolve)));
  start(job, r.run);
  await until(() => r.ready, 'the job ready');
  mock.timers.tick(20_000);
  assert.equal(calls.mock.callCount(), 1);
  release();
  await settled(job.id, 'done');
  mock.timers.tick(60_000);
  assert.equal(calls.mock.callCount(), 1);
});

test('a failure’s cause goes to the console, not into the job; a cancelled one is cancelled', async () => {
  const job = newJob();
  failed(job, { code: 'provider', message: 'The model refused.', cause: `429 for ${SECRET}` });
  assert.equal(job.status, 'failed');
  assert.deepEqual(job.error, { code: 'provider', message: 'The model refused.' });
  await until(() => b.logged.length > 0, 'the cause logged');
  assert.deepEqual(b.logged, [`Visen: job ${job.id} stopped with provider: 429 for [secret]`]);
  failed(job, { code: 'cancelled', message: 'Stopped.' });
  assert.equal(job.status, 'cancelled');
});

test('what every job tells the engine: the connection and how the model writes', () => {
  const sent = writing({ notionSecret: SECRET, provider: 'openai', apiKey: API_KEY, model: 'gpt-5-mini', temperature: 0.3, maxTokens: 500, instructions: 'Be brief.' });
  assert.equal(sent.notionSecret, SECRET);
  assert.equal(sent.baseUrl, 'https://api.openai.com/v1');
  assert.deepEqual([sent.model, sent.temperature, sent.maxTokens, sent.instructions], ['gpt-5-mini', 0.3, 500, 'Be brief.']);
});

test('an ended job is saved with when it ended, and is no longer running', async () => {
  const job = newJob();
  running.set(job.id, { job });
  job.status = 'done';
  await end(job);
  assert.equal(running.has(job.id), false);
  assert.equal((await getJob(job.id)).status, 'done');
});
