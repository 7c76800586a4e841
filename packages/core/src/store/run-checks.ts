/** Existence checks a reader makes before answering: is this a stored run, does any run have the key a sort names. */
import { eq, inArray, sql } from 'drizzle-orm';
import type { Store } from './open.ts';
import { metricSummaries, params, runs, tags } from './schema.ts';
import { closest, resolveField } from './fields.ts';
import { KilnFailure } from '../errors.ts';

/** The ids among `runIds` that are stored runs. */
export async function existingRuns(store: Store, runIds: readonly string[]): Promise<Set<string>> {
  if (runIds.length === 0) return new Set();
  const rows = await store.db.select({ id: runs.id }).from(runs).where(inArray(runs.id, [...runIds]));
  return new Set(rows.map((r) => r.id));
}

const TABLES = { metric: metricSummaries, param: params, tag: tags } as const;

function sortError(message: string, hint?: string): KilnFailure {
  return new KilnFailure({ code: 'store/filter', path: 'sort', message, ...(hint === undefined ? {} : { hint }) });
}

/**
 * Fails (path `sort`, with a did-you-mean) when `sort` (`-` prefix allowed) names an unknown field, or a metric,
 * param or tag key no run has: sorting by it would silently leave the order as it was.
 */
export async function checkSortKey(store: Store, sort: string): Promise<void> {
  const field = sort.startsWith('-') ? sort.slice(1) : sort;
  let ref;
  try {
    ref = resolveField(field, 1);
  } catch (e) {
    if (!(e instanceof KilnFailure)) throw e;
    const [first] = e.errors;
    throw sortError(`unknown field '${field}' in the sort key`, first?.hint);
  }
  if (ref.kind === 'column') return;
  const table = TABLES[ref.kind];
  const hit = await store.db.select({ one: sql`1` }).from(table).where(eq(table.key, ref.key)).limit(1);
  if (hit.length > 0) return;
  const known = (await store.db.selectDistinct({ key: table.key }).from(table).limit(5000)).map((r) => r.key);
  const guess = closest(ref.key, known);
  const prefix = `${ref.kind}s.`;
  throw sortError(
    `no run has ${ref.kind} '${ref.key}' to sort by`,
    guess !== undefined ? `did you mean '${prefix}${guess}'?` : `known ${ref.kind}s: ${known.slice(0, 20).join(', ') || 'none'}`,
  );
}
