/**
 * Compiles a filter AST into a drizzle condition over `runs` (joined with `experiments`). Values are
 * always bound parameters; a metric/param/tag condition is `runs.id IN (SELECT run_id ..)` over a
 * covering (key, value, run_id) index: one range read per condition instead of a correlated EXISTS
 * probing two indexes per run (4x slower on 100,000 runs in SQLite; PostgreSQL hashes the list). A page read in
 * a sort index's order (run-page.ts) checks a few hundred runs and stops: there each condition is a correlated
 * EXISTS probe (`probes`), since building the lists would read every matching row first.
 */
import { and, eq, exists, inArray, not, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { StoreDb } from './dialect.ts';
import { metricSummaries, params, runs, tags } from './schema.ts';
import { filterError, parseFilter, type CompareOp, type FilterNode, type Literal } from './filter.ts';
import { closest, resolveField, type FieldRef } from './fields.ts';

type Operand = SQL | SQLiteColumn;

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function toSqlValue(v: Literal): number | string {
  return typeof v === 'boolean' ? (v ? 1 : 0) : v;
}

/** `left <op> value` with the value bound; `contains` escapes LIKE wildcards, `like` keeps them. */
function compare(left: Operand, op: CompareOp, value: Literal | Literal[], col: number): SQL {
  if (op === 'in') {
    const list = (value as Literal[]).map(toSqlValue);
    return sql`${left} IN (${sql.join(list.map((v) => sql`${v}`), sql`, `)})`;
  }
  if (Array.isArray(value)) throw filterError(`a list needs the 'in' operator`, col);
  // lower(CAST ..) keeps SQLite's case-insensitive LIKE in PostgreSQL too, and lets numbers match as text.
  if (op === 'contains') return sql`lower(CAST(${left} AS TEXT)) LIKE ${`%${likeEscape(String(value).toLowerCase())}%`} ESCAPE '\\'`;
  if (op === 'like') return sql`lower(CAST(${left} AS TEXT)) LIKE ${String(value).toLowerCase().replace(/\*/g, '%')}`;
  const v = toSqlValue(value);
  const ops: Record<Exclude<CompareOp, 'in' | 'contains' | 'like'>, SQL> = {
    '=': sql`${left} = ${v}`,
    '!=': sql`${left} <> ${v}`,
    '<': sql`${left} < ${v}`,
    '<=': sql`${left} <= ${v}`,
    '>': sql`${left} > ${v}`,
    '>=': sql`${left} >= ${v}`,
  };
  return ops[op];
}

function isNumeric(value: Literal | Literal[]): boolean {
  const list = Array.isArray(value) ? value : [value];
  return list.every((v) => typeof v === 'number' || typeof v === 'boolean');
}

/** How a keyed condition names its runs: `runs.id IN (list)` for whole-store reads, a correlated EXISTS for per-run checks. */
type Membership = (t: typeof metricSummaries | typeof params | typeof tags, cond: SQL) => SQL;

/** How per-run probes are written: PostgreSQL gets OFFSET 0, which keeps each EXISTS a per-run index probe. */
export type Probes = 'sqlite' | 'pg';

function membership(db: StoreDb, probes: Probes | undefined): Membership {
  // PostgreSQL would otherwise turn an EXISTS into a hash (semi-)join or a hashed subplan that reads every row
  // of the key's range first (33,000 for a three-value param): 19 ms before a newest-first page's first row, 1.5 with probes.
  if (probes === 'pg') return (t, cond) => sql`EXISTS (SELECT 1 FROM ${t} WHERE ${and(eq(t.runId, runs.id), cond)} OFFSET 0)`;
  if (probes === 'sqlite') return (t, cond) => exists(db.select({ one: sql`1` }).from(t).where(and(eq(t.runId, runs.id), cond)));
  return (t, cond) => inArray(runs.id, db.select({ id: t.runId }).from(t).where(cond));
}

function keyedCondition(member: Membership, ref: Exclude<FieldRef, { kind: 'column' }>, op: CompareOp, value: Literal | Literal[], col: number): SQL {
  if (ref.kind === 'metric') {
    const t = metricSummaries;
    // The kept model's value when the run recorded one (as listings show it), else the last point.
    const cond = compare(sql`coalesce(${t.final}, ${t.last})`, op, value, col);
    return member(t, and(eq(t.key, ref.key), cond) as SQL);
  }
  if (ref.kind === 'param') {
    const t = params;
    // Numbers/bools compare numerically; strings compare against the text form.
    const target = isNumeric(value) && op !== 'contains' && op !== 'like' ? t.numValue : t.textValue;
    const literal = Array.isArray(value) || typeof value !== 'boolean' || target === t.numValue ? value : String(value);
    const cond = compare(target, op, literal, col);
    return member(t, and(eq(t.key, ref.key), cond) as SQL);
  }
  const t = tags;
  const strValue = Array.isArray(value) ? value.map(String) : String(value);
  return member(t, and(eq(t.key, ref.key), compare(t.value, op, strValue, col)) as SQL);
}

/** Statuses a stale heartbeat changes as readers see them (stale.ts): `running` reads as `crashed`. */
const STALE_AFFECTED = new Set(['running', 'crashed']);

/**
 * The stored status column for `status = / != / in` values a stale heartbeat cannot change (finished, failed, ..):
 * there the effective status equals the stored one, and the column, unlike the CASE expression, has an index and
 * statistics (PostgreSQL estimated 0.5% of 100,000 runs for the CASE and chose nested loops).
 */
function storedStatus(ref: Extract<FieldRef, { kind: 'column' }>, node: Extract<FilterNode, { kind: 'cmp' }>): SQLiteColumn | undefined {
  if (ref.name !== 'status' || !['=', '!=', 'in'].includes(node.op)) return undefined;
  const values = Array.isArray(node.value) ? node.value : [node.value];
  return values.every((v) => typeof v === 'string' && !STALE_AFFECTED.has(v)) ? runs.status : undefined;
}

/** Known keys per kind, so unknown `metrics.x` / `params.x` get a did-you-mean. */
export interface KnownKeys {
  metric(key: string): Promise<string[] | null>;
  param(key: string): Promise<string[] | null>;
  tag(key: string): Promise<string[] | null>;
}

function compileNode(member: Membership, node: FilterNode): SQL {
  switch (node.kind) {
    case 'and':
      return and(compileNode(member, node.left), compileNode(member, node.right)) as SQL;
    case 'or':
      return or(compileNode(member, node.left), compileNode(member, node.right)) as SQL;
    case 'not':
      return not(compileNode(member, node.expr));
    case 'cmp': {
      const ref = resolveField(node.field, node.col);
      return ref.kind === 'column' ? compare(storedStatus(ref, node) ?? ref.column, node.op, node.value, node.col) : keyedCondition(member, ref, node.op, node.value, node.col);
    }
  }
}

function comparisons(node: FilterNode): Extract<FilterNode, { kind: 'cmp' }>[] {
  if (node.kind === 'cmp') return [node];
  if (node.kind === 'not') return comparisons(node.expr);
  return [...comparisons(node.left), ...comparisons(node.right)];
}

/** Fails with a did-you-mean when a filter names a metric/param/tag key no run has. */
async function checkKeys(node: FilterNode, known: KnownKeys): Promise<void> {
  for (const cmp of comparisons(node)) {
    const ref = resolveField(cmp.field, cmp.col);
    if (ref.kind === 'column') continue;
    const missing = await known[ref.kind](ref.key);
    if (missing === null) continue;
    const prefix = `${ref.kind}s.`;
    const guess = closest(ref.key, missing);
    throw filterError(
      `no run has ${ref.kind} '${ref.key}'`,
      cmp.col,
      guess !== undefined ? `did you mean '${prefix}${guess}'?` : `known ${ref.kind}s: ${missing.slice(0, 20).join(', ') || 'none'}`,
    );
  }
}

/** Parses and compiles a filter string; returns undefined for an empty filter. `probes`: per-run EXISTS probes in that dialect (see above). */
export async function compileFilter(db: StoreDb, src: string | undefined, known?: KnownKeys, probes?: Probes): Promise<SQL | undefined> {
  if (src === undefined || src.trim() === '') return undefined;
  const ast = parseFilter(src);
  if (ast === null) return undefined;
  if (known !== undefined) await checkKeys(ast, known);
  return compileNode(membership(db, probes), ast);
}
