// History, opened from the header's icon: every job, newest first, each
// led by its prompt, with Retry for one that did not finish and Delete.

import { RUNNING, deleteJob, loadJobs } from '../shared/jobs.js';
import { state } from './state.js';
import { S } from './strings.js';
import { $, h, relativeTime } from './ui.js';

/**
 * Wires History. `announce` speaks a status line, `showJob` opens a job,
 * `retry` resumes one, `onDeleteShown` runs when the job on screen was
 * deleted, and `setFooter(open)` hides the footer while History is open
 * and shows what was there when it closes.
 */
export function historyView({ announce, showJob, retry, onDeleteShown, setFooter }) {
  // The status each job in the list was drawn with.
  const shown = new Map();

  function isOpen() {
    return !$('history').hidden;
  }

  function toggle(open = !isOpen()) {
    $('history').hidden = !open;
    $('home').classList.toggle('showing-history', open);
    $('open-history').setAttribute('aria-expanded', String(open));
    setFooter(open);
    if (open) {
      document.querySelector('#home .scroll').scrollTop = 0;
      $('history-list').querySelector('.open')?.focus();
    }
  }

  function status(job) {
    const text = S.history.status[job.status] ?? job.status;
    if (job.kind !== 'fill') return text;
    const rows = job.run?.rows ?? [];
    return `${text} · ${S.history.rows(rows.filter((r) => r.status === 'written').length, rows.length)}`;
  }

  async function render() {
    const jobs = await loadJobs();
    shown.clear();
    for (const j of jobs) shown.set(j.id, j.status);
    $('open-history').hidden = jobs.length === 0;
    if (jobs.length === 0 && isOpen()) toggle(false);
    $('history-list').replaceChildren(...jobs.map((job) => {
      const what = job.kind === 'action' && job.action?.kind === 'ask' ? S.history.question : { fill: S.history.fill, newPage: S.history.newPage }[job.kind];
      const open = h('button', { type: 'button', className: 'open' },
        h('span', { className: 'h-prompt', textContent: job.prompt }),
        h('span', { className: 'h-meta' },
          h('span', { className: 'h-title', textContent: job.target?.title || 'Untitled' }),
          ` · ${what ? `${what} · ` : ''}${status(job)} · ${relativeTime(job.finishedAt ?? job.createdAt)}`));
      open.addEventListener('click', () => {
        toggle(false);
        showJob(job);
      });
      const actions = h('div', { className: 'h-actions' });
      if (job.status === 'failed' || job.status === 'cancelled') {
        const again = h('button', { type: 'button', className: 'secondary small', textContent: S.db.retry });
        again.setAttribute('aria-label', S.history.retry(job.prompt));
        again.addEventListener('click', () => {
          toggle(false);
          retry(job.id);
        });
        actions.append(again);
      }
      if (!RUNNING.has(job.status)) {
        const del = h('button', { type: 'button', className: 'icon-button small', textContent: '✕' });
        del.setAttribute('aria-label', S.history.remove(job.prompt));
        del.title = S.history.remove(job.prompt);
        del.addEventListener('click', async () => {
          await deleteJob(job.id);
          if (state.shownJob?.id === job.id) await onDeleteShown();
          await render();
          announce(S.history.deleted);
          ($('history-list').querySelector('.open') ?? $('open-history')).focus();
        });
        actions.append(del);
      }
      const li = h('li', {}, open, actions);
      li.dataset.id = job.id;
      return li;
    }));
  }

  /**
   * Whether the list is out of date after these jobs changed: a status
   * moved on, a job is new, or (no job left in the change) one was deleted.
   * A running job changes many times a second, but its status seldom.
   */
  function stale(jobs) {
    return jobs.length === 0 || jobs.some((j) => shown.get(j.id) !== j.status);
  }

  $('open-history').addEventListener('click', () => toggle());
  $('home').addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && isOpen()) {
      e.preventDefault();
      toggle(false);
      $('open-history').focus();
    }
  });

  return { render, stale, toggle, isOpen };
}
