// What follows a finished improvement: what each of Replace, Undo, Keep
// both and Discard moves to or out of the trash, what the history keeps,
// and what is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SECRET, PAGE, bench } from './bench.fake.js';
import { getJob, saveJob } from '../shared/jobs.js';
import { discard, keepBoth, replace, undo } from './improvement.js';

const b = bench();

const improved = (extra = {}) => ({
  id: 'job-i', kind: 'action', target: PAGE, action: { kind: 'improve' }, prompt: 'Improve', status: 'done', markdown: '',
  plan: { prompt: '', selectionIds: ['old-1', 'old-2'] }, written: ['new-1'], createdAt: 1, ...extra,
});

test('Replace trashes the originals of an improvement, and Undo brings them back and trashes the new version', async () => {
  await saveJob(improved());
  assert.deepEqual(await replace({ jobId: 'job-i' }), { ok: true, data: {} });
  assert.deepEqual(b.engine.calls, [['trashBlocks', { notionSecret: SECRET, ids: ['old-1', 'old-2'] }]]);
  assert.equal((await getJob('job-i')).replaced, true);
  b.engine.calls = [];
  assert.deepEqual(await undo({ jobId: 'job-i' }), { ok: true, data: {} });
  assert.deepEqual(b.engine.calls, [
    ['restoreBlocks', { notionSecret: SECRET, ids: ['old-1', 'old-2'] }],
    ['trashBlocks', { notionSecret: SECRET, ids: ['new-1'] }],
  ]);
  const after = await getJob('job-i');
  assert.equal(after.replaced, false);
  assert.equal(after.undone, true);
  assert.equal((await undo({ jobId: 'job-i' })).error.code, 'finished');
  assert.equal((await replace({ jobId: 'nope' })).error.code, 'invalid');
});

test('Keep both keeps the new version beside the original, and moves nothing', async () => {
  await saveJob(improved());
  assert.deepEqual(await keepBoth({ jobId: 'job-i' }), { ok: true, data: {} });
  assert.deepEqual(b.engine.calls, []);
  assert.equal((await getJob('job-i')).kept, true);
});

test('Discard trashes the new version, and is refused once the original was replaced', async () => {
  await saveJob(improved());
  assert.deepEqual(await discard({ jobId: 'job-i' }), { ok: true, data: {} });
  assert.deepEqual(b.engine.calls, [['trashBlocks', { notionSecret: SECRET, ids: ['new-1'] }]]);
  const after = await getJob('job-i');
  assert.equal(after.undone, true);
  assert.equal(after.discarded, true);
  await saveJob(improved({ id: 'job-r', replaced: true }));
  assert.deepEqual(await discard({ jobId: 'job-r' }), { ok: false, error: { code: 'invalid', message: 'The original was replaced: Undo brings it back.' } });
});

test('an Undo that fails half-way leaves both versions, and says why', async () => {
  await saveJob(improved({ replaced: true }));
  const refused = { ok: false, error: { code: 'notion', message: 'Notion refused the change.' } };
  b.engine.answers.trashBlocks = refused;
  assert.deepEqual(await undo({ jobId: 'job-i' }), refused);
  const after = await getJob('job-i');
  assert.equal(after.replaced, false, 'the originals are back');
  assert.equal(after.undone, undefined, 'the new version is still there');
});

test('only a finished improvement has follow-ups', async () => {
  await saveJob(improved({ id: 'job-run', status: 'writing' }));
  await saveJob({ ...improved({ id: 'job-sum' }), action: { kind: 'summarize' } });
  for (const jobId of ['job-run', 'job-sum', 'nope']) {
    assert.deepEqual(await keepBoth({ jobId }), { ok: false, error: { code: 'invalid', message: 'This is not a finished improvement.' } });
  }
});
