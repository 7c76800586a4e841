/** Read-side queries shared by the CLI and the UI: experiments, run listing, run details, diffs. */
import { asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Store } from './open.ts';
import { artifacts, experiments, params, runs } from './schema.ts';
import { boundedCount, countConditions, exactCount, knownKeys, WINDOW_RUNS, type RunConditions, type RunCount, type RunCountQuery } from './run-count.ts';
import { newestPage } from './newest-runs.ts';
import { KilnFailure } from '../errors.ts';
import { resolveField, type FieldRef } from './fields.ts';
import { sortPlan, type SortPlan } from './sort-join.ts';
import { orderedPage } from './run-page.ts';
import { runRows } from './run-rows.ts';
import { untypeParam } from './params.ts';
import { withBusyRetry } from './retry.ts';
import { runLineage } from './lineage.ts';

export { metricHistory, type History, type HistoryOptions, type HistoryPoint } from './history.ts';
export { runRows } from './run-rows.ts';

export interface ExperimentSummary {
  id: number;
  name: string;
  runCount: number;
  lastActivity: number | null;
}

/** Experiments with their run count and most recent activity, most recent first. */
export async function listExperiments(store: Store): Promise<ExperimentSummary[]> {
  // Per-experiment subqueries read runs_experiment_activity_idx (count: an index range; last activity: one seek),
  // where a join grouped over every run read all 100,000 rows. experiments.id is spelled out: drizzle leaves a
  // single-table select's columns unqualified, which inside the subquery would name the run's id.
  const owner = sql.raw('experiments.id');
  const lastActivity = sql<number | null>`(SELECT max(coalesce(r.heartbeat_at, r.ended_at, r.started_at)) FROM runs r WHERE r.experiment_id = ${owner})`;
  const rows = await store.db
    .select({
      id: experiments.id,
      name: experiments.name,
      runCount: sql<number>`(SELECT count(*) FROM runs r WHERE r.experiment_id = ${owner})`,
      lastActivity,
      createdAt: experiments.createdAt,
    })
    .from(experiments);
  return rows
    .map(({ createdAt, ...e }) => ({ ...e, runCount: Number(e.runCount), lastActivity: e.lastActivity === null ? null : Number(e.lastActivity), at: Number(e.lastActivity ?? createdAt) }))
    .sort((a, b) => b.at - a.at)
    .map(({ at: _at, ...e }) => e);
}

export interface ListRunsOptions {
  filter?: string;
  /** A run column, `metrics.<key>`, `params.<key>` or `tags.<key>`; prefix with `-` for descending. */
  sort?: string;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
  experiment?: string;
  /** Leave out k-fold children (runs with a fold parent): `kiln runs` and the UI list their parents only. */
  hideFolds?: boolean;
  /**
   * Count the matches only up to this many where the exact total would cost more than the page (a page sorted
   * by a metric or param within the first `countBound` matches): `total` is then `countBound` and `exact` false.
   * Without it the total is always exact (`kiln runs`, the CSV export).
   */
  countBound?: number;
}

/** A metric's summary: `final` is the kept model's value (null until the run kept one), `last` the last point logged. */
export interface MetricSummary {
  last: number | null;
  final: number | null;
  min: number | null;
  max: number | null;
  bestStep: number | null;
  count: number;
}

/** Which value a surface shows for a metric: the kept model's (`final`) when the run recorded one, else the last logged. */
export function summaryValue(m: MetricSummary | undefined): { value: number | null; label: 'final' | 'last' } {
  if (m === undefined) return { value: null, label: 'last' };
  return m.final !== null ? { value: m.final, label: 'final' } : { value: m.last, label: 'last' };
}

export interface RunRow {
  id: string;
  /** Unique display name, `<pipeline>-<hex>`. */
  name: string;
  /** The pipeline's `name`. */
  pipeline: string | null;
  /** Epoch whose weights the run kept, when it kept a model. */
  keptEpoch: number | null;
  /** A k-fold child's parent run and its fold (1-based); null for other runs. */
  foldParentId: string | null;
  fold: number | null;
  experiment: string;
  status: string;
  startedAt: number;
  endedAt: number | null;
  durationMs: number | null;
  sweepId: string | null;
  trialNumber: number | null;
  failureReason: string | null;
  metrics: Record<string, MetricSummary>;
  params: Record<string, unknown>;
  tags: Record<string, string>;
}

export interface RunPage {
  /** The number of matching runs; a lower bound when `exact` is false (see ListRunsOptions.countBound). */
  total: number;
  exact: boolean;
  runs: RunRow[];
}

/** The field to sort by; an unknown one is an error of the sort option (path 'sort'), not of a column of the filter. */
function sortKey(field: string): FieldRef {
  try {
    return resolveField(field, 1);
  } catch (e) {
    if (!(e instanceof KilnFailure)) throw e;
    throw new KilnFailure(e.errors.map(({ code, message, hint }) => ({ code, path: 'sort', message: `${message.replace(/ \(column \d+\)$/, '')} in the sort key`, ...(hint === undefined ? {} : { hint }) })));
  }
}

/** The listing's total for a page ending at `end`: bounded when asked and the page lies within the bound, else exact. */
async function pageTotal(store: Store, q: RunCountQuery, listed: RunConditions, end: number, bound: number | undefined): Promise<RunCount> {
  if (bound !== undefined && end <= bound) return boundedCount(store, q, bound);
  return { total: await exactCount(store, listed.where, listed.joinExperiments), exact: true };
}

/** Lists runs with a filter, a sort on any field and pagination; each row carries its metrics, params and tags. */
export async function listRuns(store: Store, opts: ListRunsOptions = {}): Promise<RunPage> {
  const q: RunCountQuery = { filter: opts.filter, experiment: opts.experiment, hideFolds: opts.hideFolds };
  const listed = await countConditions(store, q, false, knownKeys(store));
  const { where, joinExperiments } = listed;

  let sortField = opts.sort ?? 'startedAt';
  let direction = opts.order ?? (opts.sort === undefined ? 'desc' : 'asc');
  if (sortField.startsWith('-')) [sortField, direction] = [sortField.slice(1), 'desc'];
  const ref = sortKey(sortField);
  const [limit, offset] = [opts.limit ?? 50, opts.offset ?? 0];

  if (ref.kind === 'metric' || ref.kind === 'param') {
    // Counted apart (run-count.ts) while the page is read in the key's index order (run-page.ts; PostgreSQL runs the
    // two on two connections at once); the prefix's page stands when it holds as many runs as the count leaves.
    const correlated = await countConditions(store, q, true);
    const [counted, found] = await Promise.all([
      pageTotal(store, q, listed, offset + limit, opts.countBound),
      orderedPage(store, { kind: ref.kind, key: ref.key, direction, where: correlated.where, joinExperiments, limit, offset }),
    ]);
    const expected = Math.max(0, Math.min(limit, counted.total - offset));
    const ids = found !== null && found.length === expected ? found : (await pageIds(store, { where, plan: sortPlan(ref), direction, limit, offset, windowed: false })).ids;
    return { ...counted, runs: await runRows(store, ids) };
  }
  if (ref.kind === 'column' && ref.column === runs.startedAt && direction === 'desc') {
    const page = await newestFirstPage(store, q, limit, offset, opts.countBound);
    if (page !== null) return page;
  }
  // With a filter, the window count rides on the page query, so the filter is evaluated once, not once more for
  // the total: exact at no extra cost. Without one, count(*) reads an index and the page can stop after `limit` rows.
  const windowed = listed.filtered;
  const page = await pageIds(store, { where, plan: sortPlan(ref), direction, limit, offset, windowed });
  const total = page.total ?? (await exactCount(store, where, joinExperiments));
  return { total, exact: true, runs: await runRows(store, page.ids) };
}

/**
 * The default newest-first listing within the count bound: the page read from the newest runs (newest-runs.ts)
 * while the bounded count runs; null when they held too few matches (then the general plan).
 */
async function newestFirstPage(store: Store, q: RunCountQuery, limit: number, offset: number, bound: number | undefined): Promise<RunPage | null> {
  if (bound === undefined || offset + limit > bound) return null;
  const correlated = await countConditions(store, q, true);
  const [counted, { ids }] = await Promise.all([boundedCount(store, q, bound), newestPage(store, q, correlated, limit, offset, WINDOW_RUNS)]);
  if (ids.length !== Math.max(0, Math.min(limit, counted.total - offset))) return null;
  return { ...counted, runs: await runRows(store, ids) };
}

interface PageQuery {
  where: SQL | undefined;
  plan: SortPlan;
  direction: 'asc' | 'desc';
  limit: number;
  offset: number;
  /** Count the matches with a window on the page query (null when the page is past the end and carries none). */
  windowed: boolean;
}

/** The general plan: the filter over every run, matches sorted, one page of ids (and the window count when asked). */
async function pageIds(store: Store, q: PageQuery): Promise<{ ids: string[]; total: number | null }> {
  const orderBy = q.plan.exprs.map((e) => (q.direction === 'desc' ? sql`${e} DESC NULLS LAST` : sql`${e} ASC NULLS LAST`));
  const total = q.windowed ? sql<number>`count(*) OVER ()` : sql<number>`0`;
  let query = store.db.select({ id: runs.id, total }).from(runs).innerJoin(experiments, eq(experiments.id, runs.experimentId)).$dynamic();
  if (q.plan.join !== null) query = query.leftJoin(q.plan.join.table, q.plan.join.on);
  const page = await query
    .where(q.where)
    .orderBy(...orderBy, desc(runs.id))
    .limit(q.limit)
    .offset(q.offset);
  return { ids: page.map((p) => p.id), total: q.windowed && page[0] !== undefined ? Number(page[0].total) : null };
}

/** The fold runs of a k-fold parent (data.split.folds), by fold. */
export async function foldRuns(store: Store, parentId: string): Promise<RunRow[]> {
  const ids = await store.db.select({ id: runs.id }).from(runs).where(eq(runs.foldParentId, parentId)).orderBy(asc(runs.fold), asc(runs.startedAt), asc(runs.id));
  return runRows(
    store,
    ids.map((r) => r.id),
  );
}

/** One run with everything recorded about it (its transfer parent and children too, a k-fold parent's fold runs), or null. */
export async function getRun(store: Store, runId: string) {
  const run = await store.db
    .select({ run: runs, experiment: experiments.name })
    .from(runs)
    .innerJoin(experiments, eq(experiments.id, runs.experimentId))
    .where(eq(runs.id, runId))
    .limit(1)
    .then((r) => r[0]);
  if (run === undefined) return null;
  const [row] = await runRows(store, [runId]);
  // Deleted between the two reads (another process's kiln delete): gone, as if looked up a moment later.
  if (row === undefined) return null;
  const arts = await store.db.select().from(artifacts).where(eq(artifacts.runId, runId)).orderBy(asc(artifacts.id));
  const [{ parent, children }, folds] = await Promise.all([runLineage(store, runId, run.run.parentRunId), foldRuns(store, runId)]);
  const { configJson, ...rest } = run.run;
  return { ...rest, status: row.status, failureReason: row.failureReason, experiment: run.experiment, config: JSON.parse(configJson) as unknown, metrics: row.metrics, params: row.params, tags: row.tags, artifacts: arts, parent, children, folds };
}

export interface ParamDiff {
  key: string;
  /** Value per run id (undefined where a run lacks the param). */
  values: Record<string, unknown>;
}

/** Params whose values differ across the given runs (missing counts as different). */
export async function paramDiff(store: Store, runIds: string[]): Promise<ParamDiff[]> {
  if (runIds.length === 0) return [];
  const rows = await store.db.select().from(params).where(inArray(params.runId, runIds)).orderBy(asc(params.key));
  const byKey = new Map<string, Record<string, unknown>>();
  for (const p of rows) {
    const values = byKey.get(p.key) ?? {};
    values[p.runId] = untypeParam(p.type, p.textValue, p.numValue);
    byKey.set(p.key, values);
  }
  const diffs: ParamDiff[] = [];
  for (const [key, values] of byKey) {
    const seen = new Set(runIds.map((id) => (id in values ? JSON.stringify(values[id]) : '\u0000missing')));
    if (seen.size > 1) diffs.push({ key, values });
  }
  return diffs;
}

/** Deletes a run and (by cascade) everything recorded for it; true if it existed. Artifact files are left to the caller. */
export async function deleteRun(store: Store, runId: string): Promise<boolean> {
  const rows = await withBusyRetry(() => store.db.delete(runs).where(eq(runs.id, runId)).returning({ id: runs.id }));
  return rows.length > 0;
}
