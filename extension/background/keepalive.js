// Keeping the background awake: a long generation must not let the worker
// be stopped as idle, so an extension API call every 20 s keeps it awake
// while a job runs.
import { ext } from '../shared/ext.js';

let keepAlive = null;

/** Keeps the background awake until maySleep lets it sleep. */
export function stayAwake() {
  keepAlive ??= setInterval(() => ext.runtime.getPlatformInfo(), 20_000);
}

/** Lets the background sleep again once no job is running (`busy` is false). */
export function maySleep(busy) {
  if (!busy && keepAlive) {
    clearInterval(keepAlive);
    keepAlive = null;
  }
}
