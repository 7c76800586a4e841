/**
 * k-fold cross-validation splits: the test rows are held out once (as the fraction split does), and the rest are
 * dealt into K folds that partition them exactly. Fold i validates on fold i and trains on the other K-1.
 */
import { must } from '@kiln/core/errors';
import { mulberry32, shuffleInPlace } from '../random/rng.ts';
import { splitByFractions, type SplitIndices } from './split.ts';

export interface FoldOptions {
  /** K, the number of folds (>= 2). */
  folds: number;
  /** Fraction of rows held out for the final test, shared by every fold. */
  test: number;
  /** Which fold (1-based) is the validation split; the first when absent. */
  fold?: number;
}

/** A second stream for dealing rows into folds, so the held-out test rows match `splitByFractions` with the same seed. */
const FOLD_STREAM = 0xf01d5;

/**
 * Deals `rows` into `k` folds, each sorted ascending; together they hold every row exactly once. With `strata` (a class
 * id per table row) each class is shuffled and dealt round-robin, continuing where the previous class stopped, so
 * every fold holds each class in proportion (within one row) and fold sizes differ by at most one.
 */
export function assignFolds(rows: Int32Array, k: number, seed: number, strata?: Int32Array): Int32Array[] {
  const rand = mulberry32(seed ^ FOLD_STREAM);
  const groups = new Map<number, number[]>();
  for (const r of rows) {
    const c = strata ? must(strata[r], 'strata cover every row') : 0;
    const list = groups.get(c);
    if (list) list.push(r);
    else groups.set(c, [r]);
  }
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const c of [...groups.keys()].sort((a, b) => a - b)) {
    const members = groups.get(c) ?? [];
    shuffleInPlace(members, rand);
    for (const r of members) {
      must(folds[next], 'next < k').push(r);
      next = (next + 1) % k;
    }
  }
  return folds.map((f) => Int32Array.from(f).sort());
}

/** The split of one fold: test held out by fraction, validation = that fold, train = the other folds. */
export function splitByFolds(rows: Int32Array, opts: FoldOptions, seed: number, strata?: Int32Array): SplitIndices {
  const { train: rest, test } = splitByFractions(rows, { val: 0, test: opts.test }, seed, strata);
  const folds = assignFolds(rest, opts.folds, seed, strata);
  const index = (opts.fold ?? 1) - 1;
  const val = must(folds[index], 'the spec check keeps fold within 1..folds');
  const train = Int32Array.from(folds.filter((_, i) => i !== index).flatMap((f) => [...f])).sort();
  return { train, val, test };
}
