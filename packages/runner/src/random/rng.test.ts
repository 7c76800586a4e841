import { describe, expect, it } from 'vitest';
import { createRng, mulberry32, randInt, weightedIndex } from './rng.ts';
import { deriveSeed, fmix32, trialSeed } from './seeds.ts';

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
    for (const x of xs) buckets[Math.floor(x * 10)] = (buckets[Math.floor(x * 10)] ?? Number.NaN) + 1;
    expect(buckets).toHaveLength(10);
    for (const n of buckets) expect(Math.abs(n - 2000)).toBeLessThan(200);
  });

  it('draws integers and weighted indices in range and in proportion', () => {
    const r = createRng(7);
    const counts = [0, 0, 0];
    for (let i = 0; i < 9000; i++) {
      const k = weightedIndex(r, [1, 2, 6]);
      counts[k] = (counts[k] ?? Number.NaN) + 1;
    }
    // An index out of range would add an entry.
    expect(counts).toHaveLength(3);
    const [low = 0, , high = 0] = counts;
    expect(high / 9000).toBeCloseTo(6 / 9, 1);
    expect(low / 9000).toBeCloseTo(1 / 9, 1);
    const ints = new Set(Array.from({ length: 500 }, () => randInt(r, 5)));
    expect([...ints].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

// Runs, splits and sweeps are reproduced from stored seeds: these streams must never change.
describe('pinned streams', () => {
  it('mulberry32, xoshiro128** and the seed hashes give the values they always gave', () => {
    const m = mulberry32(42);
    expect([m(), m(), m()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
    const c = createRng(42);
    expect([c.next(), c.next(), c.next()]).toEqual([0.19525218783663123, 0.2276877334664431, 0.9395774487083416]);
    const t = createRng(trialSeed(42, 3));
    expect([t.next(), t.next()]).toEqual([0.9735711045619151, 0.781999461835345]);
    expect([deriveSeed(42, 'layer', 3, 'kernel'), deriveSeed(7, 'augment', 0), deriveSeed(0)]).toEqual([448403340, 1304151473, 1441645609]);
    expect([fmix32(0), fmix32(1), fmix32(2), fmix32(1000)]).toEqual([0, 1364076727, 821347078, 1718167128]);
  });
});
