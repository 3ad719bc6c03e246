// The background's handlers with a fake extension API and a fake engine:
// what each message starts, what the engine is asked, what the history
// keeps, and that no secret reaches the console.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SECRET, API_KEY, PAGE, bench, until, settled } from './bench.fake.js';
import { MSG } from '../shared/messages.js';
import { getJob, saveJob } from '../shared/jobs.js';
import { useEngine } from './engine.js';
import { handlers, onMessage } from './handlers.js';
import { recoverInterrupted } from './run.js';
import { running } from './running.js';

const b = bench();

const send = (type, payload = {}) => handlers[type]({ type, ...payload });
const enginePayload = (name) => b.engine.sent(name);

test('Inspect target asks the engine with the saved token', async () => {
  await send(MSG.INSPECT_TARGET, { url: 'https://www.notion.so/Plan-1', dataSourceId: 'ds-1' });
  assert.deepEqual(enginePayload('inspectTarget'), { url: 'https://www.notion.so/Plan-1', notionSecret: SECRET, dataSourceId: 'ds-1' });
});

test('Retry resumes a failed job from its snapshot, and refuses a finished one', async () => {
  const snapshot = { phase: 'writing', written: ['b1'], sums: ['s'], sizes: [1], blocks: 1, requests: 1 };
  await saveJob({ id: 'job-1', kind: 'page', target: PAGE, prompt: 'P', after: '', status: 'failed', markdown: 'One.\n\nTwo.\n', snapshot, createdAt: 1 });
  await saveJob({ id: 'job-2', kind: 'page', target: { ...PAGE, id: 'page-2' }, prompt: 'P', status: 'done', markdown: '', createdAt: 2 });
  assert.equal((await send(MSG.RETRY, { jobId: 'job-2' })).error.code, 'finished');
  assert.equal((await send(MSG.RETRY, { jobId: 'nope' })).error.code, 'invalid');
  assert.equal((await send(MSG.RETRY, { jobId: 'job-1' })).ok, true);
  await settled('job-1', 'done');
  assert.deepEqual(enginePayload('generate').snapshot, { ...snapshot, markdown: 'One.\n\nTwo.\n' });
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

test('the listener answers the extension’s own pages only, and an engine that cannot start in a sentence', async () => {
  const replies = [];
  assert.equal(onMessage({ type: MSG.HEALTH }, { id: 'another-extension' }, (r) => replies.push(r)), false);
  assert.equal(onMessage({ type: 'visen/unknown' }, { id: 'visen-id' }, (r) => replies.push(r)), false);
  assert.equal(onMessage({ type: MSG.HEALTH }, { id: 'visen-id' }, (r) => replies.push(r)), true);
  await until(() => replies.length === 1);
  assert.deepEqual(replies[0], { ok: true, data: { historyError: null } });
  useEngine(Promise.reject(new Error(`could not compile for ${SECRET}`)));
  assert.equal(onMessage({ type: MSG.INSPECT_TARGET, url: 'x' }, { id: 'visen-id' }, (r) => replies.push(r)), true);
  await until(() => replies.length === 2);
  assert.deepEqual(replies[1], { ok: false, error: { code: 'internal', message: 'Visen’s engine could not start. Reload the extension and try again.' } });
  assert.ok(b.logged.every((l) => !l.includes(SECRET)));
});
