/** Experiments with the best value of their main metric (listExperiments has no metric). */
import { sql, type SQL } from 'drizzle-orm';
import type { Store } from './open.ts';
import { metricSummaries as ms } from './schema.ts';
import { metricDirection } from '../catalog/metrics.ts';
import { goalFor, type Goal } from '../catalog/sweep.ts';
import { listExperiments, type ExperimentSummary } from './query.ts';

export interface ExperimentRow extends ExperimentSummary {
  /** The metric the best value is of (null when the experiment has no metrics). */
  metric: string | null;
  goal: Goal | null;
  best: number | null;
}

/** Preference order for the main metric when the caller does not choose one; never a system metric (sys/*, the runner's CPU and memory). */
const PREFERRED = [/^val\.acc(uracy)?$/, /^val\.loss$/, /^val\./, /^test\./, /^(?!sys\/)./];

/** Picks the main metric from the keys an experiment's runs logged. */
export function mainMetric(keys: string[]): string | null {
  const sorted = [...keys].sort();
  for (const re of PREFERRED) {
    const hit = sorted.find((k) => re.test(k));
    if (hit !== undefined) return hit;
  }
  return null;
}

/** Every metric key any run logged, sorted: a skip scan of metric_summaries' key index, one seek per distinct key. */
async function allMetricKeys(store: Store): Promise<string[]> {
  const rows = await store.conn.rows(sql`WITH RECURSIVE k(key) AS (
      SELECT min(${ms.key}) FROM ${ms}
      UNION ALL SELECT (SELECT min(${ms.key}) FROM ${ms} WHERE ${ms.key} > k.key) FROM k WHERE k.key IS NOT NULL)
    SELECT key FROM k WHERE key IS NOT NULL`);
  return rows.map((r) => String(r.key)).sort();
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
  for (const re of PREFERRED) {
    for (const key of keys) {
      if (seen.has(key) || !re.test(key)) continue;
      seen.add(key);
      if (await experimentHasKey(store, experimentId, key)) return key;
    }
  }
  return null;
}

/** Best (min and max of) `key` per experiment among `ids`: one grouped pass, hash-joined by PostgreSQL. */
async function bestByExperiment(store: Store, ids: number[], key: string): Promise<Map<number, { lo: number | null; hi: number | null }>> {
  const rows = await store.conn.rows(sql`SELECT r.experiment_id AS e, min(ms.min) AS lo, max(ms.max) AS hi
    FROM runs r CROSS JOIN metric_summaries ms
    WHERE ms.run_id = r.id AND ms.key = ${key} AND r.experiment_id IN (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})
    GROUP BY r.experiment_id`);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return new Map(rows.map((r) => [Number(r.e), { lo: num(r.lo), hi: num(r.hi) }]));
}

/** Every experiment with run count, last activity and best value of `metric` (or each one's main metric). */
export async function experimentsWithBest(store: Store, metric?: string): Promise<ExperimentRow[]> {
  const list = await listExperiments(store);
  if (list.length === 0) return [];
  // Keys are found per experiment by index probes in preference order, not by reading every summary row of every run.
  const keys = await allMetricKeys(store);
  const chosen = new Map<number, string | null>();
  const logged = new Map<string, number[]>();
  for (const e of list) {
    const given = metric !== undefined && metric !== '';
    // a main metric is one the experiment logged; a given one may not be
    const key = given ? metric : await experimentMainMetric(store, e.id, keys);
    chosen.set(e.id, key);
    if (key !== null && (!given || (await experimentHasKey(store, e.id, key)))) logged.set(key, [...(logged.get(key) ?? []), e.id]);
  }
  const best = new Map<number, { lo: number | null; hi: number | null }>();
  for (const [key, ids] of logged) for (const [id, b] of await bestByExperiment(store, ids, key)) best.set(id, b);
  return list.map((e) => {
    const key = chosen.get(e.id) ?? null;
    const b = best.get(e.id);
    if (key === null || b === undefined) return { ...e, metric: key, goal: null, best: null };
    const goal = goalFor(metricDirection(key));
    return { ...e, metric: key, goal, best: goal === 'minimize' ? b.lo : b.hi };
  });
}
