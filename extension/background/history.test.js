// The background's writes to the history: a save that fails tells the
// popup why and stops nothing, and a running job's saves are throttled.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';

import { PAGE, bench, until } from './bench.fake.js';
import { fakeExt, faults } from '../shared/ext.fake.js';
import { getJob } from '../shared/jobs.js';
import { dropPending, historyProblem, persistSoon, save } from './history.js';

const b = bench();

const job = (extra = {}) => ({ id: 'job-1', kind: 'page', target: PAGE, prompt: 'P', status: 'generating', markdown: '', createdAt: 1, ...extra });

// Records each job record storage.local is given, as [id, markdown].
function watchWrites() {
  const writes = [];
  const set = fakeExt.storage.local.set;
  mock.method(fakeExt.storage.local, 'set', (items) => {
    for (const [k, v] of Object.entries(items)) if (k.startsWith('job:')) writes.push([v.id, v.markdown]);
    return set(items);
  });
  return writes;
}

// Lets every promise and storage call that is ready settle, with the
// timers mocked.
const settle = () => new Promise((r) => setImmediate(r)).then(() => new Promise((r) => setImmediate(r)));

test('a saved job is in the history, and the history has no problem', async () => {
  await save(job({ markdown: 'Hello' }));
  assert.equal((await getJob('job-1')).markdown, 'Hello');
  assert.equal(historyProblem(), null);
});

test('a full storage is told in a sentence and logged, never thrown, until a save works again', async () => {
  faults.refuse = 'QUOTA_BYTES quota exceeded';
  await save(job());
  assert.match(historyProblem(), /storage for Visen is full.*delete old jobs in History/);
  await until(() => b.logged.length > 0, 'the cause logged');
  assert.deepEqual(b.logged, ['Visen: saving the history failed: QUOTA_BYTES quota exceeded']);
  faults.refuse = 'IO error';
  await save(job());
  assert.equal(historyProblem(), 'Visen could not save its history. Your page is written as normal, but the job may not show in History.');
  faults.refuse = null;
  await save(job());
  assert.equal(historyProblem(), null);
});

test('a running job is saved at most four times a second, with its latest record', async () => {
  const writes = watchWrites();
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const j = job();
    for (const text of ['a', 'ab', 'abc']) {
      await persistSoon({ ...j, markdown: text });
      await settle();
      assert.deepEqual(writes, [], 'nothing saved within 250 ms of the first');
      mock.timers.tick(100);
    }
    // 300 ms after the first: one save, of the latest record.
    await settle();
    assert.deepEqual(writes, [['job-1', 'abc']]);
    await persistSoon({ ...j, markdown: 'abcd' });
    mock.timers.tick(249);
    await settle();
    assert.equal(writes.length, 1);
    mock.timers.tick(1);
    await settle();
    assert.deepEqual(writes, [['job-1', 'abc'], ['job-1', 'abcd']]);
  } finally {
    mock.timers.reset();
  }
});

test('a forced save is made at once, and the save that was waiting is dropped', async () => {
  const writes = watchWrites();
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    persistSoon(job({ markdown: 'streaming' }));
    await persistSoon(job({ status: 'done', markdown: 'all' }), true);
    assert.deepEqual(writes, [['job-1', 'all']]);
    persistSoon(job({ id: 'job-2', markdown: 'two' }));
    dropPending('job-2');
    mock.timers.tick(1000);
    await settle();
    assert.deepEqual(writes, [['job-1', 'all']], 'no save after the forced one, none for a dropped one');
  } finally {
    mock.timers.reset();
  }
  assert.equal((await getJob('job-1')).status, 'done');
});
