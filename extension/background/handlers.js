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
import { generate, jobPreview, writingInto } from './page.js';
import { cancel, running } from './running.js';
import { fill } from './fill.js';

// What the history calls each page action: its words and its choices.
const ACTIONS = {
  continue: (_a, instruction) => withInstruction('Continue writing', instruction),
  summarize: (a, instruction) => withInstruction(a.position === 'start' ? 'Summarize, at the top' : 'Summarize, at the end', instruction),
  translate: (a, instruction) => withInstruction(`Translate into ${String(a.language ?? '').trim()}`, instruction),
  improve: (a, instruction) => withInstruction(a.style === 'tone' ? `Change the tone to ${String(a.tone ?? '').trim()}` : IMPROVE_WORDS[a.style] ?? 'Improve the selection', instruction),
  ask: (_a, question) => question,
};

const IMPROVE_WORDS = {
  fix: 'Fix spelling and grammar',
  shorter: 'Make shorter',
  longer: 'Make longer',
};

function withInstruction(words, instruction) {
  return instruction ? `${words}: ${instruction}` : words;
}

// Moves blocks to or out of the trash (the engine call `name`).
async function onBlocks(name, ids) {
  const { notionSecret } = await loadSettings();
  return call(name, { notionSecret, ids });
}

// The finished Improve job to replace or undo, or why there is none.
async function improved(jobId) {
  const job = await getJob(String(jobId));
  if (!job || job.kind !== 'action' || job.action.kind !== 'improve' || job.status !== 'done' || running.has(job.id)) {
    return failure('invalid', 'This is not a finished improvement.');
  }
  if (job.undone) {
    return failure('finished', 'This improvement was already undone.');
  }
  return reply(job);
}

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
  [MSG.PAGE_ACTION]: async ({ target, action, selection, cursor }) => {
    const kind = String(action?.kind ?? '');
    if (!target?.id || target.kind === 'database' || !ACTIONS[kind]) {
      return failure('invalid', 'Open a Notion page, then choose what Visen should do with it.');
    }
    const instruction = String(action.instruction ?? '').trim();
    if (kind === 'ask' && !instruction) {
      return failure('invalid', 'Type your question first.');
    }
    if (kind !== 'ask' && writingInto(target.id)) {
      return failure('busy', 'Visen is already writing into this page. Wait for it to finish, or cancel it.');
    }
    const job = {
      id: crypto.randomUUID(),
      kind: 'action',
      target,
      action: {
        kind,
        instruction,
        language: String(action.language ?? '').trim(),
        where: action.where === 'below' ? 'below' : 'subpage',
        style: String(action.style ?? ''),
        tone: String(action.tone ?? ''),
        position: action.position === 'start' ? 'start' : 'end',
      },
      selection: Array.isArray(selection) ? selection.map(String) : [],
      cursor: String(cursor ?? ''),
      prompt: ACTIONS[kind](action, instruction),
      status: 'starting',
      markdown: '',
      blocks: 0,
      requests: 0,
      createdAt: Date.now(),
    };
    return { ok: true, data: { ...startJob(job), prompt: job.prompt } };
  },
  [MSG.INSERT_ANSWER]: async ({ jobId, after }) => {
    const job = await getJob(String(jobId));
    if (!job || job.kind !== 'action' || job.action.kind !== 'ask' || job.status !== 'done' || !job.answer || running.has(job.id)) {
      return failure('invalid', 'There is no answer to insert.');
    }
    if (job.insert) {
      return failure('finished', 'This answer is already in the page.');
    }
    if (writingInto(job.target.id)) {
      return failure('busy', 'Visen is already writing into this page. Wait for it to finish, or cancel it.');
    }
    job.insert = { after: String(after ?? '') };
    job.status = 'starting';
    job.error = null;
    job.finishedAt = undefined;
    return { ok: true, data: startJob(job) };
  },
  [MSG.REPLACE]: async ({ jobId }) => {
    const job = await improved(jobId);
    if (!job.ok) return job;
    const trashed = await onBlocks('trashBlocks', job.data.plan.selectionIds);
    if (!trashed.ok) return trashed;
    job.data.replaced = true;
    await save(job.data);
    return reply({});
  },
  [MSG.UNDO]: async ({ jobId }) => {
    const job = await improved(jobId);
    if (!job.ok) return job;
    // The originals come back first: a failure half-way leaves both
    // versions in the page, never neither.
    if (job.data.replaced) {
      const restored = await onBlocks('restoreBlocks', job.data.plan.selectionIds);
      if (!restored.ok) return restored;
      job.data.replaced = false;
      await save(job.data);
    }
    const trashed = await onBlocks('trashBlocks', job.data.written ?? []);
    if (!trashed.ok) return trashed;
    job.data.undone = true;
    await save(job.data);
    return reply({});
  },
  [MSG.KEEP_BOTH]: async ({ jobId }) => {
    const job = await improved(jobId);
    if (!job.ok) return job;
    job.data.kept = true;
    await save(job.data);
    return reply({});
  },
  [MSG.DISCARD]: async ({ jobId }) => {
    const job = await improved(jobId);
    if (!job.ok) return job;
    if (job.data.replaced) return failure('invalid', 'The original was replaced: Undo brings it back.');
    const trashed = await onBlocks('trashBlocks', job.data.written ?? []);
    if (!trashed.ok) return trashed;
    job.data.undone = true;
    job.data.discarded = true;
    await save(job.data);
    return reply({});
  },
  [MSG.CANCEL]: cancel,
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
