// Fill: what a run over ticked rows asks the engine, what it keeps of each
// row's progress, and what it refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { API_KEY, bench, settled, until } from './bench.fake.js';
import { saveJob } from '../shared/jobs.js';
import { fill } from './fill.js';
import { cancel } from './running.js';

const b = bench();

const DB = { kind: 'database', id: 'db-1', dataSourceId: 'ds-1', properties: [{ name: 'Name', type: 'title' }] };
const TEMPLATE = 'Write about {{Name}}';

test('Fill runs the template over the ticked rows and keeps each row’s progress', async () => {
  b.engine.updates = [{ rows: [{ id: 'r1', title: 'One', status: 'writing' }], requests: 1 }];
  b.engine.final = { ok: true, data: { rows: [{ id: 'r1', title: 'One', status: 'written' }], requests: 3 } };
  const { data } = await fill({ target: DB, template: TEMPLATE, rows: [{ id: 'r1', title: 'One' }], output: {} });
  const job = await settled(data.jobId, 'done');
  const sent = b.engine.sent('fill');
  assert.equal(sent.template, TEMPLATE);
  assert.equal(sent.dataSourceId, 'ds-1');
  assert.deepEqual(sent.run.rows, [{ id: 'r1', title: 'One', url: '', status: 'waiting' }]);
  assert.equal(sent.apiKey, API_KEY);
  assert.deepEqual(job.run, { rows: [{ id: 'r1', title: 'One', status: 'written' }], requests: 3 });
  assert.equal(job.error, null);
});

test('Fill refuses a run with no template or no rows', async () => {
  assert.equal((await fill({ target: DB, template: TEMPLATE, rows: [] })).error.code, 'invalid');
  assert.equal((await fill({ target: DB, template: '  ', rows: [{ id: 'r1' }] })).error.code, 'invalid');
  assert.equal((await fill({ template: TEMPLATE, rows: [{ id: 'r1' }] })).error.code, 'invalid');
  assert.deepEqual(b.engine.calls, []);
});

test('a second run over the same database is refused while the first runs, and Cancel reaches the engine', async () => {
  const release = b.engine.hold();
  b.engine.updates = [{ rows: [{ id: 'r1', status: 'generating' }], requests: 0 }];
  b.engine.final = { ok: false, error: { code: 'cancelled', message: 'Stopped.' }, data: { rows: [{ id: 'r1', status: 'waiting' }], requests: 0 } };
  const first = await fill({ target: DB, template: TEMPLATE, rows: [{ id: 'r1' }] });
  await until(() => b.engine.sent('fill'));
  const second = await fill({ target: DB, template: TEMPLATE, rows: [{ id: 'r2' }] });
  assert.equal(second.error.code, 'busy');
  assert.equal((await fill({ target: { ...DB, id: 'db-2' }, template: TEMPLATE, rows: [{ id: 'r3' }] })).ok, true, 'another database is not busy');
  await cancel({ jobId: first.data.jobId });
  release();
  const job = await settled(first.data.jobId, 'cancelled');
  assert.deepEqual(job.run.rows, [{ id: 'r1', status: 'waiting' }]);
  assert.ok(b.engine.cancelled.includes(first.data.jobId));
});

test('what Visen wrote in the rows last time goes with the run, for Replace to remove', async () => {
  await saveJob({ id: 'old', kind: 'fill', target: DB, prompt: TEMPLATE, status: 'done', createdAt: 1, run: { rows: [{ id: 'r1', status: 'written', blocks: ['b1', 'b2'] }, { id: 'r9', status: 'written', blocks: ['b9'] }] } });
  const { data } = await fill({ target: DB, template: TEMPLATE, rows: [{ id: 'r1' }, { id: 'r2' }], output: { replace: true } });
  await settled(data.jobId, 'done');
  assert.deepEqual(b.engine.sent('fill').previous, { r1: ['b1', 'b2'] });
  assert.deepEqual(b.engine.sent('fill').output, { replace: true });
});
