// The background's answers to the popup: one map of named handlers, each
// message's work done by the module that owns it, and the runtime.onMessage
// listener that serves them to the extension's own pages only.
import { ext } from '../shared/ext.js';
import { MSG, failure, reply } from '../shared/messages.js';
import { call, connection, modelCall, notionCall } from './engine.js';
import { historyProblem } from './history.js';
import { generate, jobPreview } from './page.js';
import { insertAnswer, pageAction } from './actions.js';
import { discard, keepBoth, replace, undo } from './improvement.js';
import { fill } from './fill.js';
import { cancel } from './running.js';
import { retry } from './recovery.js';

/** The popup's messages, by name (shared/messages.js), each answered with a reply. */
export const handlers = {
  [MSG.TEST_CONNECTION]: ({ settings }) => modelCall('testConnection', settings),
  [MSG.CHECK_NOTION]: ({ settings }) => call('checkNotion', connection(settings)),
  [MSG.LIST_MODELS]: ({ settings }) => modelCall('listModels', settings),
  [MSG.INSPECT_TARGET]: ({ url, dataSourceId }) => notionCall('inspectTarget', { url: String(url ?? ''), dataSourceId: String(dataSourceId ?? '') }),
  [MSG.GENERATE]: generate,
  [MSG.JOB_PREVIEW]: jobPreview,
  [MSG.PAGE_ACTION]: pageAction,
  [MSG.INSERT_ANSWER]: insertAnswer,
  [MSG.REPLACE]: replace,
  [MSG.UNDO]: undo,
  [MSG.KEEP_BOTH]: keepBoth,
  [MSG.DISCARD]: discard,
  [MSG.QUERY_ROWS]: ({ target, query }) => notionCall('queryRows', { databaseId: target?.id, dataSourceId: target?.dataSourceId ?? '', properties: target?.properties ?? [], query: query ?? {} }),
  [MSG.PREVIEW_ROW]: ({ target, template, row }) => notionCall('previewRow', { properties: target?.properties ?? [], template: String(template ?? ''), row: row ?? null }),
  [MSG.FILL]: fill,
  [MSG.CANCEL]: cancel,
  [MSG.RETRY]: retry,
  [MSG.HEALTH]: async () => reply({ historyError: historyProblem() }),
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
