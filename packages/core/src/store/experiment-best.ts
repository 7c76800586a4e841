/** Experiments with the best value of their main metric (listExperiments has no metric). */
import { and, asc, desc, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Store } from './open.ts';
import { distinctKeys } from './distinct-keys.ts';
import { metricSummaries as ms } from './schema.ts';
import { metricDirection } from '../catalog/metrics.ts';
import { isSystemKey } from '../catalog/system-metrics.ts';
import { goalFor, type Goal } from '../catalog/sweep.ts';
import { listExperiments, type ExperimentSummary } from './query.ts';

export interface ExperimentRow extends ExperimentSummary {
  /** The metric the best value is of (null when the experiment has no metrics). */
  metric: string | null;
  goal: Goal | null;
  best: number | null;
}

const matches = (re: RegExp) => (key: string) => re.test(key);

/** Preference order for the main metric when the caller does not choose one; never a system metric (the runner's CPU, memory, epoch time). */
const PREFERRED: Array<(key: string) => boolean> = [matches(/^val\.acc(uracy)?$/), matches(/^val\.loss$/), matches(/^val\./), matches(/^test\./), (key) => key !== '' && !isSystemKey(key)];

/** Picks the main metric from the keys an experiment's runs logged. */
export function mainMetric(keys: string[]): string | null {
  const sorted = [...keys].sort();
  for (const prefer of PREFERRED) {
    const hit = sorted.find(prefer);
    if (hit !== undefined) return hit;
  }
  return null;
}

/**
 * `runs r CROSS JOIN metric_summaries ms` over the experiment's runs: CROSS JOIN keeps SQLite's join order (runs of the
 * experiment by index, then one summary probe each: 10,000 runs in ~60 ms), where its planner started from the key's
 * summaries of every experiment (100,000 probes, ~550 ms); PostgreSQL plans it as any inner join.
 */
function experimentSummaries(experimentId: number, key: string): SQL {
  return sql`FROM runs r CROSS JOIN metric_summaries ms WHERE ms.run_id = r.id AND r.experiment_id = ${experimentId} AND ms.key = ${key}`;
}

/** Whether some run of the experiment logged `key`. */
async function experimentHasKey(store: Store, experimentId: number, key: string): Promise<boolean> {
  const hit = await store.conn.rows(sql`SELECT 1 AS one ${experimentSummaries(experimentId, key)} LIMIT 1`);
  return hit.length > 0;
}

/** The experiment's main metric: the first key in preference order (mainMetric's) that one of its runs logged. */
async function experimentMainMetric(store: Store, experimentId: number, keys: string[]): Promise<string | null> {
  const seen = new Set<string>();
  for (const prefer of PREFERRED) {
    for (const key of keys) {
      if (seen.has(key) || !prefer(key)) continue;
      seen.add(key);
      if (await experimentHasKey(store, experimentId, key)) return key;
    }
  }
  return null;
}

/** Summaries of a key read from its best end before the experiments not met there read their own runs. */
export const BEST_PREFIX = 2000;

/** `best` is max(max) or min(min) of the summaries `from` selects, per experiment. */
async function bestRows(store: Store, best: SQL, from: SQL): Promise<Map<number, number | null>> {
  const rows = await store.conn.rows(sql`SELECT r.experiment_id AS e, ${best} AS best ${from} GROUP BY r.experiment_id`);
  return new Map(rows.map((r) => [Number(r.e), r.best === null || r.best === undefined ? null : Number(r.best)]));
}

/**
 * The best value of `key` per experiment among `ids`. First the key's BEST_PREFIX best summaries, in the order of
 * metric_summaries_key_max_idx / _min_idx, grouped by experiment: an experiment with a run among them has its best
 * there (every summary better than the cut is read). Only the experiments with none read all their runs' summaries
 * (hash-joined by PostgreSQL; SQLite probes one summary per run: ~5 µs each, 50 ms for a 10,000-run experiment).
 */
async function bestByExperiment(store: Store, ids: number[], key: string, goal: Goal, prefix: number): Promise<Map<number, number | null>> {
  const col = goal === 'minimize' ? ms.min : ms.max;
  const best = goal === 'minimize' ? sql`min(${col})` : sql`max(${col})`;
  const cutRow = await store.db
    .select({ v: col })
    .from(ms)
    .where(and(eq(ms.key, key), isNotNull(col)))
    .orderBy(goal === 'minimize' ? asc(col) : desc(col))
    .limit(1)
    .offset(prefix - 1)
    .then((r) => r[0]);
  const cut = cutRow?.v ?? null;
  const bound = cut === null ? sql`` : goal === 'minimize' ? sql` AND ${col} <= ${cut}` : sql` AND ${col} >= ${cut}`;
  const inIds = (list: number[]) => sql.join(list.map((id) => sql`${id}`), sql`, `);
  const found = await bestRows(store, best, sql`FROM ${ms} CROSS JOIN runs r WHERE ${ms.key} = ${key} AND ${col} IS NOT NULL${bound} AND r.id = ${ms.runId} AND r.experiment_id IN (${inIds(ids)})`);
  const rest = ids.filter((id) => !found.has(id));
  if (rest.length === 0) return found;
  // runs first, as experimentSummaries reads them
  const own = await bestRows(store, best, sql`FROM runs r CROSS JOIN ${ms} WHERE ${ms.runId} = r.id AND ${ms.key} = ${key} AND r.experiment_id IN (${inIds(rest)})`);
  for (const [id, b] of own) found.set(id, b);
  return found;
}

/** Every experiment with run count, last activity and best value of `metric` (or each one's main metric); `prefix`: see BEST_PREFIX. */
export async function experimentsWithBest(store: Store, metric?: string, prefix = BEST_PREFIX): Promise<ExperimentRow[]> {
  const list = await listExperiments(store);
  if (list.length === 0) return [];
  // Keys are found per experiment by index probes in preference order, not by reading every summary row of every run.
  const keys = await distinctKeys(store, 'metric_summaries', Number.MAX_SAFE_INTEGER);
  const chosen = new Map<number, string | null>();
  const logged = new Map<string, number[]>();
  for (const e of list) {
    const given = metric !== undefined && metric !== '';
    // a main metric is one the experiment logged; a given one may not be
    const key = given ? metric : await experimentMainMetric(store, e.id, keys);
    chosen.set(e.id, key);
    if (key !== null && (!given || (await experimentHasKey(store, e.id, key)))) logged.set(key, [...(logged.get(key) ?? []), e.id]);
  }
  const best = new Map<number, number | null>();
  for (const [key, ids] of logged) for (const [id, b] of await bestByExperiment(store, ids, key, goalFor(metricDirection(key)), prefix)) best.set(id, b);
  return list.map((e) => {
    const key = chosen.get(e.id) ?? null;
    const b = best.get(e.id);
    if (key === null || b === undefined) return { ...e, metric: key, goal: null, best: null };
    return { ...e, metric: key, goal: goalFor(metricDirection(key)), best: b };
  });
}
