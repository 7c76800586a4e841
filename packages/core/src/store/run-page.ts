/**
 * The run listing's page when it sorts by a metric, read in the order of metric_summaries_key_value_idx
 * (key, coalesce(final, last), run_id): runs are checked against the filter one by one (correlated probes) and the
 * read stops after the page, where the general plan evaluates the filter on every run and sorts every match
 * (100,000 runs, 17,000 matches: ~150 ms in SQLite for a page of 50; this reads a few hundred index entries).
 *
 * The read is bounded to a prefix of the order: the first PREFIX_ROWS summaries of the key, cut at a value (every
 * summary at or beyond the cut value comes first in the order, so the cut is a prefix whatever the ties). When the
 * filter keeps too few runs in that prefix to fill the page (a selective filter, a deep page, or a page reaching the
 * runs without the metric, which sort last), the answer is null and the caller takes the general plan: the bound
 * keeps that detour to a few milliseconds.
 */
import { and, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Store } from './open.ts';
import { experiments, metricSummaries as ms, runs } from './schema.ts';

/** Summaries of the sort key the page may read before it gives up (~4 µs each in SQLite with a three-condition filter). */
export const PREFIX_ROWS = 5000;

export interface OrderedPageRequest {
  /** The metric sorted by. */
  key: string;
  direction: 'asc' | 'desc';
  /** The listing's conditions with keyed filters as correlated probes (compileFilter's `correlated`). */
  where: SQL | undefined;
  /** Whether `where` reads the experiment's name. */
  joinExperiments: boolean;
  limit: number;
  offset: number;
  /** How many rows the page holds (from the listing's count): fewer found in the prefix means the prefix was too short. */
  expected: number;
  /** Summaries read at most (PREFIX_ROWS unless given). */
  prefixRows?: number;
}

const value = sql<number | null>`coalesce(${ms.final}, ${ms.last})`;

/** The value PREFIX_ROWS summaries into the order (null when the key has fewer: then the whole key is the prefix). */
async function prefixCut(store: Store, key: string, direction: 'asc' | 'desc', rows: number): Promise<number | null> {
  const order = direction === 'desc' ? sql`${value} DESC` : sql`${value} ASC`;
  const row = await store.db
    .select({ v: value })
    .from(ms)
    .where(and(eq(ms.key, key), isNotNull(value)))
    .orderBy(order)
    .limit(1)
    .offset(rows - 1)
    .then((r) => r[0]);
  return row?.v === undefined || row.v === null ? null : Number(row.v);
}

/** The page's run ids read in the metric's index order, or null when the prefix held too few matching runs. */
export async function metricOrderedPage(store: Store, req: OrderedPageRequest): Promise<string[] | null> {
  if (req.expected <= 0) return [];
  const cut = await prefixCut(store, req.key, req.direction, req.prefixRows ?? PREFIX_ROWS);
  const bound = cut === null ? undefined : req.direction === 'desc' ? sql`${value} >= ${cut}` : sql`${value} <= ${cut}`;
  // metric_summaries first (CROSS JOIN keeps SQLite's join order), so the rows come in index order and LIMIT stops the read;
  // ties on the value go newest id first, as the general plan's `runs.id DESC` orders them.
  const order = req.direction === 'desc' ? [sql`${value} DESC`, sql`${ms.runId} DESC`] : [sql`${value} ASC`, sql`${ms.runId} DESC`];
  const from = sql`${ms} CROSS JOIN ${runs}${req.joinExperiments ? sql` INNER JOIN ${experiments} ON ${experiments.id} = ${runs.experimentId}` : sql``}`;
  const conds = and(eq(ms.key, req.key), isNotNull(value), bound, eq(runs.id, ms.runId), req.where) as SQL;
  const rows = await store.conn.rows(sql`SELECT ${ms.runId} AS id FROM ${from} WHERE ${conds} ORDER BY ${sql.join(order, sql`, `)} LIMIT ${req.limit} OFFSET ${req.offset}`);
  const ids = rows.map((r) => String(r.id));
  return ids.length === req.expected ? ids : null;
}
