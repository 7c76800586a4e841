// Starting or resuming a sweep, running it, and printing what it found.
import { createSweep, getSweep, KilnFailure, kilnError, listTrials, openStore, type Store } from '@kiln/core';
import type { StopSignal } from '@kiln/core/store';
import { coordinate } from './coordinator.ts';
import { LiveView, liveMode } from './live.ts';
import { planFromFile, planFromGrid, planFromStore, trialBudget, type PlanOverrides, type SweepPlan } from './plan.ts';
import { formatSummary, summarize, trialsTable, type SweepSummary } from './report.ts';
import { resolveSweepId } from './store.ts';

/** What to sweep: a file's sweep: section, a `--set a=1,2` grid over a file, or a sweep to resume. */
export interface SweepRequest extends PlanOverrides {
  file?: string;
  /** `--set` overrides applied to every trial (without grid commas). */
  overrides?: string[];
  /** Grid axes from commaGridFromOverrides; when given, the file's sweep: section only lends metric, goal, parallel and pruner. */
  grid?: Record<string, unknown[]>;
  /** Id (or unique prefix) of a sweep to continue. */
  resume?: string;
  /** Id (or unique prefix) of a running sweep to add this machine's workers to (`--join`). */
  join?: string;
}

export interface SweepOutput {
  store?: string;
  /** Print nothing but errors. */
  quiet?: boolean;
  /** Print only the summary, as JSON, on stdout. */
  json?: boolean;
}

/** Runs a sweep to its budget (or Ctrl-C), printing the live table and the summary; returns the summary. */
export async function runSweep(req: SweepRequest, out: SweepOutput = {}): Promise<SweepSummary> {
  const store = await openStore(out.store);
  try {
    const { sweepId, plan, createdAt } = req.join !== undefined ? await joinable(store, req.join, req) : { ...(await startOrResume(store, req)), createdAt: undefined };
    const live = new LiveView(plan, liveMode(out));
    const budget = trialBudget(plan);
    const started = Date.now();
    live.note(
      `${req.join ? `Joining (${store.displayUrl})` : req.resume ? 'Resuming' : 'Sweep'} ${sweepId}: ${plan.method} over ${describeSpace(plan)}, ${budget === Infinity ? 'no trial limit' : `${budget} trials`}` +
        `${plan.budget.maxMinutes ? `, ${plan.budget.maxMinutes} min` : ''}, ${plan.parallel} worker${plan.parallel === 1 ? '' : 's'}, ${plan.goal} ${plan.metric}` +
        `${plan.pruner.type === 'none' ? '' : `, ${plan.pruner.type} pruning`}`,
    );
    const join = req.join !== undefined;
    let signal: StopSignal | undefined;
    const outcome = await coordinate({ store, sweepId, plan, join, startedAt: createdAt, onTrials: (t) => live.update(t), onNote: (text) => live.note(text), onSignal: (s) => (signal = s) });
    live.finish();
    const summary = { ...summarize(sweepId, outcome, plan, await listTrials(store, sweepId), (Date.now() - started) / 1000), ...(signal ? { signal } : {}) };
    if (out.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else if (!out.quiet) process.stdout.write(`${formatSummary(summary)}\n`);
    return summary;
  } finally {
    store.close();
  }
}

async function startOrResume(store: Store, req: SweepRequest): Promise<{ sweepId: string; plan: SweepPlan }> {
  if (req.resume !== undefined) {
    const sweepId = await resolveSweepId(store, req.resume);
    const row = await getSweep(store, sweepId);
    return { sweepId, plan: planFromStore(row?.spec, req) };
  }
  if (req.file === undefined) throw new Error('runSweep needs a file or a sweep to resume');
  const plan = req.grid ? planFromGrid(req.file, req.grid, req.overrides ?? [], req) : planFromFile(req.file, req.overrides ?? [], req);
  const sweepId = await createSweep(store, { name: plan.name, experiment: plan.experiment, spec: plan, method: plan.method, metric: plan.metric, goal: plan.goal });
  return { sweepId, plan };
}

/** A running sweep to join, with its stored plan; only the worker count may differ on this machine. */
async function joinable(store: Store, idOrPrefix: string, req: SweepRequest): Promise<{ sweepId: string; plan: SweepPlan; createdAt: number }> {
  const sweepId = await resolveSweepId(store, idOrPrefix);
  const row = await getSweep(store, sweepId);
  if (row === null || row.status !== 'running') {
    throw new KilnFailure(
      kilnError('sweep/not-running', '', `sweep ${sweepId} is ${row?.status ?? 'missing'}; only a running sweep can be joined`, `kiln sweep --resume ${sweepId} continues it from this machine`),
    );
  }
  return { sweepId, plan: planFromStore(row.spec, { parallel: req.parallel }), createdAt: row.createdAt };
}

function describeSpace(plan: SweepPlan): string {
  if (plan.points) return `${plan.points.length} grid points`;
  const n = Object.keys(plan.space).length;
  return `${n} parameter${n === 1 ? '' : 's'}`;
}

/** The trials table and summary of a stored sweep (`kiln sweep show`). */
export async function showSweep(idOrPrefix: string, out: SweepOutput = {}): Promise<SweepSummary> {
  const store = await openStore(out.store, { mode: 'read' });
  try {
    const sweepId = await resolveSweepId(store, idOrPrefix);
    const row = await getSweep(store, sweepId);
    const plan = planFromStore(row?.spec);
    const trials = await listTrials(store, sweepId);
    const summary = summarize(sweepId, row?.status ?? 'unknown', plan, trials, null);
    if (out.json) process.stdout.write(`${JSON.stringify({ ...summary, trials }, null, 2)}\n`);
    else if (!out.quiet) process.stdout.write(`${trialsTable(plan, trials)}\n\n${formatSummary(summary)}\n`);
    return summary;
  } finally {
    store.close();
  }
}
