// Page actions: Continue, Summarize, Translate, Improve and Ask, each run
// as a page job once the page is read into its prompt, and an Ask's answer
// inserted into the page.
import { failure, reply } from '../shared/messages.js';
import { getJob } from '../shared/jobs.js';
import { call } from './engine.js';
import { persistSoon } from './history.js';
import { busyWriting, runPage } from './page.js';
import { cancelAsked, end, failed, running, settingsFor, start } from './running.js';

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

/**
 * Starts a page action (the popup's action bar) on the page, its selected
 * blocks, or after the cursor's block; answers with the words the history
 * gives it too.
 */
export async function pageAction({ target, action, selection, cursor }) {
  const kind = String(action?.kind ?? '');
  if (!target?.id || target.kind === 'database' || !ACTIONS[kind]) {
    return failure('invalid', 'Open a Notion page, then choose what Visen should do with it.');
  }
  const instruction = String(action.instruction ?? '').trim();
  if (kind === 'ask' && !instruction) {
    return failure('invalid', 'Type your question first.');
  }
  const busy = kind !== 'ask' && busyWriting(target.id);
  if (busy) return busy;
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
  return reply({ ...start(job, runAction), prompt: job.prompt });
}

/** Writes an Ask's answer into its page, after the block `after`, once. */
export async function insertAnswer({ jobId, after }) {
  const job = await getJob(String(jobId));
  if (!job || job.kind !== 'action' || job.action.kind !== 'ask' || job.status !== 'done' || !job.answer || running.has(job.id)) {
    return failure('invalid', 'There is no answer to insert.');
  }
  if (job.insert) {
    return failure('finished', 'This answer is already in the page.');
  }
  const busy = busyWriting(job.target.id);
  if (busy) return busy;
  job.insert = { after: String(after ?? '') };
  job.status = 'starting';
  job.error = null;
  job.finishedAt = undefined;
  return reply(start(job, runAction));
}

// Ends a page action that stopped before the model was asked.
async function stopped(job, error) {
  if (error) failed(job, error);
  await end(job);
}

/**
 * Runs a page action: reads the page into the action's prompt once (a
 * retry goes on with the same prompt, even though the page now holds part
 * of the answer), asks before sending a page cut short for the model, makes
 * the sub-page of a translation once, then runs like any page job.
 */
export async function runAction(job) {
  const settings = await settingsFor(job);
  if (!settings) return;
  if (!job.plan) {
    job.status = 'reading';
    await persistSoon(job, true);
    const { kind, instruction, language, style, tone, position } = job.action;
    const read = await call('actionPrompt', {
      notionSecret: settings.notionSecret,
      pageId: job.target.id,
      model: settings.model,
      action: { kind, instruction, language, style, tone, position, selection: job.selection ?? [], upTo: job.cursor ?? '' },
    });
    if (cancelAsked(job.id)) {
      return stopped(job, { code: 'cancelled', message: 'Stopped before anything was written.' });
    }
    if (!read.ok) return stopped(job, read.error);
    job.plan = read.data;
  }
  const { used } = job.plan;
  if (used.blocks < used.total && !job.confirmed) {
    // The person hears how much of the page the model will read before
    // anything is sent.
    job.status = 'confirm';
    return stopped(job);
  }
  if (job.action.kind === 'translate' && job.action.where === 'subpage' && !job.subpage) {
    // Saved before the ask: a retry after an answer that was lost looks
    // for the page it made rather than making another.
    const asked = Boolean(job.subpageAsked);
    job.status = 'starting';
    job.subpageAsked = true;
    await persistSoon(job, true);
    const made = await call('createSubpage', {
      notionSecret: settings.notionSecret,
      parentPageId: job.target.id,
      title: job.action.language,
      existing: job.plan.existing ?? [],
      asked,
    });
    if (!made.ok) return stopped(job, made.error);
    job.subpage = made.data;
  }
  return runPage(job);
}
