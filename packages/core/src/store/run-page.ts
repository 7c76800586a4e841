/**
 * The run listing's page when it sorts by a metric or a param, read in the order of the key's index
 * (metric_summaries_key_value_idx, params_key_num_run_idx: key, value, run_id): runs are checked against the filter
 * one by one (correlated probes) and the read stops after the page, where the general plan evaluates the filter on
 * every run and sorts every match (100,000 runs, 17,000 matches: ~150 ms in SQLite for a page of 50; this reads a few
 * hundred index entries).
 *
 * The read is bounded to a prefix of the order: the first PREFIX_ROWS rows of the key, cut at a value (every
 * row at or beyond the cut value comes first in the order, so the cut is a prefix whatever the ties). When the
 * filter keeps too few runs in that prefix to fill the page (a selective filter, a deep page, or a page reaching the
 * runs without the key, which sort last), the answer is null and the caller takes the general plan: the bound
 * keeps that detour to a few milliseconds.
 */
import { and, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Store } from './open.ts';
import { experiments, metricSummaries, params, runs } from './schema.ts';

/** Summaries of the sort key the page may read before it gives up (~4 µs each in SQLite with a three-condition filter). */
export const PREFIX_ROWS = 5000;

/** The keyed fields a page can be read in index order for: the table, and the value its index orders (with run_id last). */
interface OrderedSource {
  table: typeof metricSummaries | typeof params;
  key: SQLiteColumn;
  runId: SQLiteColumn;
  value: SQL;
}

const SOURCES: Record<'metric' | 'param', OrderedSource> = {
  // metric_summaries_key_value_idx (key, coalesce(final, last), run_id): the value filters and listings read
  metric: { table: metricSummaries, key: metricSummaries.key, runId: metricSummaries.runId, value: sql`coalesce(${metricSummaries.final}, ${metricSummaries.last})` },
  // params_key_num_run_idx (key, num_value, run_id): numbers and booleans; text params (no num_value) sort after them,
  // and equal numbers have equal text, so (num_value, run id) is the general plan's (num_value, text_value, run id)
  param: { table: params, key: params.key, runId: params.runId, value: sql`${params.numValue}` },
};

export interface OrderedPageRequest {
  /** What is sorted by: a metric or a param, and its key. */
  kind: 'metric' | 'param';
  key: string;
  direction: 'asc' | 'desc';
  /** The listing's conditions with keyed filters as correlated probes (compileFilter's `correlated`). */
  where: SQL | undefined;
  /** Whether `where` reads the experiment's name. */
  joinExperiments: boolean;
  limit: number;
  offset: number;
  /**
   * How many rows the page holds (from the listing's count): fewer found in the prefix means the prefix was too
   * short. Without it the ids found are returned as they are, for a caller that reads the page while it counts.
   */
  expected?: number;
  /** Rows of the key to read, about (ties at the cut value come too); PREFIX_ROWS unless given. */
  prefixRows?: number;
}

/** The value `rows` rows into the key's order (null when the key has fewer: then the whole key is the prefix). */
async function prefixCut(store: Store, src: OrderedSource, key: string, direction: 'asc' | 'desc', rows: number): Promise<number | null> {
  const order = direction === 'desc' ? sql`${src.value} DESC` : sql`${src.value} ASC`;
  const found = await store.conn.rows(sql`SELECT ${src.value} AS v FROM ${src.table} WHERE ${and(eq(src.key, key), isNotNull(src.value))} ORDER BY ${order} LIMIT 1 OFFSET ${rows - 1}`);
  const v = found[0]?.v;
  return v === undefined || v === null ? null : Number(v);
}

/** The page's run ids read in the sort key's index order, or null when the prefix held fewer matching runs than expected. */
export async function orderedPage(store: Store, req: OrderedPageRequest): Promise<string[] | null> {
  if (req.expected !== undefined && req.expected <= 0) return [];
  const src = SOURCES[req.kind];
  const { value } = src;
  const cut = await prefixCut(store, src, req.key, req.direction, req.prefixRows ?? PREFIX_ROWS);
  const bound = cut === null ? undefined : req.direction === 'desc' ? sql`${value} >= ${cut}` : sql`${value} <= ${cut}`;
  // the keyed table first (CROSS JOIN keeps SQLite's join order), so the rows come in index order and LIMIT stops the
  // read; ties on the value go newest id first, as the general plan's `runs.id DESC` orders them.
  const order = [req.direction === 'desc' ? sql`${value} DESC` : sql`${value} ASC`, sql`${src.runId} DESC`];
  const from = sql`${src.table} CROSS JOIN ${runs}${req.joinExperiments ? sql` INNER JOIN ${experiments} ON ${experiments.id} = ${runs.experimentId}` : sql``}`;
  const conds = and(eq(src.key, req.key), isNotNull(value), bound, eq(runs.id, src.runId), req.where) as SQL;
  const rows = await store.conn.rows(sql`SELECT ${src.runId} AS id FROM ${from} WHERE ${conds} ORDER BY ${sql.join(order, sql`, `)} LIMIT ${req.limit} OFFSET ${req.offset}`);
  const ids = rows.map((r) => String(r.id));
  return req.expected === undefined || ids.length === req.expected ? ids : null;
}
