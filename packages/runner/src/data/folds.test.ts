import { describe, expect, it } from 'vitest';
import { assignFolds, splitByFolds } from './folds.ts';
import { splitByFractions } from './split.ts';

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const sorted = (xs: Iterable<number>) => [...xs].sort((a, b) => a - b);

describe('assignFolds', () => {
  it('partitions the rows exactly: every row in exactly one fold, sizes within one', () => {
    const rows = Int32Array.from([2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43]);
    for (const k of [2, 3, 5]) {
      const folds = assignFolds(rows, k, 9);
      expect(folds).toHaveLength(k);
      expect(sorted(folds.flatMap((f) => [...f]))).toEqual([...rows]);
      const sizes = folds.map((f) => f.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('keeps class proportions in every fold when stratified', () => {
    // classes of 60 / 30 / 9 rows over 99 rows
    const strata = Int32Array.from({ length: 99 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));
    const folds = assignFolds(range(99), 3, 4, strata);
    for (const f of folds) {
      const counts = [0, 1, 2].map((c) => [...f].filter((r) => strata[r] === c).length);
      expect(counts).toEqual([20, 10, 3]);
    }
  });

  it('is reproducible by seed and different with another seed', () => {
    expect(assignFolds(range(50), 5, 1)).toEqual(assignFolds(range(50), 5, 1));
    expect(assignFolds(range(50), 5, 2)).not.toEqual(assignFolds(range(50), 5, 1));
  });
});

describe('splitByFolds', () => {
  const opts = { folds: 4, test: 0.2 };
  const strata = Int32Array.from({ length: 101 }, (_, i) => i % 3);

  it('holds out the same test rows for every fold, and the validation folds partition the non-test rows exactly', () => {
    const splits = [1, 2, 3, 4].map((fold) => splitByFolds(range(101), { ...opts, fold }, 7, strata));
    const test = [...(splits[0]?.test ?? [])];
    expect(test).toHaveLength(20);
    for (const s of splits) expect([...s.test]).toEqual(test);
    const nonTest = [...range(101)].filter((r) => !test.includes(r));
    const vals = splits.flatMap((s) => [...s.val]);
    expect(sorted(vals)).toEqual(nonTest);
    expect(new Set(vals).size).toBe(nonTest.length);
    for (const s of splits) {
      expect(sorted([...s.train, ...s.val])).toEqual(nonTest);
      expect([...s.train].some((r) => s.val.includes(r))).toBe(false);
    }
  });

  it('holds out the rows the fraction split with the same seed would test on', () => {
    const s = splitByFolds(range(101), opts, 7, strata);
    expect([...s.test]).toEqual([...splitByFractions(range(101), { val: 0, test: 0.2 }, 7, strata).test]);
  });
});
