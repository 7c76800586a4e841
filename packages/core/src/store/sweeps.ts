/** Sweeps and their trials; workers claim trials atomically so no trial runs twice. */
import { randomBytes } from 'node:crypto';
import { and, asc, eq, lt, or, isNull, sql } from 'drizzle-orm';
import type { Store } from './open.ts';
import { sweeps, trials, type TrialState } from './schema.ts';
import { getOrCreateExperiment } from './experiments.ts';
import { withBusyRetry } from './retry.ts';
import type { Goal } from '../catalog/sweep.ts';

export interface SweepInput {
  name: string;
  experiment: string;
  spec: unknown;
  method: string;
  metric: string;
  goal: Goal;
}

export interface Trial {
  id: number;
  sweepId: string;
  number: number;
  params: Record<string, unknown>;
  state: TrialState;
  runId: string | null;
  workerId: string | null;
  heartbeatAt: number | null;
  value: number | null;
  /** Why a failed trial failed, as the command line printed it; null otherwise. */
  error: string | null;
}

type TrialRow = typeof trials.$inferSelect;

function toTrial(r: TrialRow): Trial {
  const { paramsJson, ...rest } = r;
  return { ...rest, params: JSON.parse(paramsJson) as Record<string, unknown> };
}

/** Creates a sweep (status `running`) and returns its id. */
export async function createSweep(store: Store, input: SweepInput): Promise<string> {
  const experimentId = await getOrCreateExperiment(store.conn, input.experiment);
  const id = `s${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  await withBusyRetry(() =>
    store.db.insert(sweeps).values({
      id,
      name: input.name,
      experimentId,
      specJson: JSON.stringify(input.spec),
      method: input.method,
      metric: input.metric,
      goal: input.goal,
      status: 'running',
      createdAt: Date.now(),
    }),
  );
  return id;
}

/** Queues trials; numbers already present are ignored, so a restarted scheduler can re-add safely. */
export async function addTrials(store: Store, sweepId: string, items: { number: number; params: Record<string, unknown> }[]): Promise<void> {
  if (items.length === 0) return;
  const rows = items.map((t) => ({ sweepId, number: t.number, paramsJson: JSON.stringify(t.params), state: 'queued' as const }));
  await store.conn.writeBatch([store.db.insert(trials).values(rows).onConflictDoNothing()]);
}

/**
 * Claims the lowest-numbered queued trial for `workerId`, or null when none is queued. One
 * UPDATE .. WHERE id = (SELECT .. LIMIT 1) RETURNING statement: atomic under SQLite's write lock;
 * in PostgreSQL the subquery takes FOR UPDATE SKIP LOCKED, so concurrent claimers each lock a
 * different queued row instead of queueing behind (and then missing) the same one.
 */
export async function claimTrial(store: Store, sweepId: string, workerId: string): Promise<Trial | null> {
  const next = store.db
    .select({ id: trials.id })
    .from(trials)
    .where(and(eq(trials.sweepId, sweepId), eq(trials.state, 'queued')))
    .orderBy(asc(trials.number))
    .limit(1);
  const rows = await withBusyRetry(() =>
    store.db
      .update(trials)
      .set({ state: 'running', workerId, heartbeatAt: Date.now() })
      .where(and(eq(trials.id, sql`(${next}${store.conn.skipLocked})`), eq(trials.state, 'queued')))
      .returning(),
  );
  const [claimed] = rows;
  return claimed === undefined ? null : toTrial(claimed);
}

/** Refreshes a running trial's heartbeat (and records its run id once known). */
export async function heartbeatTrial(store: Store, trialId: number, runId?: string): Promise<void> {
  const set = runId === undefined ? { heartbeatAt: Date.now() } : { heartbeatAt: Date.now(), runId };
  await withBusyRetry(() => store.db.update(trials).set(set).where(eq(trials.id, trialId)));
}

/**
 * Records a trial's outcome. With `workerId`, only while that worker still holds the trial (a trial
 * requeued from a worker presumed dead is not overwritten by it); returns whether it was recorded.
 */
export async function finishTrial(
  store: Store,
  trialId: number,
  outcome: { state: Exclude<TrialState, 'queued' | 'running'>; value?: number | null; runId?: string | null; workerId?: string; error?: string },
): Promise<boolean> {
  const set = { state: outcome.state, value: outcome.value ?? null, heartbeatAt: Date.now(), error: outcome.error ?? null, ...(outcome.runId ? { runId: outcome.runId } : {}) };
  const own = outcome.workerId === undefined ? [] : [eq(trials.workerId, outcome.workerId), eq(trials.state, 'running')];
  const rows = await withBusyRetry(() =>
    store.db
      .update(trials)
      .set(set)
      .where(and(eq(trials.id, trialId), ...own))
      .returning({ id: trials.id }),
  );
  return rows.length > 0;
}

/** Puts `running` trials whose worker stopped heart-beating for `staleMs` back in the queue; returns how many. */
export async function requeueStaleTrials(store: Store, sweepId: string, staleMs: number, now: number = Date.now()): Promise<number> {
  const rows = await withBusyRetry(() =>
    store.db
      .update(trials)
      .set({ state: 'queued', workerId: null, runId: null, heartbeatAt: null })
      .where(
        and(eq(trials.sweepId, sweepId), eq(trials.state, 'running'), or(isNull(trials.heartbeatAt), lt(trials.heartbeatAt, now - staleMs))),
      )
      .returning({ id: trials.id }),
  );
  return rows.length;
}

/** All trials of a sweep in number order. */
export async function listTrials(store: Store, sweepId: string): Promise<Trial[]> {
  const rows = await store.db.select().from(trials).where(eq(trials.sweepId, sweepId)).orderBy(asc(trials.number));
  return rows.map(toTrial);
}

/** Sets a sweep's status (e.g. `finished`). */
export async function setSweepStatus(store: Store, sweepId: string, status: string): Promise<void> {
  await withBusyRetry(() => store.db.update(sweeps).set({ status }).where(eq(sweeps.id, sweepId)));
}

/** One sweep row, with its spec parsed. */
export async function getSweep(store: Store, sweepId: string) {
  const row = await store.db.select().from(sweeps).where(eq(sweeps.id, sweepId)).limit(1).then((r) => r[0]);
  if (row === undefined) return null;
  const { specJson, ...rest } = row;
  return { ...rest, spec: JSON.parse(specJson) as unknown };
}
