// Keeping the background awake: one call every 20 s while a job runs, and
// none once none does.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';

import { fakeExt } from '../shared/ext.fake.js';
import { maySleep, stayAwake } from './keepalive.js';

test('the background is kept awake with a call every 20 s, once however often it is asked, until no job runs', (t) => {
  mock.timers.enable({ apis: ['setInterval'] });
  t.after(() => mock.timers.reset());
  const calls = mock.method(fakeExt.runtime, 'getPlatformInfo', async () => ({ os: 'linux' }));
  stayAwake();
  stayAwake();
  mock.timers.tick(19_999);
  assert.equal(calls.mock.callCount(), 0);
  mock.timers.tick(1);
  assert.equal(calls.mock.callCount(), 1, 'one call, not one for each ask');
  maySleep(true);
  mock.timers.tick(40_000);
  assert.equal(calls.mock.callCount(), 3, 'still awake while a job runs');
  maySleep(false);
  mock.timers.tick(60_000);
  assert.equal(calls.mock.callCount(), 3, 'asleep once none runs');
  stayAwake();
  mock.timers.tick(20_000);
  assert.equal(calls.mock.callCount(), 4, 'awake again for the next job');
  maySleep(false);
});
