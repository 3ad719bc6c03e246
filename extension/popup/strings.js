// Every sentence the popup's views show a person from its code, in one
// place so the wording can be read, and kept short, as a whole (the fixed
// labels are in popup.html beside their fields).
// Words the person wrote, the AI answered or Notion holds are passed in,
// never written here. One word for one thing: a row is "selected", a run
// "fills" rows, a job that was asked to end is "stopped".

/** Quotes a title as Notion shows it, or "Untitled". */
export const quoted = (title) => `“${title || 'Untitled'}”`;

const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The first sentence of a message, and the rest. */
export function splitMessage(message = '') {
  const text = String(message).trim();
  const at = text.search(/[.!?](\s|$)/);
  if (at < 0) return [text, ''];
  return [text.slice(0, at + 1), text.slice(at + 1).trim()];
}

/**
 * Whether the browser runs on a Mac, where the shortcut is ⌘ and not Ctrl.
 * `nav` is the browser's navigator.
 */
export function isMac(nav) {
  const platform = nav?.userAgentData?.platform ?? nav?.platform ?? '';
  return /mac/i.test(platform);
}

export const S = {
  background: {
    silent: 'Visen’s background did not answer. Reload the extension.',
    down: 'Visen’s background is not running. Reload the extension.',
  },
  home: {
    looking: 'Looking at this tab…',
    welcome: 'Visen writes with AI straight into your Notion pages. Set it up once with a Notion token and an AI key.',
    noTab: 'Open a Notion page or database, then click Visen again.',
    setUp: 'Set up Visen',
    settings: 'Settings',
    saved: 'Saved. Visen is ready.',
    openNow: (title) => `Visen can open ${quoted(title)} now.`,
    kindPage: 'Notion page',
    kindDatabase: 'Notion database',
    kindUnknown: 'Notion',
  },
  compose: {
    shortcut: (mac) => (mac ? '⌘+Enter to generate' : 'Ctrl+Enter to generate'),
    empty: 'Write what Visen should write first.',
    noCursor: 'There is no cursor in the page, so the answer goes at the end.',
    templateAdded: (name, hadText) => (hadText ? `“${name}” added in front of your text.` : `“${name}” added. Finish the sentence.`),
    templateEmpty: 'Write a prompt first, then save it as a template.',
    templateSaved: 'Template saved.',
    templateDeleted: (name) => `Template “${name}” deleted.`,
    rename: (name) => `Rename “${name}”`,
    remove: (name) => `Delete “${name}”`,
    templateName: 'Template name',
    lastRun: (word, when) => `Last: ${word} · ${when}`,
    viewLast: (word) => `View the last answer: ${word}`,
  },
  actions: {
    askEmpty: 'Type your question about this page above, then press Ask.',
    noLanguage: 'Type the language to translate into.',
    noSelection: 'Select the blocks to improve in the page first (drag across their text), then click Visen again.',
    noCursor: 'There is no cursor in the page, so Visen writes on from the end.',
  },
  templates: [
    { name: 'Blog post', prompt: 'Write a blog post about: ' },
    { name: 'Outline', prompt: 'Write a detailed outline, with headings and nested bullet points, for: ' },
    { name: 'Summary of a topic', prompt: 'Summarise the key facts, open questions and a short conclusion about: ' },
    { name: 'Meeting notes', prompt: 'Write meeting notes with attendees, agenda, decisions and action items (as to-dos with owners) for: ' },
    { name: 'Email draft', prompt: 'Draft a clear, friendly email about: ' },
  ],
  job: {
    asking: (ai) => `Asking ${ai}…`,
    writingInto: (page) => `Writing into ${page}…`,
    finishing: (page) => `Finishing ${page}…`,
    addedAfterCursor: (page) => `Added after your cursor in ${page}.`,
    addedAtEnd: (page) => `Added at the end of ${page}.`,
    stoppedIn: (page) => `Stopped. What was written stays in ${page}.`,
    stopped: 'Stopped.',
    newPageWriting: (page, db) => `Writing ${page} in ${db}…`,
    newPageCreated: (page, db) => `Created ${page} in ${db}.`,
    reading: (page) => `Reading ${page}…`,
    tooLong: (page, model) => `${page} is longer than ${model} can read at once.`,
    addingAnswer: (page) => `Adding the answer to ${page}…`,
    continuing: (page) => `Writing on in ${page}…`,
    summarizing: (page) => `Summarizing ${page}…`,
    translating: (page, language) => `Translating ${page} into ${language}…`,
    improving: 'Rewriting your selection…',
    answering: (page) => `Answering from ${page}…`,
    continuedAfterCursor: (page) => `Written on after your cursor in ${page}.`,
    continuedAtEnd: (page) => `Written on at the end of ${page}.`,
    summaryAt: (top, page) => `Added a summary at the ${top ? 'top' : 'end'} of ${page}.`,
    translatedSubpage: (language, page) => `Translated into ${language}, in a new page inside ${page}.`,
    translatedBelow: (language, page) => `Added the ${language} translation below the original in ${page}.`,
    improved: 'The new version is below your selection. Replace the original with it?',
    replaced: (page) => `Replaced your selection in ${page}.`,
    undone: 'Undone: your original is back.',
    kept: 'Both versions stay in the page.',
    discarded: 'Discarded. Your original is as it was.',
    answered: (page) => `Answered from ${page}.`,
    answerAfterCursor: (page) => `Added the answer after your cursor in ${page}.`,
    answerAtEnd: (page) => `Added the answer at the end of ${page}.`,
    readPart: (part, n, total) => `Visen read the ${part} ${n} of ${total} blocks: the rest is more than the model can take at once.`,
    confirmPart: (part, n, total) => `Visen can send the ${part} ${n} of its ${total} blocks. Send those, or choose a model that reads more in Settings.`,
    wrotePart: (page) => `What was written before it stopped stays in ${page}.`,
    wroteNothing: 'Nothing was written.',
    untitledNewPage: 'the new page',
    openNewPage: 'Open the new page',
    copied: 'Markdown copied.',
    replacedNote: 'Replaced. Undo brings your original back.',
    undoneNote: 'Undone.',
    fixSettings: 'Open Settings',
    fixIntegration: 'Open integrations',
    fixInNotion: 'Open in Notion',
    retried: (page) => `Trying again in ${page}…`,
  },
  history: {
    status: { starting: 'Starting', reading: 'Reading', generating: 'Writing', writing: 'Writing', confirm: 'Waiting for you', done: 'Done', cancelled: 'Stopped', failed: 'Did not finish' },
    question: 'question',
    fill: 'fill rows',
    newPage: 'new page',
    rows: (written, total) => `${written} of ${plural(total, 'row')} written`,
    retry: (prompt) => `Retry “${prompt.slice(0, 40)}”`,
    remove: (prompt) => `Delete “${prompt.slice(0, 40)}” from history`,
    deleted: 'Deleted from history.',
  },
  settings: {
    getKey: (provider) => `Get your ${provider} API key`,
    ollamaKey: 'Ollama needs no key. If it refuses Visen, Visen shows the command to restart it with.',
    customKey: 'Only if your server asks for one.',
    customBaseUrl: 'Your server’s OpenAI-compatible address, usually ending in /v1.',
    ownBaseUrl: 'Empty: the provider’s own address.',
    personal: (name) => `${name}, with a personal token`,
    inWorkspace: (name, workspace) => `${name} in ${workspace}`,
    models: (n, provider) => `${plural(n, 'model')} from ${provider}. Type to search.`,
    noModels: 'Type a model name, or load the list.',
    loadingModels: (provider) => `Loading models from ${provider}…`,
    allowFirst: (host) => `Visen may not reach ${host} until you choose Allow.`,
    allowAfterSave: (host) => `Saved, but Visen may not reach ${host} yet. Save again and choose Allow.`,
    thatAddress: 'that address',
    checking: (provider) => `Checking Notion and ${provider}…`,
    cleared: 'Everything Visen stored is cleared.',
    toggle: (shown, token) => `${shown ? 'Hide' : 'Show'} ${token ? 'token' : 'API key'}`,
    draftKept: 'Your unsaved changes are kept.',
  },
  db: {
    npEmpty: 'Write what the new page should say first.',
    noText: 'This database has no text property.',
    allRows: 'All rows',
    where: (name) => `Where ${name}…`,
    more: 'More…',
    insert: (name) => `Insert {{${name}}}`,
    checked: 'is checked',
    unchecked: 'is not checked',
    is: (o) => `is ${o}`,
    isEmpty: 'is empty',
    equals: 'equals',
    contains: 'contains',
    loading: 'Loading rows…',
    noMatch: 'No rows match.',
    noRows: 'This database has no rows yet.',
    selected: (n, matching) => `${n} of ${matching} selected.`,
    selectAllMatching: 'Select all matching rows',
    selectAll: (n) => `Select all ${n}`,
    allSelected: (n) => `${plural(n, 'row')} selected.`,
    promptFor: (title) => `Prompt for ${quoted(title)}`,
    prompt: 'Prompt',
    selectToPreview: 'Select a row to see the prompt it will get.',
    templateEmpty: 'Write a prompt for each row first.',
    selectFirst: 'Select the rows to fill first: click them, or use the arrow keys and Space.',
    fill: 'Fill rows',
    fillTo: (n, where) => `Fill ${plural(n, 'row')} → ${where}`,
    pageContent: 'page content',
    rowStatus: { waiting: 'Waiting', generating: 'Writing…', writing: 'Writing…', written: 'Written', failed: 'Failed', skipped: 'Skipped' },
    starting: (n, title) => `Starting on ${plural(n, 'row')} of ${title}…`,
    filling: (title) => `Filling rows of ${title}…`,
    done: (written, total) => `Done. ${written} of ${plural(total, 'row')} written.`,
    stopped: 'Stopped. Written rows stay written.',
    failed: 'Filling rows did not finish.',
    counts: { written: (n) => `${n} written`, failed: (n) => `${n} failed`, skipped: (n) => `${n} skipped`, left: (n) => `${n} to go`, rate: (n) => `${n} rows a minute`, eta: (t) => `about ${t} left` },
    retryFailed: 'Retry failed rows',
    retry: 'Retry',
  },
};
