/**
 * Counting the runs a listing matches. The exact count evaluates the filter on every run (one pass over the
 * filter's indexes, building each keyed condition's run list): at 100,000 runs and a three-condition filter
 * matching 17,000 that is ~110 ms in SQLite and PostgreSQL alike, where the page itself costs a few ms, and no
 * set-based plan we measured (INTERSECT/UNION of the index ranges, hash joins) came well under 100 ms.
 *
 * So a listing may ask for a bounded count instead (what GitHub's "1,000+" and MLflow's paged search do): the
 * runs are checked one by one (correlated probes) among the newest WINDOW_RUNS runs, stopping at `bound + 1`
 * matches. Reaching that proves "more than `bound`" in ~20 ms; a window holding every run gives the exact
 * count; a selective filter (fewer than `bound` matches in the window) takes the exact count. The exact total
 * is a separate call (countRuns), which the UI fetches after its first paint.
 */
import { and, count, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Store } from './open.ts';
import { distinctKeys, type KeyedTable } from './distinct-keys.ts';
import { experiments, metricSummaries, params, runs, tags } from './schema.ts';
import { compileFilter, type KnownKeys } from './filter-sql.ts';
import { windowRuns } from './newest-runs.ts';

/** The bound the UI's listings count to ("1,000+"): pages within it show the bounded total, the exact one comes after. */
export const COUNT_BOUND = 1000;

/** Runs a bounded count examines (newest first) before it hands over to the exact count (~2 µs each in SQLite). */
export const WINDOW_RUNS = 10_000;

/** What selects a listing's runs: the filter, the experiment, folds hidden or not (paging and sort left out). */
export interface RunCountQuery {
  filter?: string;
  experiment?: string;
  hideFolds?: boolean;
}

/** A count: `exact` false means at least `total` runs match (the count stopped there). */
export interface RunCount {
  total: number;
  exact: boolean;
}

/** A listing's conditions: `where` over runs (and experiments when `joinExperiments`), `filtered` when a filter is among them. */
export interface RunConditions {
  where: SQL | undefined;
  filtered: boolean;
  joinExperiments: boolean;
}

/** Answers "which known keys look like this one" only when the exact key is absent (cheap index probe). */
export function knownKeys(store: Store): KnownKeys {
  const probe = (table: typeof params | typeof tags | typeof metricSummaries, name: KeyedTable) => async (key: string) => {
    const hit = await store.db.select({ one: sql`1` }).from(table).where(eq(table.key, key)).limit(1).then((r) => r[0]);
    return hit === undefined ? distinctKeys(store, name) : null;
  };
  return { metric: probe(metricSummaries, 'metric_summaries'), param: probe(params, 'params'), tag: probe(tags, 'tags') };
}

/** The query's conditions over runs (joined with experiments when they name one); `correlated` and `known` as compileFilter's. */
export async function countConditions(store: Store, q: RunCountQuery, correlated: boolean, known?: KnownKeys): Promise<RunConditions> {
  const scope: SQL[] = [];
  if (q.experiment !== undefined) scope.push(eq(experiments.name, q.experiment));
  if (q.hideFolds === true) scope.push(isNull(runs.foldParentId));
  const filter = await compileFilter(store.db, q.filter, known, correlated ? store.conn.dialect : undefined);
  // every run has its experiment (NOT NULL, cascading): join it only when a condition reads its name
  return { where: and(...scope, filter), filtered: filter !== undefined, joinExperiments: q.experiment !== undefined || /experiment/.test(q.filter ?? '') };
}

/** The number of runs matching `where` (list-form conditions), every run evaluated. */
export async function exactCount(store: Store, where: SQL | undefined, joinExperiments: boolean): Promise<number> {
  const from = store.db.select({ n: count() }).from(runs);
  const query = joinExperiments ? from.innerJoin(experiments, eq(experiments.id, runs.experimentId)).where(where) : from.where(where);
  const row = await query.then((r) => r[0]);
  return Number(row?.n ?? 0);
}

/** Matches among the scope's runs started at or after its `window`-th newest, stopping at `limit` (per-run probes), and whether those are every run of it. */
async function windowCount(store: Store, q: RunCountQuery, limit: number, window: number): Promise<{ n: number; everyRun: boolean }> {
  const { from, everyRun } = await windowRuns(store, q, await countConditions(store, q, true), window);
  // Any run of the window may count; the order (no tie-break, which would need a sort) makes both engines walk a
  // start-time index and stop at `limit`, where SQLite otherwise read the runs of a filtered status in its index.
  const found = await store.conn.rows(sql`SELECT count(*) AS n FROM (SELECT 1 AS one ${from} ORDER BY ${runs.startedAt} DESC LIMIT ${limit}) AS matched`);
  return { n: Number(found[0]?.n ?? 0), everyRun };
}

/** Counts the query's runs exactly up to `bound`; beyond it `{ total: bound, exact: false }` when that was cheaper to know. */
export async function boundedCount(store: Store, q: RunCountQuery, bound: number, window = WINDOW_RUNS): Promise<RunCount> {
  const seen = await windowCount(store, q, bound + 1, window);
  if (seen.n > bound) return { total: bound, exact: false };
  if (seen.everyRun) return { total: seen.n, exact: true };
  const listed = await countConditions(store, q, false);
  return { total: await exactCount(store, listed.where, listed.joinExperiments), exact: true };
}

/** The exact number of runs a listing query matches (the UI's `GET /api/runs/count`); an unknown key fails as in listRuns. */
export async function countRuns(store: Store, q: RunCountQuery = {}): Promise<number> {
  const { where, joinExperiments } = await countConditions(store, q, false, knownKeys(store));
  return exactCount(store, where, joinExperiments);
}
