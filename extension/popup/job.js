// A job on screen: what it is doing or did, the answer as it streams (drawn
// from the engine's blocks, the unsettled tail without its syntax), and the
// next step: Stop while it writes; for a failure the fix first; for an
// improvement Replace, Keep both, Discard or Try again.

import { ext } from '../shared/ext.js';
import { MSG } from '../shared/messages.js';
import { providerName } from '../shared/providers.js';
import { RUNNING, getJob, loadJobs, onlyAnswers } from '../shared/jobs.js';
import { readableTail, renderBlocks } from './blocks.js';
import { state } from './state.js';
import { S, quoted, splitMessage } from './strings.js';
import { $, busy, h } from './ui.js';

const INTEGRATIONS_URL = 'https://www.notion.so/profile/integrations';
// Failures that no retry mends until something changes: in Settings or in
// Notion. Anything else (the network, a busy server, a closed browser) may
// well go through when tried again.
const SETTINGS_FIX = new Set(['unauthorized', 'not_configured', 'ai_unauthorized', 'ai_model_not_found', 'ai_origin_refused']);
const NOTION_FIX = new Set(['restricted', 'no_insert_capability', 'not_connected', 'no_access', 'archived', 'block_limit', 'validation']);
// Mended outside Visen, with no page to send the person to.
const ELSEWHERE_FIX = new Set(['ai_quota', 'ai_context_too_long']);

const where = (job) => job.target?.title || 'Untitled';

/**
 * Wires the job view. `send` messages the background, `announce` speaks a
 * status line, `footer` shows the main action and others, `openSettings`
 * opens Settings, `compose` shows the prompt again, `actions` starts a page
 * action (Try again), `insertAfter` reads where an answer goes, and
 * `showRun` shows a run over rows.
 */
export function jobView({ send, announce, footer, openSettings, compose, actions, insertAfter, showRun }) {
  let preview = { jobId: null, blocks: [], drawn: 0, tail: '', final: false };
  let previewBusy = false;
  let previewAgain = false;
  let fix = null;

  function aiName() {
    return state.settings ? providerName(state.settings) : 'the AI';
  }

  function statusText(job) {
    if (job.status === 'failed') return splitMessage(job.error?.message)[0] || S.job.wroteNothing;
    if (job.kind === 'action') return actionStatus(job);
    if (job.kind === 'newPage') {
      const name = job.page?.title || job.newPage?.title;
      const page = name ? quoted(name) : S.job.untitledNewPage;
      return {
        starting: S.job.asking(aiName()),
        generating: S.job.newPageWriting(page, where(job)),
        writing: S.job.finishing(page),
        done: S.job.newPageCreated(page, where(job)),
        cancelled: S.job.stoppedIn(page),
      }[job.status] ?? job.status;
    }
    return {
      starting: S.job.asking(aiName()),
      generating: S.job.writingInto(where(job)),
      writing: S.job.finishing(where(job)),
      done: job.after ? S.job.addedAfterCursor(where(job)) : S.job.addedAtEnd(where(job)),
      cancelled: S.job.stoppedIn(where(job)),
    }[job.status] ?? job.status;
  }

  // What a page action's job says it is doing, or has done.
  function actionStatus(job) {
    const page = where(job);
    const { kind, language } = job.action;
    const asking = onlyAnswers(job);
    const sub = job.subpage ? quoted(job.subpage.title) : page;
    switch (job.status) {
      case 'reading':
        return S.job.reading(page);
      case 'confirm':
        return S.job.tooLong(page, state.settings?.model || 'the model');
      case 'starting':
        if (job.insert) return S.job.addingAnswer(page);
        return job.plan ? S.job.asking(aiName()) : S.job.reading(page);
      case 'generating':
        return {
          continue: S.job.continuing(page),
          summarize: S.job.summarizing(page),
          translate: S.job.translating(page, language),
          improve: S.job.improving,
          ask: job.insert ? S.job.addingAnswer(page) : S.job.answering(page),
        }[kind];
      case 'writing':
        return asking ? S.job.answering(page) : S.job.finishing(sub);
      case 'done':
        return actionDone(job);
      case 'cancelled':
        return asking ? S.job.stopped : S.job.stoppedIn(sub);
      default:
        return job.status;
    }
  }

  function actionDone(job) {
    const page = where(job);
    switch (job.action.kind) {
      case 'continue':
        return job.cursor ? S.job.continuedAfterCursor(page) : S.job.continuedAtEnd(page);
      case 'summarize':
        return S.job.summaryAt(job.plan?.position === 'start', page);
      case 'translate':
        return job.subpage ? S.job.translatedSubpage(job.action.language, page) : S.job.translatedBelow(job.action.language, page);
      case 'improve':
        if (job.discarded) return S.job.discarded;
        if (job.undone) return S.job.undone;
        if (job.replaced) return S.job.replaced(page);
        if (job.kept) return S.job.kept;
        return S.job.improved;
      default:
        if (!job.insert) return S.job.answered(page);
        return job.insert.after ? S.job.answerAfterCursor(page) : S.job.answerAtEnd(page);
    }
  }

  // How much of the page the model reads, when not all of it.
  function usedNote(job) {
    const used = job.plan?.used;
    if (job.kind !== 'action' || !used || used.blocks >= used.total) return '';
    const part = job.action.kind === 'continue' ? 'last' : 'first';
    return job.status === 'confirm' ? S.job.confirmPart(part, used.blocks, used.total) : S.job.readPart(part, used.blocks, used.total);
  }

  // The one thing that mends a failure, when a retry alone cannot: Settings,
  // the integrations page, or the page in Notion.
  function fixFor(job) {
    const { code } = job.error ?? {};
    if (SETTINGS_FIX.has(code)) return { label: S.job.fixSettings, run: () => openSettings() };
    const integration = state.settings?.notionKind !== 'personal';
    if ((code === 'no_insert_capability' || code === 'restricted') && integration) {
      return { label: S.job.fixIntegration, run: () => ext.tabs.create({ url: INTEGRATIONS_URL }) };
    }
    if (NOTION_FIX.has(code) && job.target?.url) return { label: S.job.fixInNotion, run: () => ext.tabs.create({ url: job.target.url }) };
    return null;
  }

  // The rest of a failure's message, the steps it gives, and what was
  // written before it stopped.
  function showFailure(job) {
    const box = $('job-error');
    const failed = job.status === 'failed';
    box.hidden = !failed;
    if (!failed) return;
    const rest = splitMessage(job.error?.message)[1];
    $('job-error-text').textContent = rest;
    $('job-error-text').hidden = !rest;
    const steps = job.error?.code === 'not_connected' ? job.error.steps ?? [] : [];
    $('job-error-steps').replaceChildren(...steps.map((s) => h('li', { textContent: s })));
    $('job-error-steps').hidden = steps.length === 0;
    const wrote = onlyAnswers(job) ? '' : job.blocks > 0 || job.page || job.subpage ? S.job.wrotePart(job.page ? quoted(job.page.title) : where(job)) : S.job.wroteNothing;
    $('job-written').textContent = wrote;
    $('job-written').hidden = !wrote;
  }

  // The footer of a finished page action.
  function actionFooter(job, copy) {
    if (job.status === 'confirm') return footer('go-on', 'new-prompt');
    if (onlyAnswers(job)) return footer('insert', copy, 'new-prompt');
    if (job.action.kind === 'improve') {
      if (job.replaced) return footer('new-prompt', 'undo');
      if (!job.undone && !job.kept) return footer('replace', 'keep-both', 'discard', 'try-again');
      return footer('new-prompt');
    }
    return footer('new-prompt', copy, job.subpage?.url ? 'open-page' : null);
  }

  function show(job) {
    if (job.kind === 'fill') {
      state.shownJob = null;
      $('compose').hidden = true;
      showRun(job);
      return;
    }
    const first = state.shownJob?.id !== job.id;
    const wasRunning = state.shownJob && RUNNING.has(state.shownJob.status);
    state.shownJob = job;
    for (const id of ['compose', 'db', 'run']) $(id).hidden = true;
    $('job').hidden = false;
    $('job').dataset.jobId = job.id;
    const runningNow = RUNNING.has(job.status);
    $('job-prompt').textContent = job.prompt;
    $('job-status').textContent = statusText(job);
    $('job-status').classList.toggle('is-error', job.status === 'failed');
    $('progress').hidden = !runningNow;
    showFailure(job);
    const made = job.kind === 'newPage' ? job.page : job.subpage;
    const pageUrl = made ? made.url : job.target?.url;
    const elsewhere = Boolean(made) || job.target?.id !== state.target?.id;
    $('open-page').href = pageUrl ?? '#';
    $('open-page').textContent = made ? S.job.openNewPage : S.job.fixInNotion;
    const openPage = job.status === 'done' && pageUrl && elsewhere ? 'open-page' : null;
    const copy = job.markdown ? 'copy' : null;
    const note = usedNote(job);
    $('job-note').textContent = note;
    $('job-note').hidden = !note;
    fix = job.status === 'failed' ? fixFor(job) : null;
    $('fix').textContent = fix?.label ?? '';
    let main;
    if (runningNow) main = footer('cancel');
    else if (job.kind === 'action' && (job.status === 'done' || job.status === 'confirm')) main = actionFooter(job, copy);
    else if (job.status === 'done') main = footer('new-prompt', copy, openPage);
    else if (fix) main = footer('fix', 'retry', 'new-prompt');
    else if (ELSEWHERE_FIX.has(job.error?.code)) main = footer('new-prompt', 'retry', copy);
    else main = footer('retry', copy, 'new-prompt');
    if (first) {
      announce('');
      if (main) $(main).focus();
      preview = { jobId: job.id, blocks: [], drawn: 0, tail: '', final: false };
      $('preview').replaceChildren();
    }
    refreshPreview(job, { top: !runningNow && (first || wasRunning) });
  }

  // Asks the background for the answer's blocks, one request at a time; an
  // update that arrives meanwhile asks again once the answer is in. A
  // finished answer is shown from its top.
  async function refreshPreview(job, { top = false } = {}) {
    if (previewBusy) {
      previewAgain = true;
      return;
    }
    if (preview.final && preview.jobId === job.id) return;
    previewBusy = true;
    const finished = !RUNNING.has(job.status);
    const from = finished ? 0 : preview.blocks.length;
    const reply = await send(MSG.JOB_PREVIEW, { jobId: job.id, from });
    previewBusy = false;
    if (reply.ok && state.shownJob?.id === job.id) {
      // Settled blocks never change: new ones are drawn after the ones
      // already drawn, so a long answer costs no more to follow.
      const appended = reply.data.from === preview.blocks.length && preview.drawn === preview.blocks.length;
      preview.blocks = [...preview.blocks.slice(0, reply.data.from), ...reply.data.blocks];
      preview.tail = reply.data.tail ?? '';
      preview.final = finished;
      draw(job, appended ? reply.data.blocks : null);
      if (finished && top) {
        $('preview').scrollTop = 0;
        document.querySelector('#home .scroll').scrollTop = 0;
      }
    }
    if (previewAgain) {
      previewAgain = false;
      if (state.shownJob) refreshPreview(state.shownJob, { top: !RUNNING.has(state.shownJob.status) });
    }
  }

  // Draws the preview whole, or only the blocks `added` after those drawn.
  function draw(job, added = null) {
    const box = $('preview');
    const stick = box.scrollTop + box.clientHeight >= box.scrollHeight - 24;
    box.querySelector(':scope > .tail')?.remove();
    if (added) {
      const more = renderBlocks(added);
      // A list that goes on across updates stays one list.
      const last = box.lastElementChild;
      const first = more.firstElementChild;
      if (last && first && (last.tagName === 'UL' || last.tagName === 'OL') && first.tagName === last.tagName) {
        last.append(...first.childNodes);
        first.remove();
      }
      box.append(more);
    } else {
      box.replaceChildren(renderBlocks(preview.blocks));
    }
    preview.drawn = preview.blocks.length;
    const tail = readableTail(preview.tail);
    if (tail) box.append(h('p', { className: 'tail', textContent: tail }));
    if (stick && RUNNING.has(job.status)) box.scrollTop = box.scrollHeight;
  }

  async function retry(jobId) {
    const reply = await send(MSG.RETRY, { jobId });
    if (!reply.ok) {
      announce(reply.error.message);
      return;
    }
    const job = (await loadJobs()).find((j) => j.id === jobId);
    if (job) show({ ...job, status: 'starting', error: null });
  }

  // Runs a change to a finished job (Replace, Undo, Keep both, Discard,
  // Insert, Send those) from its button, and shows the job as it is afterwards.
  // Resolves to whether the change was made.
  async function change(button, type, payload = {}) {
    const job = state.shownJob;
    if (!job) return false;
    let made = false;
    await busy($(button), async () => {
      const reply = await send(type, { jobId: job.id, ...payload });
      if (!reply.ok) {
        announce(reply.error.message);
        return;
      }
      made = true;
      const fresh = await getJob(job.id);
      if (fresh) show(fresh);
    });
    return made;
  }

  function wire() {
    $('cancel').addEventListener('click', () => state.shownJob && send(MSG.CANCEL, { jobId: state.shownJob.id }));
    $('retry').addEventListener('click', () => state.shownJob && retry(state.shownJob.id));
    $('fix').addEventListener('click', () => fix?.run());
    $('copy').addEventListener('click', async () => {
      await navigator.clipboard.writeText(state.shownJob?.markdown ?? '');
      announce(S.job.copied);
    });
    $('open-page').addEventListener('click', (e) => {
      e.preventDefault();
      ext.tabs.create({ url: $('open-page').href });
    });
    $('new-prompt').addEventListener('click', () => {
      state.shownJob = null;
      $('job').hidden = true;
      compose();
    });
    $('go-on').addEventListener('click', () => state.shownJob && retry(state.shownJob.id));
    $('insert').addEventListener('click', async () => {
      change('insert', MSG.INSERT_ANSWER, { after: await insertAfter(S.compose.noCursor) });
    });
    $('replace').addEventListener('click', async () => {
      if (!(await change('replace', MSG.REPLACE))) return;
      announce(S.job.replacedNote);
      $('undo').focus();
    });
    $('undo').addEventListener('click', async () => {
      if (await change('undo', MSG.UNDO)) announce(S.job.undoneNote);
    });
    $('keep-both').addEventListener('click', () => change('keep-both', MSG.KEEP_BOTH));
    $('discard').addEventListener('click', () => change('discard', MSG.DISCARD));
    // The same improvement of the same blocks, once this version is gone.
    $('try-again').addEventListener('click', async () => {
      const job = state.shownJob;
      if (!job || !(await change('try-again', MSG.DISCARD))) return;
      actions.start(job.action, $('new-prompt'), { selection: job.selection, instruction: job.action.instruction ?? '' });
    });
  }

  wire();
  return { show, retry, shownId: () => state.shownJob?.id ?? null };
}
