// What the background writes to the console: a cause with every secret
// blanked out, as an error only when Visen did not expect it.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';

import { API_KEY, SECRET, bench } from './bench.fake.js';
import { fakeExt } from '../shared/ext.fake.js';
import { logCause } from './log.js';

const b = bench();

test('every secret the settings hold is blanked out of a cause', async () => {
  await logCause('the call failed', `Bearer ${SECRET} and x-api-key ${API_KEY}, again ${SECRET}`);
  assert.deepEqual(b.logged, ['Visen: the call failed: Bearer [secret] and x-api-key [secret], again [secret]']);
  assert.equal(console.info.mock.callCount(), 1);
});

test('only what Visen did not expect is an error', async () => {
  await logCause('the engine panicked', 'index out of range', true);
  assert.equal(console.error.mock.callCount(), 1);
  assert.equal(console.info.mock.callCount(), 0);
});

test('no cause, no line', async () => {
  await logCause('nothing', '');
  await logCause('nothing', undefined);
  assert.deepEqual(b.logged, []);
});

test('a cause that could not be checked for secrets is not written', async () => {
  mock.method(fakeExt.storage.local, 'get', async () => {
    throw new Error('storage is gone');
  });
  await logCause('the call failed', `Bearer ${SECRET}`);
  assert.deepEqual(b.logged, ['Visen: the call failed: (the cause could not be checked for secrets)']);
});
