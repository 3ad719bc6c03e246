// Page actions: what each asks the engine, in what order, what the history
// calls it, and what is refused; an Ask's answer inserted once.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SECRET, PAGE, bench, settled, until } from './bench.fake.js';
import { insertAnswer, pageAction } from './actions.js';
import { retry } from './recovery.js';
import { cancel, running } from './running.js';

const b = bench();

const PLAN = { prompt: 'Do it: …', used: { blocks: 3, total: 3 }, selectionIds: [], after: '', position: 'end', existing: [] };

test('a page action reads the page once, makes a translation’s sub-page, then writes there', async () => {
  b.engine.answers.actionPrompt = { ok: true, data: { prompt: 'Translate: …', used: { blocks: 3, total: 3 }, selectionIds: [], after: '', position: 'end', existing: [] } };
  b.engine.answers.createSubpage = { ok: true, data: { id: 'sub-1', url: 'https://www.notion.so/sub1', title: 'French' } };
  const r = await pageAction({ target: PAGE, action: { kind: 'translate', language: 'French', where: 'subpage' } });
  assert.equal(r.data.prompt, 'Translate into French');
  const job = await settled(r.data.jobId, 'done');
  assert.equal(b.engine.sent('actionPrompt').action.kind, 'translate');
  assert.deepEqual(b.engine.sent('createSubpage'), { notionSecret: SECRET, parentPageId: 'page-1', title: 'French', existing: [], asked: false });
  assert.equal(b.engine.sent('generate').pageId, 'sub-1');
  assert.equal(b.engine.sent('generate').prompt, 'Translate: …');
  assert.equal(job.plan.prompt, '', 'the page is not kept once the model answered');
});

test('a page action refuses what it cannot do', async () => {
  assert.equal((await pageAction({ target: PAGE, action: { kind: 'dance' } })).error.code, 'invalid');
  assert.equal((await pageAction({ target: { ...PAGE, kind: 'database' }, action: { kind: 'summarize' } })).error.code, 'invalid');
  assert.deepEqual(await pageAction({ target: PAGE, action: { kind: 'ask', instruction: ' ' } }), {
    ok: false,
    error: { code: 'invalid', message: 'Type your question first.' },
  });
});

test('a page cut short for the model waits for the person, and Retry goes on', async () => {
  b.engine.answers.actionPrompt = { ok: true, data: { prompt: 'Summarize: …', used: { blocks: 2, total: 9 }, selectionIds: [], after: '', position: 'end' } };
  const { data } = await pageAction({ target: PAGE, action: { kind: 'summarize' } });
  await settled(data.jobId, 'confirm');
  assert.equal(b.engine.sent('generate'), undefined, 'nothing sent to the model yet');
  const r = await retry({ jobId: data.jobId });
  assert.equal(r.ok, true);
  await settled(data.jobId, 'done');
  assert.equal(b.engine.sent('generate').prompt, 'Summarize: …');
  assert.equal(b.engine.calls.filter(([n]) => n === 'actionPrompt').length, 1, 'the page is read once');
});

test('an asked question’s answer is inserted once', async () => {
  b.engine.answers.actionPrompt = { ok: true, data: { prompt: 'Q', used: { blocks: 1, total: 1 }, selectionIds: [], after: '', position: 'end' } };
  b.engine.final = { ok: true, data: { markdown: 'The answer.\n' } };
  const { data } = await pageAction({ target: PAGE, action: { kind: 'ask', instruction: 'Why?' } });
  const asked = await settled(data.jobId, 'done');
  assert.equal(asked.answer, 'The answer.\n');
  assert.equal(b.engine.sent('generate').answerOnly, true);
  b.engine.calls = [];
  const r = await insertAnswer({ jobId: data.jobId, after: 'block-2' });
  assert.equal(r.ok, true);
  await settled(data.jobId, 'done');
  assert.equal(b.engine.sent('generate').markdown, 'The answer.\n');
  assert.equal(b.engine.sent('generate').after, 'block-2');
  assert.equal((await insertAnswer({ jobId: data.jobId })).error.code, 'finished');
});

test('the history calls each action by its words and choices', async () => {
  b.engine.answers.actionPrompt = { ok: true, data: PLAN };
  const words = async (action) => {
    const r = await pageAction({ target: { ...PAGE, id: `page-${Math.random()}` }, action });
    await settled(r.data.jobId, 'done');
    return r.data.prompt;
  };
  assert.equal(await words({ kind: 'continue' }), 'Continue writing');
  assert.equal(await words({ kind: 'continue', instruction: ' with examples ' }), 'Continue writing: with examples');
  assert.equal(await words({ kind: 'summarize', position: 'start' }), 'Summarize, at the top');
  assert.equal(await words({ kind: 'summarize' }), 'Summarize, at the end');
  assert.equal(await words({ kind: 'improve', style: 'shorter' }), 'Make shorter');
  assert.equal(await words({ kind: 'improve', style: 'tone', tone: ' formal ' }), 'Change the tone to formal');
  assert.equal(await words({ kind: 'improve' }), 'Improve the selection');
  assert.equal(await words({ kind: 'ask', instruction: 'Why?' }), 'Why?');
});

test('what the page is read with: the action, the selection and the cursor', async () => {
  b.engine.answers.actionPrompt = { ok: true, data: { ...PLAN, after: 'block-5', position: 'start', parent: 'block-1' } };
  const r = await pageAction({ target: PAGE, action: { kind: 'improve', style: 'fix', where: 'nowhere' }, selection: ['s1', 2], cursor: 'block-5' });
  await settled(r.data.jobId, 'done');
  assert.deepEqual(b.engine.sent('actionPrompt'), {
    notionSecret: SECRET,
    pageId: 'page-1',
    model: 'gpt-5-mini',
    action: { kind: 'improve', instruction: '', language: '', style: 'fix', tone: '', position: 'end', selection: ['s1', '2'], upTo: 'block-5' },
  });
  const sent = b.engine.sent('generate');
  assert.deepEqual([sent.pageId, sent.after, sent.parentKnown, sent.atStart], ['block-1', 'block-5', true, true]);
});

test('a page that could not be read ends the action with what went wrong, and nothing is sent to the model', async () => {
  b.engine.answers.actionPrompt = { ok: false, error: { code: 'notion', message: 'Notion could not find the page.' } };
  const { data } = await pageAction({ target: PAGE, action: { kind: 'summarize' } });
  const job = await settled(data.jobId, 'failed');
  assert.deepEqual(job.error, { code: 'notion', message: 'Notion could not find the page.' });
  assert.equal(b.engine.sent('generate'), undefined);
});

test('a Cancel while the page is read stops the action before anything is written', async () => {
  b.engine.answers.actionPrompt = () => {
    for (const jobId of running.keys()) cancel({ jobId });
    return { ok: true, data: PLAN };
  };
  const { data } = await pageAction({ target: PAGE, action: { kind: 'continue' } });
  const job = await settled(data.jobId, 'cancelled');
  assert.deepEqual(job.error, { code: 'cancelled', message: 'Stopped before anything was written.' });
  assert.equal(b.engine.sent('generate'), undefined);
});

test('a question can be asked while the page is written; an action that writes cannot', async () => {
  const release = b.engine.hold();
  b.engine.answers.actionPrompt = { ok: true, data: PLAN };
  const writing = await pageAction({ target: PAGE, action: { kind: 'continue' } });
  await until(() => b.engine.sent('generate'));
  assert.equal((await pageAction({ target: PAGE, action: { kind: 'summarize' } })).error.code, 'busy');
  const asked = await pageAction({ target: PAGE, action: { kind: 'ask', instruction: 'What is this?' } });
  assert.equal(asked.ok, true);
  release();
  await settled(writing.data.jobId, 'done');
  await settled(asked.data.jobId, 'done');
});
