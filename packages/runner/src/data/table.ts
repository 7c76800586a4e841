import { KilnFailure, kilnError } from '@kiln/core';
import { must } from '@kiln/core/errors';

/** One record as read from a source: column name -> raw value (string from CSV, any JSON value otherwise). */
export type Row = Record<string, unknown>;

/** Row i's value in `column`; row ids always index the table they came from, so a missing row is a bug in Kiln. */
export function cellOf(rows: readonly Row[], i: number, column: string): unknown {
  return must(rows[i], 'row ids index the loaded rows')[column];
}

/** The rows of a source, its column names in order, and (for text files) each row's first line number. */
export interface Table {
  rows: Row[];
  columns: string[];
  /** 1-based file line where row i starts, when the source has lines; used in error messages. */
  lines?: Int32Array;
}

/** Empty cells, null and undefined all mean "missing". */
export function isMissing(v: unknown): boolean {
  return v === undefined || v === null || v === '';
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
