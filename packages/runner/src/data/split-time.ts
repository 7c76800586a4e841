import type { FeatureEntrySpec } from '@kiln/core';
import { missingTest } from '@kiln/core';
import { must } from '@kiln/core/errors';
import { dateParser, formatLabel, instantOf } from './preprocess/date-parse.ts';
import { splitSizes, type SplitIndices } from './split.ts';
import { fail, rowLabel } from './table.ts';

const PATH = 'data.split.by';

/**
 * How the `by` column's dates are written: the format of the date feature of that name, else ISO 8601; its missing
 * markers are that feature's, else the source's (`sourceMarkers`), else the defaults.
 */
export function byColumnFormat(features: readonly FeatureEntrySpec[], by: string, sourceMarkers?: readonly string[]): { format?: string; missingValues?: readonly string[] } {
  const f = features.find((x) => x.name === by && x.type === 'date');
  const format = f?.type === 'date' ? f.format : undefined;
  const markers = (f?.type === 'date' ? f.missingValues : undefined) ?? sourceMarkers;
  return { ...(format === undefined ? {} : { format }), ...(markers === undefined ? {} : { missingValues: markers }) };
}

/** Each row's instant (ms since 1970 UTC); a missing or unreadable date is a located error naming the row. */
function instants(ids: Int32Array, value: (i: number) => unknown, by: string, how: { format?: string; missingValues?: readonly string[] }, lines?: Int32Array): Float64Array {
  const parse = dateParser(how.format);
  const missing = missingTest(how.missingValues);
  return Float64Array.from(ids, (i) => {
    const v = value(i);
    if (missing(v)) fail('data/missing-value', PATH, `${rowLabel(i, lines)} has no date in column "${by}", so it cannot be placed in time`, `fill it in, or drop such rows with a date feature named "${by}" that has missing: drop`);
    const p = typeof v === 'string' || typeof v === 'number' ? parse(String(v)) : undefined;
    if (!p) fail('data/bad-date', PATH, `${rowLabel(i, lines)} has ${JSON.stringify(v)} in column "${by}", which does not match ${formatLabel(how.format)}`, how.format === undefined ? `the split reads ISO 8601 unless a date feature named "${by}" gives a format (e.g. format: DD/MM/YYYY)` : 'fix the value, or change the format of that date feature');
    return instantOf(p);
  });
}

/** Moves a cut in the time order so it does not fall between two rows with the same instant: to the nearer edge of the tie. */
function cutBetweenTies(t: (k: number) => number, at: number, lo: number, n: number): number {
  const tied = (k: number) => k > lo && k < n && t(k - 1) === t(k);
  let back = at;
  while (tied(back)) back--;
  let ahead = at;
  while (tied(ahead)) ahead++;
  return back > lo && at - back <= ahead - at ? back : ahead;
}

/**
 * Time-ordered split: rows sorted by their date (oldest first, source order among equals), then the fractions
 * taken in that order, train the oldest and test the newest, with no shuffling. Rows with the same instant are
 * never split across a boundary, so no train row is newer than a val or test row.
 */
export function splitByTime(ids: Int32Array, value: (i: number) => unknown, f: { val: number; test: number }, by: string, how: { format?: string; missingValues?: readonly string[] } = {}, lines?: Int32Array): SplitIndices {
  const times = instants(ids, value, by, how, lines);
  const order = Int32Array.from(ids.keys()).sort((a, b) => (times[a] ?? 0) - (times[b] ?? 0) || a - b);
  const t = (k: number) => must(times[must(order[k], 'k < n')], 'one instant per row');
  const n = ids.length;
  const [nTrain, nVal] = splitSizes(n, f);
  const trainEnd = cutBetweenTies(t, nTrain, 0, n);
  const valEnd = Math.max(trainEnd, cutBetweenTies(t, nTrain + nVal, trainEnd, n));
  const rows = (from: number, to: number) => Int32Array.from(order.subarray(from, to), (k) => must(ids[k], 'order indexes ids')).sort();
  return { train: rows(0, trainEnd), val: rows(trainEnd, valEnd), test: rows(valEnd, n) };
}
