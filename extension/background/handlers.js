// The background's answers to the popup: one map of named handlers, and
// the runtime.onMessage listener that serves them to the extension's own
// pages only.
import { ext } from '../shared/ext.js';
import { MSG, failure, reply } from '../shared/messages.js';
import { loadSettings } from '../shared/storage.js';
import { getJob, onlyAnswers } from '../shared/jobs.js';
import { allowLocalOrigin, call, connection } from './engine.js';
import { historyProblem, save } from './history.js';
import { startJob } from './run.js';
import { generate, jobPreview } from './page.js';
import { insertAnswer, pageAction } from './actions.js';
import { discard, keepBoth, replace, undo } from './improvement.js';
import { cancel, running } from './running.js';
import { fill } from './fill.js';

/** The popup's messages, by name, each answered with a reply. */
export const handlers = {
  [MSG.TEST_CONNECTION]: async ({ settings }) => {
    await allowLocalOrigin(settings);
    return call('testConnection', connection(settings));
  },
  [MSG.CHECK_NOTION]: ({ settings }) => call('checkNotion', connection(settings)),
  [MSG.LIST_MODELS]: async ({ settings }) => {
    await allowLocalOrigin(settings);
    return call('listModels', connection(settings));
  },
  [MSG.GENERATE]: generate,
  [MSG.PAGE_ACTION]: pageAction,
  [MSG.INSERT_ANSWER]: insertAnswer,
  [MSG.REPLACE]: replace,
  [MSG.UNDO]: undo,
  [MSG.KEEP_BOTH]: keepBoth,
  [MSG.DISCARD]: discard,
  [MSG.RETRY]: async ({ jobId }) => {
    const job = await getJob(String(jobId));
    if (!job || running.has(job.id)) {
      return failure('invalid', 'This job cannot be resumed.');
    }
    // A finished page job has written its answer: again would write it
    // twice. A finished run may have failed rows, and skips written ones.
    if (job.status === 'done' && job.kind !== 'fill') {
      return failure('finished', 'This job is finished: everything it wrote is in the page. Start a new one to write again.');
    }
    if (job.status === 'confirm') job.confirmed = true;
    if (onlyAnswers(job)) {
      // An answer that did not finish is asked for again, whole.
      job.snapshot = null;
      job.markdown = '';
    }
    job.status = 'starting';
    job.error = null;
    return { ok: true, data: startJob(job) };
  },
  [MSG.QUERY_ROWS]: async ({ target, query }) => {
    const settings = await loadSettings();
    return call('queryRows', { notionSecret: settings.notionSecret, databaseId: target?.id, dataSourceId: target?.dataSourceId ?? '', properties: target?.properties ?? [], query: query ?? {} });
  },
  [MSG.PREVIEW_ROW]: async ({ target, template, row }) => {
    const settings = await loadSettings();
    return call('previewRow', { notionSecret: settings.notionSecret, properties: target?.properties ?? [], template: String(template ?? ''), row: row ?? null });
  },
  [MSG.FILL]: fill,
  [MSG.JOB_PREVIEW]: jobPreview,
  [MSG.HEALTH]: async () => ({ ok: true, data: { historyError: historyProblem() } }),
  [MSG.INSPECT_TARGET]: async ({ url, dataSourceId }) => {
    const settings = await loadSettings();
    return call('inspectTarget', { url: String(url ?? ''), notionSecret: settings.notionSecret, dataSourceId: String(dataSourceId ?? '') });
  },
};

/**
 * Answers a runtime message from the extension's own pages with its
 * handler, as runtime.onMessage listeners do: true when the answer comes
 * later through sendResponse.
 */
export function onMessage(message, sender, sendResponse) {
  const handler = handlers[message?.type];
  if (!handler || sender.id !== ext.runtime.id) {
    return false;
  }
  handler(message).then(sendResponse, (err) => {
    // The error's text is from JavaScript or the engine loader, never from
    // user data, but it still stays out of the reply.
    console.error('Visen: %s failed: %s', message.type, err?.name ?? 'error');
    sendResponse(failure('internal', 'Visen’s engine could not start. Reload the extension and try again.'));
  });
  return true;
}
