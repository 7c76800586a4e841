/**
 * A feature that is a row id (unique per row, and integer-like or named like an id) lets a model memorise rows
 * instead of learning anything that carries over to new ones; it is a warning, not an error, since a user may
 * know better (a unique integer can be a real measurement).
 */
import { isColumnGroup, type FeatureEntrySpec, type FeatureSpec } from '@kiln/core';
import { isMissingValue } from '@kiln/core/catalog';
import { parseDecimal } from './preprocess/number.ts';
import { cellOf, type Table } from './table.ts';

/** Below this many rows, unique integers happen by chance (a 10-row example's ages). */
const MIN_ROWS = 20;

/** id, ID, uuid, guid, and names ending in _id, -id, " id" or a capitalised Id (PassengerId, customerID; not paid or humid). */
const isIdName = (name: string) => /^(id|uuid|guid)$/i.test(name) || /[_\- ]id$/i.test(name) || /[a-z]I[dD]$/.test(name);

/** Whether a cell is a whole number (1, "17", "0042"). */
function integerLike(v: unknown): boolean {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? parseDecimal(v) : undefined;
  return n !== undefined && Number.isInteger(n);
}

/** Whether every row of `ids` has a value in the column and no two are equal (stops at the first repeat). */
function uniquePerRow(table: Table, name: string, ids: Int32Array, markers: readonly string[] | undefined): boolean {
  const seen = new Set<unknown>();
  for (const i of ids) {
    const v = cellOf(table, i, name);
    if (isMissingValue(v, markers)) return false;
    const k = typeof v === 'string' ? v.trim() : v;
    if (seen.has(k)) return false;
    seen.add(k);
  }
  return true;
}

/** A warning for each numeric or category feature whose column looks like a row id over the rows used; `entry` maps each feature to its data.features entry. */
export function idLikeWarnings({ features, entry }: { features: readonly FeatureSpec[]; entry: readonly number[] }, entries: readonly FeatureEntrySpec[], table: Table, ids: Int32Array): string[] {
  if (ids.length < MIN_ROWS) return [];
  const out: string[] = [];
  features.forEach((f, j) => {
    if (f.type !== 'numeric' && f.type !== 'category') return;
    const named = isIdName(f.name);
    // Whole numbers first: it stops at the first fraction, where a set of a big file's distinct values would not.
    const integers = ids.every((i) => integerLike(cellOf(table, i, f.name)));
    if ((!named && !integers) || !uniquePerRow(table, f.name, ids, f.missingValues)) return;
    const what = integers ? `${ids.length} distinct whole numbers in ${ids.length} rows` : `a distinct value in each of the ${ids.length} rows`;
    const at = entry[j] ?? j;
    const grouped = entries[at] !== undefined && isColumnGroup(entries[at]);
    out.push(`data.features[${at}] "${f.name}" looks like a row id (${what}${named ? ', and its name says id' : ''}): a model can only memorise it; ${grouped ? 'exclude the column from the group' : 'drop the feature'} unless it measures something`);
  });
  return out;
}
