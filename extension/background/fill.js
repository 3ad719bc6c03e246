// Fill: a template run over the rows of a database that the person ticked,
// each row's answer written into it, with each row's progress kept in the
// history as the engine reports it.
import { failure, reply } from '../shared/messages.js';
import { rowOutputs } from '../shared/jobs.js';
import { persistSoon } from './history.js';
import { begin, cancelAsked, end, failed, running, start, writing } from './running.js';

/** Starts a Fill run (the popup's Fill): the template over the ticked rows. */
export async function fill({ target, template, rows, query, output }) {
  if (!target?.id || !String(template ?? '').trim() || !Array.isArray(rows) || rows.length === 0) {
    return failure('invalid', 'Write a template and tick the rows to fill first.');
  }
  if ([...running.values()].some((e) => e.job.kind === 'fill' && e.job.target.id === target.id)) {
    return failure('busy', 'Visen is already filling rows of this database. Wait for it to finish, or cancel it.');
  }
  const job = {
    id: crypto.randomUUID(),
    kind: 'fill',
    target,
    prompt: String(template),
    query: query ?? {},
    output: output ?? {},
    status: 'starting',
    run: { rows: rows.map((r) => ({ id: r.id, title: r.title ?? '', url: r.url ?? '', status: 'waiting' })), requests: 0 },
    createdAt: Date.now(),
  };
  return reply(start(job, runFill));
}

/** Runs a Fill job: the engine fills its rows; a resumed run skips those written. */
export async function runFill(job) {
  const ready = await begin(job);
  if (!ready) return;
  const { settings, visen } = ready;
  job.status = 'generating';
  await persistSoon(job, true);
  // What Visen wrote in these rows last time, from the runs in the history,
  // so Replace can remove it.
  const outputs = await rowOutputs(job.target.id, job.id);
  const previous = {};
  for (const row of job.run.rows) {
    if (outputs[row.id]) previous[row.id] = outputs[row.id];
  }
  const payload = {
    ...writing(settings),
    jobId: job.id,
    databaseId: job.target.id,
    dataSourceId: job.target.dataSourceId ?? '',
    properties: job.target.properties ?? [],
    template: job.prompt,
    query: job.query ?? {},
    output: job.output ?? {},
    previous,
    run: job.run,
    concurrency: settings.concurrency,
  };
  const result = JSON.parse(
    await visen.fill(JSON.stringify(payload), (raw) => {
      if (cancelAsked(job.id)) visen.cancel(job.id);
      job.run = JSON.parse(raw);
      persistSoon(job);
    }),
  );
  if (result.data) job.run = result.data;
  if (result.ok) {
    job.status = 'done';
    job.error = null;
  } else {
    failed(job, result.error);
  }
  await end(job);
}
