// The background's test bench: the fake extension API, a fake engine, the
// settings saved, the console captured, and ways to wait for a job. A test
// imports it before the modules it tests, as it installs the fake API.
import { beforeEach, afterEach, mock } from 'node:test';
import { resetExt } from '../shared/ext.fake.js';
import { saveSettings } from '../shared/storage.js';
import { getJob } from '../shared/jobs.js';
import { useEngine } from './engine.js';
import { running } from './running.js';

export const SECRET = 'ntn_' + 'a1'.repeat(23);
export const API_KEY = 'sk-test-' + 'k9'.repeat(12);
export const PAGE = { kind: 'page', id: 'page-1', title: 'Plan' };

/**
 * A fake engine: `calls` records every call as [name, payload]; `answers`
 * gives each named call's reply (or a function of its payload); generate
 * and fill send the updates a test queues, then settle with `final`, after
 * the release that hold() returns if a test held them.
 */
export function fakeEngine() {
  const e = {
    calls: [],
    answers: {},
    updates: [],
    final: { ok: true, data: { markdown: '' } },
    gate: null,
    cancelled: [],
    release: () => {},
    /** Holds generate and fill back until the function it returns is called. */
    hold() {
      e.gate = new Promise((r) => (e.release = r));
      return e.release;
    },
    async call(name, json) {
      e.calls.push([name, JSON.parse(json)]);
      const answer = e.answers[name] ?? { ok: true, data: {} };
      return JSON.stringify(typeof answer === 'function' ? answer(JSON.parse(json)) : answer);
    },
    generate: (json, onUpdate) => e.stream('generate', json, onUpdate),
    fill: (json, onUpdate) => e.stream('fill', json, onUpdate),
    async stream(name, json, onUpdate) {
      e.calls.push([name, JSON.parse(json)]);
      for (const u of e.updates) onUpdate(JSON.stringify(u));
      if (e.gate) await e.gate;
      return JSON.stringify(e.final);
    },
    cancel(jobId) {
      e.cancelled.push(jobId);
      return true;
    },
    /** The payload of the first call named `name`, or undefined. */
    sent(name) {
      return e.calls.find(([n]) => n === name)?.[1];
    },
  };
  return e;
}

/**
 * Sets up every test of the file: empty storage, Visen set up, a new fake
 * engine, the console captured; after each, every job has ended. Returns
 * the bench, whose `engine` and `logged` (the console's lines) are the
 * running test's.
 */
export function bench() {
  const b = { engine: fakeEngine(), logged: [] };
  beforeEach(async () => {
    resetExt();
    b.engine = fakeEngine();
    useEngine(Promise.resolve(b.engine));
    await saveSettings({ notionSecret: SECRET, provider: 'openai', apiKey: API_KEY, model: 'gpt-5-mini' });
    b.logged = [];
    for (const level of ['info', 'error', 'warn', 'log']) {
      mock.method(console, level, (...args) => b.logged.push(args.join(' ')));
    }
  });
  afterEach(async () => {
    // A test that failed while it held the engine lets its jobs end.
    b.engine.release();
    await until(() => running.size === 0, 'every job ended');
    mock.restoreAll();
  });
  return b;
}

/** Waits until check() holds, checking as the event loop turns. */
export async function until(check, what = 'the condition') {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`${what} never held`);
}

/** Waits for a job to reach a status in the history and stop running, and returns it. */
export async function settled(jobId, status) {
  let job;
  await until(async () => (job = await getJob(jobId))?.status === status && !running.has(jobId), `job ${status}`);
  return job;
}
