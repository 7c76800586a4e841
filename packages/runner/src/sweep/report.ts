// What a sweep shows: the trials table, the summary (best trial and how to reproduce it), and the
// same summary as JSON.
import { relative } from 'node:path';
import type { Trial as StoredTrial } from '@kiln/core';
import { fmtDuration, fmtNum } from '../terminal/format.ts';
import { renderTable } from '../terminal/table.ts';
import { better } from './metric.ts';
import { trialOverrides, type SweepPlan } from './plan.ts';

export interface BestTrial {
  number: number;
  value: number;
  params: Record<string, unknown>;
  runId: string | null;
}

export interface SweepSummary {
  sweepId: string;
  status: string;
  method: string;
  metric: string;
  goal: string;
  counts: Record<'total' | 'complete' | 'pruned' | 'failed' | 'queued' | 'running', number>;
  best: BestTrial | null;
  /** argv after `kiln` that trains the best trial as a single run. */
  reproduce: string[] | null;
  seconds: number | null;
  /** The first failed trial that recorded why, so a sweep whose every trial failed says why. */
  firstFailure: { number: number; error: string } | null;
  /** The signal that interrupted the sweep, if one did (the CLI exits with 128 + its number). */
  signal?: 'SIGINT' | 'SIGTERM';
}

/** The best complete (or, failing that, pruned) trial for the goal. */
export function bestTrial(trials: readonly StoredTrial[], goal: SweepPlan['goal']): BestTrial | null {
  let best: StoredTrial | null = null;
  for (const state of ['complete', 'pruned'] as const) {
    for (const t of trials) if (t.state === state && better(t.value, best?.value ?? null, goal)) best = t;
    if (best !== null) break;
  }
  return best === null || best.value === null ? null : { number: best.number, value: best.value, params: best.params, runId: best.runId };
}

/** The parameter names of a plan, in display order. */
export function paramNames(plan: SweepPlan): string[] {
  return plan.points ? [...new Set(plan.points.flatMap((p) => Object.keys(p)))] : Object.keys(plan.space);
}

/** The trials as table rows: number, state, parameters, metric value, best so far (in trial order). */
export function trialsTable(plan: SweepPlan, trials: readonly StoredTrial[], maxRows = Infinity): string {
  const names = paramNames(plan);
  let best: number | null = null;
  const rows = trials.map((t) => {
    const finished = t.state === 'complete' || t.state === 'pruned';
    if (finished && better(t.value, best, plan.goal)) best = t.value;
    return [String(t.number), t.state, ...names.map((n) => fmtNum(t.params[n])), finished ? fmtNum(t.value) : '', fmtNum(best)];
  });
  const shown = rows.length > maxRows ? rows.slice(rows.length - maxRows) : rows;
  // A trial's value is its kept model's (the run's final value), not the best epoch of its curve.
  const table = renderTable(['#', 'state', ...names, `${plan.metric} (final)`, 'best'], shown, 28);
  return rows.length > shown.length ? `(${rows.length - shown.length} earlier trials not shown)\n${table}` : table;
}

/** Quotes an argument for a POSIX shell when it has characters the shell would interpret. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=:,@+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The summary of a sweep from its trials. */
export function summarize(sweepId: string, status: string, plan: SweepPlan, trials: readonly StoredTrial[], seconds: number | null): SweepSummary {
  const counts = { total: trials.length, complete: 0, pruned: 0, failed: 0, queued: 0, running: 0 };
  for (const t of trials) counts[t.state]++;
  const best = bestTrial(trials, plan.goal);
  const file = relative(process.cwd(), plan.file) || plan.file;
  const reproduce = best === null ? null : ['train', file, ...trialOverrides(plan, best.params).flatMap((o) => ['--set', o])];
  const failed = trials.find((t) => t.state === 'failed' && t.error !== null);
  const firstFailure = failed?.error == null ? null : { number: failed.number, error: failed.error };
  return { sweepId, status, method: plan.method, metric: plan.metric, goal: plan.goal, counts, best, reproduce, seconds, firstFailure };
}

/** The summary as text for a terminal. */
export function formatSummary(s: SweepSummary): string {
  const c = s.counts;
  const parts = [`${c.complete} complete`, `${c.pruned} pruned`, `${c.failed} failed`, ...(c.queued + c.running > 0 ? [`${c.queued + c.running} unfinished`] : [])];
  const lines = [`Sweep ${s.sweepId} ${s.status}: ${c.total} trial${c.total === 1 ? '' : 's'} (${parts.join(', ')})${s.seconds === null ? '' : ` in ${fmtDuration(s.seconds * 1000)}`}`];
  const f = s.firstFailure;
  if (s.best === null) {
    lines.push(`No trial produced a finite ${s.metric}.`);
    if (f !== null) lines.push(`Trial ${f.number} failed with:`, ...f.error.split('\n').map((l) => `  ${l}`));
  } else {
    lines.push(`Best: trial ${s.best.number}  ${s.metric} = ${fmtNum(s.best.value)} (${s.goal}; final: the trial's kept model)${s.best.runId ? `  run ${s.best.runId}` : ''}`);
    for (const [k, v] of Object.entries(s.best.params)) lines.push(`  ${k} = ${JSON.stringify(v)}`);
    // The error's first two lines: where, and what.
    if (f !== null) lines.push(`First failure: trial ${f.number}: ${f.error.split('\n').slice(0, 2).join(' ').replace(/\s+/g, ' ')}`);
  }
  if (s.reproduce) lines.push(`Reproduce: kiln ${s.reproduce.map(shellQuote).join(' ')}`);
  if (s.status === 'interrupted') lines.push(`Resume: kiln sweep --resume ${s.sweepId}`);
  return lines.join('\n');
}
