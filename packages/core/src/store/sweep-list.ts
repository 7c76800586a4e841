/** The sweep listing: every sweep with its trial counts and best completed value. */
import { desc, eq, sql } from 'drizzle-orm';
import type { Store } from './open.ts';
import type { Goal } from '../catalog/sweep.ts';
import { experiments as e, sweeps as s, trials as t } from './schema.ts';

export interface SweepSummary {
  id: string;
  name: string;
  experiment: string;
  method: string;
  metric: string;
  goal: Goal;
  status: string;
  createdAt: number;
  trials: number;
  complete: number;
  best: number | null;
}

/** All sweeps, newest first, with trial counts and the best completed value for the sweep's goal. */
export async function listSweeps(store: Store): Promise<SweepSummary[]> {
  const rows = await store.db
    .select({
      id: s.id,
      name: s.name,
      experiment: e.name,
      method: s.method,
      metric: s.metric,
      goal: s.goal,
      status: s.status,
      createdAt: s.createdAt,
      trials: sql<number>`(SELECT count(*) FROM ${t} WHERE ${t.sweepId} = ${s.id})`,
      complete: sql<number>`(SELECT count(*) FROM ${t} WHERE ${t.sweepId} = ${s.id} AND ${t.state} = 'complete')`,
      lo: sql<number | null>`(SELECT min(${t.value}) FROM ${t} WHERE ${t.sweepId} = ${s.id} AND ${t.state} = 'complete')`,
      hi: sql<number | null>`(SELECT max(${t.value}) FROM ${t} WHERE ${t.sweepId} = ${s.id} AND ${t.state} = 'complete')`,
    })
    .from(s)
    .innerJoin(e, eq(e.id, s.experimentId))
    .orderBy(desc(s.createdAt));
  return rows.map(({ lo, hi, ...r }) => ({ ...r, trials: Number(r.trials), complete: Number(r.complete), best: r.goal === 'minimize' ? lo : hi }));
}
