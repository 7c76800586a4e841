// Store operations sweeps need beyond core's: guarded trial updates (a worker can only change the
// trial it holds, so a trial requeued under a hung worker is never overwritten by it), and the
// per-epoch values of every trial, read from the runs' metrics.
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import { KilnFailure, kilnError, tables, withBusyRetry, type Store, type TrialState } from '@kiln/core';

const { trials, runs, metrics, sweeps } = tables;

/** Records the outcome of a trial this worker holds; false when the trial was taken from it meanwhile. */
export async function finishOwnTrial(
  store: Store,
  trialId: number,
  workerId: string,
  outcome: { state: Exclude<TrialState, 'queued' | 'running'>; value: number | null; runId: string | null; error?: string },
): Promise<boolean> {
  const rows = await withBusyRetry(() =>
    store.db
      .update(trials)
      .set({ state: outcome.state, value: outcome.value, runId: outcome.runId, heartbeatAt: Date.now(), error: outcome.error ?? null })
      .where(and(eq(trials.id, trialId), eq(trials.workerId, workerId), eq(trials.state, 'running')))
      .returning({ id: trials.id }),
  );
  return rows.length > 0;
}

/** Puts the running trials of one worker back in the queue (it was stopped or died); returns how many. */
export async function requeueWorkerTrials(store: Store, sweepId: string, workerId: string): Promise<number> {
  const rows = await withBusyRetry(() =>
    store.db
      .update(trials)
      .set({ state: 'queued', workerId: null, runId: null, heartbeatAt: null })
      .where(and(eq(trials.sweepId, sweepId), eq(trials.workerId, workerId), eq(trials.state, 'running')))
      .returning({ id: trials.id }),
  );
  return rows.length;
}

/** The id of the run each trial number trained last (a requeued trial may have an older, killed run). */
export async function latestRuns(store: Store, sweepId: string): Promise<Map<number, { runId: string; status: string }>> {
  const rows = await store.db
    .select({ id: runs.id, trial: runs.trialNumber, status: runs.status, startedAt: runs.startedAt })
    .from(runs)
    .where(eq(runs.sweepId, sweepId))
    .orderBy(asc(runs.startedAt));
  const out = new Map<number, { runId: string; status: string }>();
  for (const r of rows) if (r.trial !== null) out.set(r.trial, { runId: r.id, status: r.status });
  return out;
}

/** Per-epoch values of `metric` for every trial number of the sweep, as [epoch, value] pairs by epoch. */
export async function trialCurves(store: Store, sweepId: string, metric: string): Promise<Map<number, Array<[number, number]>>> {
  const latest = await latestRuns(store, sweepId);
  const byRun = new Map([...latest].map(([trial, r]) => [r.runId, trial]));
  const out = new Map<number, Array<[number, number]>>();
  if (byRun.size === 0) return out;
  const rows = await store.db
    .select({ runId: metrics.runId, step: metrics.step, epoch: metrics.epoch, value: metrics.value })
    .from(metrics)
    .where(and(inArray(metrics.runId, [...byRun.keys()]), eq(metrics.key, metric)))
    .orderBy(asc(metrics.step));
  // One value per epoch (the last, should a key be logged within epochs too); NaN is stored as NULL
  // and read back as NaN, which pruners treat as the worst value, as Optuna does.
  const perEpoch = new Map<number, Map<number, number>>();
  for (const r of rows) {
    const trial = byRun.get(r.runId)!;
    const curve = perEpoch.get(trial) ?? new Map<number, number>();
    curve.set(r.epoch ?? r.step, r.value ?? Number.NaN);
    perEpoch.set(trial, curve);
  }
  for (const [trial, curve] of perEpoch) out.set(trial, [...curve].sort((a, b) => a[0] - b[0]));
  return out;
}

/** Resolves a sweep id or a unique prefix of one. */
export async function resolveSweepId(store: Store, idOrPrefix: string): Promise<string> {
  const hint = 'the sweep id is printed when a sweep starts; the store holds the sweeps table (--store picks another store)';
  if (!/^[A-Za-z0-9_-]+$/.test(idOrPrefix)) throw new KilnFailure(kilnError('sweep/not-found', '', `no sweep "${idOrPrefix}" in this store`, hint));
  const rows = await store.db.select({ id: sweeps.id }).from(sweeps).where(like(sweeps.id, `${idOrPrefix}%`)).limit(2);
  const [only, ...more] = rows;
  if (only !== undefined && more.length === 0) return only.id;
  if (rows.length === 0) throw new KilnFailure(kilnError('sweep/not-found', '', `no sweep "${idOrPrefix}" in this store`, hint));
  throw new KilnFailure(kilnError('sweep/ambiguous', '', `sweep id prefix "${idOrPrefix}" matches several sweeps`, 'give more characters of the id'));
}
