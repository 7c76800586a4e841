import { KilnFailure, kilnError } from '@kiln/core';

/** One record as read from a source: column name -> raw value (string from CSV, any JSON value otherwise). */
export type Row = Record<string, unknown>;

/**
 * One column of a table. `number`: every cell was a number (NaN where it was missing), 8 bytes a row;
 * `string`: raw text as in the file (null for an empty unquoted cell), kept for columns whose text matters
 * (categories, text, dates: "01234" must stay "01234"); `value`: anything else (JSON values, builtin images).
 */
export type Column = { kind: 'number'; values: Float64Array } | { kind: 'string'; values: (string | null)[] } | { kind: 'value'; values: unknown[] };

/** A source's data held by column, its column names in order, and (for text files) each row's first line number. */
export interface Table {
  /** Number of rows. */
  length: number;
  columns: string[];
  /** 1-based file line where row i starts, when the source has lines; used in error messages. */
  lines?: Int32Array;
  /** The column named `name`, or undefined when the source has none. */
  column(name: string): Column | undefined;
}

/** A table over columns already built (each of length `length`). */
export function tableOf(length: number, columns: Map<string, Column>, lines?: Int32Array): Table {
  return { length, columns: [...columns.keys()], ...(lines ? { lines } : {}), column: (name) => columns.get(name) };
}

/**
 * Row i's value in `column`: a number (NaN when missing: every missing test counts NaN, and an array of such
 * values stays an unboxed array of doubles), the raw text, or the JSON value; undefined when the column is absent.
 */
export function cellOf(table: Table, i: number, column: string): unknown {
  return table.column(column)?.values[i];
}

/** A table over row objects (builtins, JSON, tests): numbers-only columns become number columns, the rest keep their values. */
export function tableFromRows(rows: readonly Row[], columns: readonly string[] = columnsOf(rows), lines?: Int32Array): Table {
  const built = new Map<string, Column>();
  for (const name of columns) {
    const values = rows.map((r) => r[name]);
    const numeric = values.every((v) => v === null || v === undefined || typeof v === 'number');
    built.set(name, numeric ? { kind: 'number', values: Float64Array.from(values, (v) => (typeof v === 'number' ? v : NaN)) } : { kind: 'value', values });
  }
  return tableOf(rows.length, built, lines);
}

/** Rows `ids` (default: all) as objects (a missing number as null), for predict and tests; the training path reads by column. */
export function rowsOf(table: Table, ids?: ArrayLike<number>): Row[] {
  const pick = ids ?? Int32Array.from({ length: table.length }, (_, i) => i);
  const cell = (i: number, c: string) => {
    const v = cellOf(table, i, c);
    return typeof v === 'number' && Number.isNaN(v) ? null : v;
  };
  return Array.from(pick, (i) => Object.fromEntries(table.columns.map((c) => [c, cell(i, c)])));
}

/** Empty cells, null, undefined and NaN all mean "missing" (markers such as NA are decided per feature by @kiln/core/catalog). */
export function isMissing(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (typeof v === 'number' && Number.isNaN(v));
}

/** How an error message names row i: its 0-based number (as in SplitArrays.rows) and, if known, its file line. */
export function rowLabel(i: number, lines?: Int32Array): string {
  return lines ? `row ${i} (line ${lines[i]})` : `row ${i}`;
}

/** Throws a single KilnError as a KilnFailure. */
export function fail(code: string, path: string, message: string, hint?: string): never {
  throw new KilnFailure(kilnError(code, path, message, hint));
}

/** Union of the keys of all records, in order of first appearance. */
export function columnsOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}
