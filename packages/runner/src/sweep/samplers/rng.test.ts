import { describe, expect, it } from 'vitest';
import { createRng, randInt, weightedIndex } from './rng.ts';

describe('createRng', () => {
  it('repeats the same stream for the same seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
  });

  it('yields numbers in [0, 1) with a mean and spread of a uniform', () => {
    const r = createRng(0);
    const xs = Array.from({ length: 20000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeCloseTo(0.5, 1);
    const buckets = new Array<number>(10).fill(0);
    for (const x of xs) buckets[Math.floor(x * 10)]++;
    for (const n of buckets) expect(Math.abs(n - 2000)).toBeLessThan(200);
  });

  it('draws integers and weighted indices in range and in proportion', () => {
    const r = createRng(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 9000; i++) counts[weightedIndex(r, [1, 2, 6])]++;
    expect(counts[2] / 9000).toBeCloseTo(6 / 9, 1);
    expect(counts[0] / 9000).toBeCloseTo(1 / 9, 1);
    const ints = new Set(Array.from({ length: 500 }, () => randInt(r, 5)));
    expect([...ints].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});
