/**
 * Sorting the run listing by a metric, param or tag through a LEFT JOIN on (run_id, key) rather than a scalar
 * subquery per run: PostgreSQL runs a subquery in ORDER BY once per row (100,000 SubPlans, seconds) where it
 * hash-joins the table once; SQLite probes the same index either way. Run columns sort as they are.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { alias, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { metricSummaries, params, runs, tags } from './schema.ts';
import type { FieldRef } from './fields.ts';

type Expr = SQL | SQLiteColumn;

/** The table a sort joins (null for a run column) and the expressions to order by, in order. */
export interface SortPlan {
  join: { table: SQL; on: SQL } | null;
  exprs: [Expr, ...Expr[]];
}

const sortMs = alias(metricSummaries, 'sort_ms');
const sortParam = alias(params, 'sort_p');
const sortTag = alias(tags, 'sort_t');

/** `table AS name` spelled out: drizzle's PostgreSQL renderer prints a SQLite alias by its name alone. */
function aliased(table: string, name: string): SQL {
  return sql`${sql.identifier(table)} ${sql.identifier(name)}`;
}

/** How to sort by `ref`: a join and its columns for keyed fields (NULL where a run lacks the key). */
export function sortPlan(ref: FieldRef): SortPlan {
  switch (ref.kind) {
    case 'column':
      return { join: null, exprs: [ref.column] };
    case 'metric':
      // the kept model's value when recorded, else the last logged, as listings and filters read it
      return { join: { table: aliased('metric_summaries', 'sort_ms'), on: and(eq(sortMs.runId, runs.id), eq(sortMs.key, ref.key)) as SQL }, exprs: [sql`coalesce(${sortMs.final}, ${sortMs.last})`] };
    case 'param':
      // by number, then text: one mixed-type coalesce would not compile in PostgreSQL
      return { join: { table: aliased('params', 'sort_p'), on: and(eq(sortParam.runId, runs.id), eq(sortParam.key, ref.key)) as SQL }, exprs: [sortParam.numValue, sortParam.textValue] };
    case 'tag':
      return { join: { table: aliased('tags', 'sort_t'), on: and(eq(sortTag.runId, runs.id), eq(sortTag.key, ref.key)) as SQL }, exprs: [sortTag.value] };
  }
}
