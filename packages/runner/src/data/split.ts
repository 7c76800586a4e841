import { must } from '@kiln/core/errors';
import { didYouMean } from '@kiln/core';
import { mulberry32, shuffleInPlace } from '../random/rng.ts';
import { fail, isMissing, rowLabel } from './table.ts';

/** Row indices of each split, sorted ascending; disjoint and together covering every kept row. */
export interface SplitIndices {
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
}

export const SPLIT_NAMES = ['train', 'val', 'test'] as const;

/** Split sizes for n rows: val and test rounded, train gets the rest (so sizes always add up to n). */
export function splitSizes(n: number, f: { val: number; test: number }): [number, number, number] {
  const nVal = Math.round(n * f.val);
  const nTest = Math.min(n - nVal, Math.round(n * f.test));
  return [n - nVal - nTest, nVal, nTest];
}

/**
 * Seeded split of `rows` (indices into the table) by fractions. With `strata` (a class id per table row), each
 * class is shuffled on its own and its members are spread evenly over a global order, so every contiguous chunk
 * (train, then val, then test) holds each class in proportion, within one row.
 */
export function splitByFractions(rows: Int32Array, f: { val: number; test: number }, seed: number, strata?: Int32Array): SplitIndices {
  const rand = mulberry32(seed);
  const order = Int32Array.from(rows);
  if (!strata) shuffleInPlace(order, rand);
  else {
    const byClass = new Map<number, number[]>();
    for (const r of rows) {
      const c = must(strata[r], 'strata cover every row');
      const list = byClass.get(c);
      if (list) list.push(r);
      else byClass.set(c, [r]);
    }
    const pos = new Float64Array(strata.length);
    for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
      const members = byClass.get(c)!;
      shuffleInPlace(members, rand);
      members.forEach((r, k) => (pos[r] = (k + rand()) / members.length));
    }
    // pos has an entry per row, so ?? 0 never applies.
    order.sort((a, b) => (pos[a] ?? 0) - (pos[b] ?? 0) || a - b);
  }
  const [nTrain, nVal] = splitSizes(rows.length, f);
  const sorted = (a: Int32Array) => a.sort();
  return { train: sorted(order.slice(0, nTrain)), val: sorted(order.slice(nTrain, nTrain + nVal)), test: sorted(order.slice(nTrain + nVal)) };
}

/** Split by a column whose values are train / val / test. `path` locates the column in the spec for errors. */
export function splitByColumn(rows: Int32Array, values: (i: number) => unknown, path: string, lines?: Int32Array): SplitIndices {
  const out: Record<(typeof SPLIT_NAMES)[number], number[]> = { train: [], val: [], test: [] };
  for (const r of rows) {
    const v = values(r);
    const key = isMissing(v) ? '' : String(v).trim();
    if (key === 'train' || key === 'val' || key === 'test') out[key].push(r);
    else {
      const guess = didYouMean(key, SPLIT_NAMES);
      fail('data/split-value', path, `${rowLabel(r, lines)} has split value ${JSON.stringify(v ?? null)}`, `the split column must hold train, val or test${guess ? ` (did you mean "${guess}"?)` : ''}`);
    }
  }
  return { train: Int32Array.from(out.train), val: Int32Array.from(out.val), test: Int32Array.from(out.test) };
}
