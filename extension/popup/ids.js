// The element ids the browser tests rely on, by view. The tests import this
// list: an id renamed here and in popup.html is renamed for them too, and
// one that is missing from popup.html fails the ids test at once.

export const IDS = Object.freeze({
  home: ['home', 'open-history', 'open-settings', 'target', 'target-icon', 'target-title', 'target-kind', 'state', 'connect-steps', 'setup', 'check-again', 'status', 'history-error'],
  compose: ['compose', 'prompt', 'prompt-error', 'prompt-hint', 'templates-button', 'templates', 'templates-list', 'my-templates', 'my-templates-list', 'save-template', 'insert-at-box', 'insert-at', 'generate', 'last-run', 'last-run-view'],
  actions: ['action-bar', 'act-continue', 'act-summarize', 'act-translate', 'act-improve', 'act-ask', 'opt-summarize', 'summary-start', 'summary-end', 'opt-translate', 'languages', 'other-language', 'translate-other', 'translate-subpage', 'translate-below', 'opt-improve', 'action-error'],
  job: ['job', 'job-prompt', 'job-status', 'progress', 'preview', 'job-note', 'job-error', 'job-error-text', 'job-error-steps', 'job-written', 'cancel', 'fix', 'retry', 'copy', 'open-page', 'new-prompt', 'go-on', 'insert', 'replace', 'keep-both', 'discard', 'try-again', 'undo'],
  history: ['history', 'history-list'],
  database: ['db', 'db-source-field', 'db-source', 'tab-new', 'tab-fill', 'new-page', 'np-prompt', 'np-prompt-error', 'np-title', 'np-props-box', 'np-props', 'np-generate', 'fill', 'fill-template', 'fill-template-error', 'placeholders', 'more-placeholders', 'fill-preview', 'row-search', 'row-filter-prop', 'row-filter-choice', 'row-filter-text', 'select-all', 'rows', 'rows-state', 'rows-more', 'out-body', 'out-replace', 'out-property', 'out-property-name', 'fill-run'],
  run: ['run', 'run-prompt', 'run-status', 'run-progress', 'run-counts', 'run-rows', 'run-error', 'run-cancel', 'run-resume', 'run-new'],
  settings: ['settings', 'back', 'welcome', 'welcome-start', 'step-notion', 'step-ai', 'step-notion-summary', 'step-ai-summary', 'change-notion', 'change-ai', 'notion-secret', 'toggle-secret', 'open-tokens', 'integration-help', 'open-integrations', 'provider', 'api-key', 'toggle-key', 'model', 'model-list', 'model-count', 'load-models', 'advanced', 'base-url', 'temperature', 'max-tokens', 'concurrency', 'instructions', 'save', 'settings-status', 'clear', 'clear-confirm', 'clear-cancel'],
});

/** The CSS selector of an element by its id: `sel.prompt` is "#prompt". */
export const sel = new Proxy({}, {
  get(_, name) {
    const id = String(name).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    if (!Object.values(IDS).some((list) => list.includes(id))) throw new Error(`ids.js lists no #${id}`);
    return `#${id}`;
  },
});
