// The handlers: one for every message the popup sends and none for any
// other, each asking the engine with the right token; the listener serves
// the extension's own pages only.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { SECRET, bench, until } from './bench.fake.js';
import { faults } from '../shared/ext.fake.js';
import { MSG } from '../shared/messages.js';
import { useEngine } from './engine.js';
import { handlers, onMessage } from './handlers.js';
import { save } from './history.js';

const b = bench();

const send = (type, payload = {}) => handlers[type]({ type, ...payload });

test('every message the popup sends has its handler, and no handler waits for a message never sent', () => {
  assert.deepEqual(Object.keys(handlers).sort(), Object.values(MSG).sort());
});

test('Inspect target asks the engine with the saved token', async () => {
  await send(MSG.INSPECT_TARGET, { url: 'https://www.notion.so/Plan-1', dataSourceId: 'ds-1' });
  assert.deepEqual(b.engine.sent('inspectTarget'), { url: 'https://www.notion.so/Plan-1', notionSecret: SECRET, dataSourceId: 'ds-1' });
});

test('Test connection and the model list ask with the settings in hand, saved or not', async () => {
  const unsaved = { notionSecret: SECRET, provider: 'openai', apiKey: 'sk-not-saved-yet', model: 'gpt-5' };
  b.engine.answers.listModels = { ok: true, data: { models: ['gpt-5'] } };
  assert.deepEqual(await send(MSG.LIST_MODELS, { settings: unsaved }), { ok: true, data: { models: ['gpt-5'] } });
  await send(MSG.TEST_CONNECTION, { settings: unsaved });
  await send(MSG.CHECK_NOTION, { settings: unsaved });
  assert.deepEqual(b.engine.calls.map(([name, p]) => [name, p.apiKey]), [['listModels', 'sk-not-saved-yet'], ['testConnection', 'sk-not-saved-yet'], ['checkNotion', 'sk-not-saved-yet']]);
});

test('the rows of a database and a row’s prompt are asked for with the saved token', async () => {
  const target = { kind: 'database', id: 'db-1', dataSourceId: 'ds-1', properties: [{ name: 'Name', type: 'title' }] };
  await send(MSG.QUERY_ROWS, { target, query: { search: 'x' } });
  await send(MSG.PREVIEW_ROW, { target, template: 'About {{Name}}', row: { id: 'r1' } });
  assert.deepEqual(b.engine.sent('queryRows'), { notionSecret: SECRET, databaseId: 'db-1', dataSourceId: 'ds-1', properties: target.properties, query: { search: 'x' } });
  assert.deepEqual(b.engine.sent('previewRow'), { notionSecret: SECRET, properties: target.properties, template: 'About {{Name}}', row: { id: 'r1' } });
});

test('Health tells why the history could not be saved', async () => {
  faults.refuse = 'QUOTA_BYTES quota exceeded';
  await save({ id: 'job-1', kind: 'page', target: { id: 'p' }, status: 'done', createdAt: 1 });
  assert.match((await send(MSG.HEALTH)).data.historyError, /storage for Visen is full/);
  faults.refuse = null;
  await save({ id: 'job-1', kind: 'page', target: { id: 'p' }, status: 'done', createdAt: 1 });
  assert.deepEqual(await send(MSG.HEALTH), { ok: true, data: { historyError: null } });
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
