import { KilnFailure } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { splitByColumn, splitByFractions, splitSizes, type SplitIndices } from './split.ts';

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const all = (s: SplitIndices) => [...s.train, ...s.val, ...s.test].sort((a, b) => a - b);
const F = { val: 0.15, test: 0.15 };

describe('splitByFractions', () => {
  it('is disjoint and covers every row, with the expected sizes', () => {
    const s = splitByFractions(range(333), F, 42);
    expect(all(s)).toEqual([...range(333)]);
    expect(new Set(all(s)).size).toBe(333);
    expect([s.train.length, s.val.length, s.test.length]).toEqual([233, 50, 50]);
    expect(splitSizes(10, { val: 0, test: 0.2 })).toEqual([8, 0, 2]);
  });

  it('only uses the given rows', () => {
    const rows = Int32Array.from([3, 5, 7, 9, 11, 13, 15, 17, 19, 21]);
    const s = splitByFractions(rows, { val: 0.2, test: 0.2 }, 1);
    expect(all(s)).toEqual([...rows]);
  });

  it('is reproducible by seed and different with another seed', () => {
    const a = splitByFractions(range(1000), F, 7);
    expect(splitByFractions(range(1000), F, 7)).toEqual(a);
    expect([...splitByFractions(range(1000), F, 8).train]).not.toEqual([...a.train]);
  });

  it('keeps class proportions in every split when stratified', () => {
    // 3 classes of 600 / 300 / 100 rows, interleaved
    const strata = Int32Array.from({ length: 1000 }, (_, i) => (i % 10 < 6 ? 0 : i % 10 < 9 ? 1 : 2));
    const s = splitByFractions(range(1000), F, 3, strata);
    for (const [name, part] of Object.entries(s)) {
      const counts = [0, 0, 0];
      for (const r of part as Int32Array) {
        const c = strata[r] ?? -1;
        counts[c] = (counts[c] ?? Number.NaN) + 1;
      }
      const n = (part as Int32Array).length;
      expect(counts).toHaveLength(3);
      [0.6, 0.3, 0.1].forEach((p, c) => expect(Math.abs((counts[c] ?? Number.NaN) - p * n), `${name} class ${c}`).toBeLessThanOrEqual(1));
    }
    expect(all(s)).toEqual([...range(1000)]);
  });
});

describe('splitByColumn', () => {
  it('follows the column', () => {
    const v = ['train', 'val', 'test', 'train', ' test '];
    const s = splitByColumn(range(5), (i) => v[i], 'data.split.column');
    expect(s).toEqual({ train: Int32Array.from([0, 3]), val: Int32Array.from([1]), test: Int32Array.from([2, 4]) });
  });

  it('rejects other values, naming the row and suggesting the right one', () => {
    const v = ['train', 'valid'];
    try {
      splitByColumn(range(2), (i) => v[i], 'data.split.column');
      expect.unreachable();
    } catch (e) {
      const [err] = (e as KilnFailure).errors;
      expect(err?.code).toBe('data/split-value');
      expect(err?.message).toContain('row 1');
      expect(err?.hint).toContain('"val"');
    }
  });
});
