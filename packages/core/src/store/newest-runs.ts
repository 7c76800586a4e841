/**
 * The newest runs of a listing's scope: a bounded count checks them one by one (run-count.ts), and a newest-first
 * page with a filter is read from them in order and stops when full, where the general plan evaluates the filter on
 * every run (~120 ms at 100,000 runs for a filter matching 17,000).
 */
import { and, gte, isNull, sql, type SQL } from 'drizzle-orm';
import type { Store } from './open.ts';
import { experiments, runs } from './schema.ts';
import type { RunConditions, RunCountQuery } from './run-count.ts';

/** The scope's conditions on the runs table alone (the experiment by its id). */
export function scopeOf(q: RunCountQuery): SQL | undefined {
  const experiment = q.experiment === undefined ? undefined : sql`${runs.experimentId} = (SELECT ${experiments.id} FROM ${experiments} WHERE ${experiments.name} = ${q.experiment})`;
  return and(experiment, q.hideFolds === true ? isNull(runs.foldParentId) : undefined);
}

/** The start time of the `window`-th newest run of the scope (null when it holds fewer): runs from it on are a prefix of the newest-first order. */
export async function windowCut(store: Store, q: RunCountQuery, window: number): Promise<number | null> {
  const scope = scopeOf(q);
  const rows = await store.conn.rows(sql`SELECT ${runs.startedAt} AS s FROM ${runs}${scope === undefined ? sql`` : sql` WHERE ${scope}`} ORDER BY ${runs.startedAt} DESC LIMIT 1 OFFSET ${window - 1}`);
  const cut = rows[0]?.s;
  return cut === undefined || cut === null ? null : Number(cut);
}

/**
 * `FROM runs [JOIN experiments] WHERE <scope, started at or after the window's cut, cond>`: the scope's runs from
 * its `window`-th newest on (every run when it holds fewer, `everyRun`), with `cond`'s correlated conditions.
 */
export async function windowRuns(store: Store, q: RunCountQuery, cond: RunConditions, window: number): Promise<{ from: SQL; everyRun: boolean }> {
  const cut = await windowCut(store, q, window);
  const join = cond.joinExperiments ? sql` INNER JOIN ${experiments} ON ${experiments.id} = ${runs.experimentId}` : sql``;
  const where = and(scopeOf(q), cut === null ? undefined : gte(runs.startedAt, cut), cond.where);
  return { from: sql`FROM ${runs}${join}${where === undefined ? sql`` : sql` WHERE ${where}`}`, everyRun: cut === null };
}

/**
 * A newest-first page (started_at, then id, descending: the general plan's order) read from the window's runs
 * (windowRuns): the page's ids, fewer than `limit` when those runs held too few matches (they are a prefix of the
 * order, so a full page is the listing's page), and whether the window held every run of the scope (then a short
 * page is short for the whole listing too). The range and the order let both dialects walk a start-time index and
 * stop when the page is full.
 */
export async function newestPage(store: Store, q: RunCountQuery, cond: RunConditions, limit: number, offset: number, window: number): Promise<{ ids: string[]; everyRun: boolean }> {
  const { from, everyRun } = await windowRuns(store, q, cond, window);
  const rows = await store.conn.rows(sql`SELECT ${runs.id} AS id ${from} ORDER BY ${runs.startedAt} DESC, ${runs.id} DESC LIMIT ${limit} OFFSET ${offset}`);
  return { ids: rows.map((r) => String(r.id)), everyRun };
}
