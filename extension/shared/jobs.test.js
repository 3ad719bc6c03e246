// Job history storage: one key per job, saves in order, the draft stored
// once, a byte cap, migration of the old single-array history, and row
// outputs that go with their run.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

// The fake extension API, its writes taking a random while, as a busy
// browser's do; a test can make it refuse writes.
import { area, faults, resetExt } from './ext.fake.js';

const pause = () => new Promise((r) => setTimeout(r, Math.random() * 5));
const { saveJob, loadJobs, deleteJob, getJob, rowOutputs, resumePoint, changedJobs, HISTORY_BYTES, JOB_SCHEMA } = await import('./jobs.js');

beforeEach(() => {
  resetExt();
  faults.pause = pause;
});

const job = (id, extra = {}) => ({ id, kind: 'page', target: { id: 'page-1' }, prompt: 'p', status: 'done', markdown: '', createdAt: Number(id.replace(/\D/g, '')) || 1, ...extra });

test('the draft is stored once, with the schema version, and put back to resume', async () => {
  const draft = 'Hello, world.\n\n'.repeat(100);
  const plan = { blocks: 7, requests: [{ children: [{ type: 'paragraph', paragraph: { rich_text: [{ text: { content: draft } }] } }] }] };
  await saveJob(job('j1', { status: 'failed', markdown: draft, snapshot: { phase: 'failed', markdown: draft, written: ['a'], sums: ['x'], batch: { plan, state: { next: 1, ids: [['a']] }, sums: ['y'] } } }));
  const [stored] = await loadJobs();
  assert.equal(stored.v, JOB_SCHEMA);
  assert.equal(stored.markdown, draft);
  assert.equal(stored.snapshot.markdown, undefined);
  assert.deepEqual(stored.snapshot.batch, { state: { next: 1, ids: [['a']] }, plan: { blocks: 7, requests: [] } });
  assert.equal(JSON.stringify(stored).split('Hello, world.').length - 1, 100, 'the draft appears once');
  assert.equal(resumePoint(stored).markdown, draft);
  assert.deepEqual(resumePoint(stored).written, ['a']);
});

test('saves of one job land in the order made, so a finished job never comes back as running', async () => {
  for (let round = 0; round < 20; round++) {
    area.clear();
    const saves = [];
    for (const status of ['starting', 'generating', 'writing', 'writing', 'done']) {
      saves.push(saveJob(job('j1', { status })));
    }
    await Promise.all(saves);
    assert.equal((await getJob('j1')).status, 'done');
  }
});

test('two jobs saving at once, and a delete meanwhile, lose no write', async () => {
  await saveJob(job('old1'));
  const work = [];
  for (let i = 0; i < 10; i++) {
    work.push(saveJob(job('a2', { status: 'writing', blocks: i })));
    work.push(saveJob(job('b3', { status: 'writing', blocks: i })));
  }
  work.push(deleteJob('old1'));
  await Promise.all(work);
  const jobs = await loadJobs();
  assert.deepEqual(jobs.map((j) => [j.id, j.blocks]), [['b3', 9], ['a2', 9]]);
});

test('the history is capped by bytes, oldest finished first, never a running job', async () => {
  const big = 'x'.repeat(700 * 1024);
  await saveJob(job('j1', { status: 'writing', markdown: big }));
  for (let i = 2; i <= 8; i++) {
    await saveJob(job(`j${i}`, { markdown: big }));
  }
  const jobs = await loadJobs();
  const bytes = [...area].reduce((n, [k, v]) => n + k.length + JSON.stringify(v).length, 0);
  assert.ok(bytes <= HISTORY_BYTES, `${bytes} bytes kept`);
  assert.ok(jobs.some((j) => j.id === 'j1'), 'the running job is kept');
  assert.deepEqual(jobs.map((j) => j.id).slice(0, 3), ['j8', 'j7', 'j6'], 'the newest are kept');
  assert.ok(!jobs.some((j) => j.id === 'j2'), 'the oldest finished one went first');
});

test('a refused save rejects, for the background to tell the person', async () => {
  faults.refuse = 'QUOTA_BYTES quota exceeded';
  await assert.rejects(saveJob(job('j1')), /quota/);
  faults.refuse = null;
  await saveJob(job('j2'));
  assert.equal((await loadJobs()).length, 1, 'the next save goes through');
});

test('a history stored as one array is moved to one key per job', async () => {
  area.set('jobs', [job('j2', { snapshot: { markdown: 'draft', written: [] }, markdown: 'draft' }), job('j1')]);
  area.set('rowOutputs', { r1: ['b1'] });
  const jobs = await loadJobs();
  assert.deepEqual(jobs.map((j) => j.id), ['j2', 'j1']);
  assert.equal(jobs[0].snapshot.markdown, undefined);
  assert.ok(!area.has('jobs') && !area.has('rowOutputs'));
  assert.ok(area.has('job:j1') && area.has('job:j2'));
});

test('row outputs come from the newest finished run over the database', async () => {
  const rows = (blocks) => ({ rows: [{ id: 'r1', status: 'written', blocks }, { id: 'r2', status: 'failed' }] });
  await saveJob(job('f1', { kind: 'fill', target: { id: 'db' }, run: rows(['old']) }));
  await saveJob(job('f2', { kind: 'fill', target: { id: 'db' }, run: rows(['new']) }));
  await saveJob(job('f3', { kind: 'fill', target: { id: 'other' }, run: rows(['elsewhere']) }));
  assert.deepEqual(await rowOutputs('db', 'f9'), { r1: ['new'] });
  assert.deepEqual(await rowOutputs('db', 'f2'), { r1: ['old'] });
  await deleteJob('f1');
  await deleteJob('f2');
  assert.deepEqual(await rowOutputs('db', 'f9'), {}, 'a run’s outputs go with the run');
});

test('changedJobs reads job changes and ignores the rest', () => {
  assert.equal(changedJobs({ settings: { newValue: {} } }), null);
  const got = changedJobs({ 'job:a': { newValue: job('a1') }, 'job:b': { newValue: job('b2') }, 'job:c': { oldValue: job('c3') } });
  assert.deepEqual(got.map((j) => j.id), ['b2', 'a1']);
});
