// The names of every message the popup sends to the background. Both sides
// import this one list so a typo is a load error, not a silent no-op.

/** Message types, popup → background. Each request is `{type, ...payload}`. */
export const MSG = Object.freeze({
  // {settings} → {notion: {ok, kind, botName, workspaceName, error?}, ai: {ok, modelCount, error?}}
  TEST_CONNECTION: 'visen/test-connection',
  // {settings} → {ok, kind: 'personal'|'integration', botName, workspaceName, error?}:
  // who the Notion token acts as, checked the moment it is pasted.
  CHECK_NOTION: 'visen/check-notion',
  // {url} → {kind: 'page'|'database', id, title, icon, url, blockId}
  INSPECT_TARGET: 'visen/inspect-target',
  // {settings} → {models: string[]}
  LIST_MODELS: 'visen/list-models',
  // {target, prompt, after, newPage?: {title, values}} → {jobId}; the job's
  // progress is in storage. With newPage, target is a database.
  GENERATE: 'visen/generate',
  // {jobId} → {cancelled}
  CANCEL: 'visen/cancel',
  // {jobId} → {jobId}; resumes a failed or cancelled job.
  RETRY: 'visen/retry',
  // {target, query: {search, property, value, cursor, pageSize}} → {rows, next}
  QUERY_ROWS: 'visen/query-rows',
  // {target, template, row} → {prompt, empty}; fails with the template's problems.
  PREVIEW_ROW: 'visen/preview-row',
  // {target, template, rows, query, output: {property?, replace?}} → {jobId}
  FILL: 'visen/fill',
  // {jobId, from} → {from, blocks, tail}: the answer's settled top-level
  // blocks from index `from`, as Notion's append API takes them, and the
  // Markdown not yet settled after them. A job that is not running answers
  // with all its blocks, from 0, and no tail.
  JOB_PREVIEW: 'visen/job-preview',
  // {target, action: {kind, instruction, language, where, style, tone,
  // position}, selection?: [blockId], cursor?: blockId} → {jobId}: a page
  // action (continue, summarize, translate, improve, ask) run as a job.
  PAGE_ACTION: 'visen/page-action',
  // {jobId, after} → {jobId}: writes an Ask job's answer into its page.
  INSERT_ANSWER: 'visen/insert-answer',
  // {jobId} → {}: moves the blocks an Improve job rewrote to the trash.
  REPLACE: 'visen/replace',
  // {jobId} → {}: takes an Improve job back: the originals return from the
  // trash and the new version goes to it.
  UNDO: 'visen/undo',
  // {jobId} → {}: keeps an Improve job's new version beside the original.
  KEEP_BOTH: 'visen/keep-both',
  // {jobId} → {}: moves an Improve job's new version to the trash, before
  // anything was replaced.
  DISCARD: 'visen/discard',
  // {} → {historyError: string|null}; a sentence for a person when the
  // history could not be saved (the job goes on all the same).
  HEALTH: 'visen/health',
});

/**
 * Every reply is `{ok: true, data}` or `{ok: false, error}` where error is
 * `{code, message, ...details}`; `message` is a sentence for a person.
 */
export function reply(data) {
  return { ok: true, data };
}

/** Builds the failure reply for an error code and a human message. */
export function failure(code, message, details = {}) {
  return { ok: false, error: { code, message, ...details } };
}
