// Page jobs: what Generate asks the engine, what a job keeps of the
// answer as it streams, what the popup's preview gets, and what is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SECRET, API_KEY, PAGE, bench, fakeEngine, until, settled } from './bench.fake.js';
import { useEngine } from './engine.js';
import { generate, jobPreview } from './page.js';
import { cancel, running } from './running.js';

const b = bench();

test('Generate refuses an empty prompt, and starts nothing', async () => {
  const r = await generate({ target: PAGE, prompt: '   ' });
  assert.deepEqual(r, { ok: false, error: { code: 'invalid', message: 'Write a prompt first.' } });
  assert.equal(running.size, 0);
});

test('Generate runs a job with the settings, keeps its text and finishes it in the history', async () => {
  b.engine.updates = [
    { phase: 'generating', text: '# Title\n', from: 0, tailFrom: 0, onPage: 0, requests: 0 },
    { phase: 'writing', text: 'Body.\n', from: 0, tailFrom: 9, onPage: 2, requests: 1, anchored: true, anchor: 'block-9' },
  ];
  b.engine.final = { ok: true, data: { phase: 'done', markdown: '# Title\nBody.\n', blocks: 2, requests: 1 } };
  const r = await generate({ target: PAGE, prompt: 'Write a plan', after: 'block-3' });
  assert.equal(r.ok, true);
  const job = await settled(r.data.jobId, 'done');
  const sent = b.engine.sent('generate');
  assert.equal(sent.pageId, 'page-1');
  assert.equal(sent.prompt, 'Write a plan');
  assert.equal(sent.after, 'block-3');
  assert.equal(sent.notionSecret, SECRET);
  assert.equal(sent.apiKey, API_KEY);
  assert.equal(sent.model, 'gpt-5-mini');
  assert.equal(job.markdown, '# Title\nBody.\n');
  assert.equal(job.anchor, 'block-9');
  assert.equal(job.error, null);
});

test('Generate pressed while the engine is still starting is taken, and runs once it has started', async () => {
  let started;
  useEngine(new Promise((resolve) => (started = resolve)));
  const r = await generate({ target: PAGE, prompt: 'Write before the engine is up' });
  assert.equal(r.ok, true, 'not refused');
  assert.equal(running.size, 1);
  const engine = fakeEngine();
  engine.final = { ok: true, data: { phase: 'done', markdown: 'Done.\n', blocks: 1, requests: 1 } };
  started(engine);
  const job = await settled(r.data.jobId, 'done');
  assert.equal(engine.sent('generate').prompt, 'Write before the engine is up');
  assert.equal(job.markdown, 'Done.\n');
  useEngine(Promise.resolve(b.engine));
});

test('a second Generate into a page being written is refused', async () => {
  const release = b.engine.hold();
  const first = await generate({ target: PAGE, prompt: 'One' });
  await until(() => b.engine.sent('generate'));
  const second = await generate({ target: PAGE, prompt: 'Two' });
  assert.equal(second.error.code, 'busy');
  release();
  await settled(first.data.jobId, 'done');
});

test('Cancel stops a running job through the engine', async () => {
  const release = b.engine.hold();
  b.engine.final = { ok: false, error: { code: 'cancelled', message: 'Stopped.' } };
  const { data } = await generate({ target: PAGE, prompt: 'Long' });
  await until(() => b.engine.sent('generate'));
  const r = await cancel({ jobId: data.jobId });
  assert.deepEqual(r, { ok: true, data: { cancelled: true } });
  assert.deepEqual(b.engine.cancelled, [data.jobId]);
  release();
  const job = await settled(data.jobId, 'cancelled');
  assert.equal(job.error.message, 'Stopped.');
});

test('a failed job keeps its sentence, and its cause goes to the console without secrets', async () => {
  b.engine.final = {
    ok: false,
    error: { code: 'notion', message: 'Notion refused the secret.', cause: `401 from Notion for Bearer ${SECRET}, key ${API_KEY}` },
  };
  const { data } = await generate({ target: PAGE, prompt: 'Fails' });
  const job = await settled(data.jobId, 'failed');
  assert.deepEqual(job.error, { code: 'notion', message: 'Notion refused the secret.' });
  await until(() => b.logged.some((l) => l.includes('401 from Notion')), 'the cause logged');
  const line = b.logged.find((l) => l.includes('401 from Notion'));
  assert.equal(line, `Visen: job ${data.jobId} stopped with notion: 401 from Notion for Bearer [secret], key [secret]`);
  assert.ok(b.logged.every((l) => !l.includes(SECRET) && !l.includes(API_KEY)), 'no secret in the console');
});

test('a new page of a database is written with its title and values, and a page being written does not stop it', async () => {
  const release = b.engine.hold();
  const db = { kind: 'database', id: 'db-1', dataSourceId: 'ds-1', properties: [{ name: 'Name', type: 'title' }] };
  const first = await generate({ target: db, prompt: 'One' });
  assert.equal(first.ok, true);
  await until(() => b.engine.sent('generate'));
  b.engine.final = { ok: true, data: { phase: 'done', markdown: 'Hi.\n', pageId: 'new-page-1', title: 'Plans', blocks: 1, requests: 2 } };
  const r = await generate({ target: db, prompt: 'Two', newPage: { title: 'Plans', values: { Status: 'Done' } } });
  assert.equal(r.ok, true, 'a new page is never busy');
  release();
  const job = await settled(r.data.jobId, 'done');
  const sent = b.engine.calls.filter(([n]) => n === 'generate')[1][1];
  assert.equal(sent.pageId, '');
  assert.deepEqual(sent.newPage, { databaseId: 'db-1', dataSourceId: 'ds-1', properties: db.properties, title: 'Plans', values: { Status: 'Done' } });
  assert.equal(job.kind, 'newPage');
  assert.deepEqual(job.page, { id: 'new-page-1', title: 'Plans', url: 'https://www.notion.so/newpage1' });
  await settled(first.data.jobId, 'done');
});

test('the preview of a running job gets each settled block once, then the text after them', async () => {
  const release = b.engine.hold();
  const heading = { type: 'heading_1', heading_1: { rich_text: [] } };
  const para = { type: 'paragraph', paragraph: { rich_text: [] } };
  b.engine.updates = [
    { phase: 'generating', text: '# Title\n\nOne', blocks: [heading], from: 0, tailFrom: 9, onPage: 0, requests: 0 },
    { phase: 'generating', text: ' two.\n\nThr', blocks: [para], from: 1, tailFrom: 19, onPage: 0, requests: 0 },
  ];
  const { data } = await generate({ target: PAGE, prompt: 'Write' });
  await until(() => b.engine.sent('generate'));
  assert.deepEqual(await jobPreview({ jobId: data.jobId, from: 0 }), { ok: true, data: { from: 0, blocks: [heading, para], tail: 'Thr' } });
  assert.deepEqual(await jobPreview({ jobId: data.jobId, from: 1 }), { ok: true, data: { from: 1, blocks: [para], tail: 'Thr' } });
  assert.deepEqual(await jobPreview({ jobId: data.jobId, from: 'x' }), { ok: true, data: { from: 0, blocks: [heading, para], tail: 'Thr' } });
  b.engine.final = { ok: true, data: { phase: 'done', markdown: '# Title\n\nOne two.\n\nThree.\n', blocks: 3, requests: 1 } };
  release();
  await settled(data.jobId, 'done');
  b.engine.answers.convert = ({ markdown }) => ({ ok: true, data: { blocks: [{ converted: markdown }] } });
  assert.deepEqual(await jobPreview({ jobId: data.jobId, from: 2 }), { ok: true, data: { from: 0, blocks: [{ converted: '# Title\n\nOne two.\n\nThree.\n' }], tail: '' } });
  assert.equal((await jobPreview({ jobId: 'gone' })).error.code, 'invalid');
});
