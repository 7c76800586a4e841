import { describe, expect, it } from 'vitest';
import { randomSampler, sampleDistribution } from './random.ts';
import { createRng } from '../../random/rng.ts';
import { contains, type Distribution, type SearchSpace } from './space.ts';

const space: SearchSpace = {
  units: { type: 'values', values: [16, 'wide', false] },
  lr: { type: 'logUniform', low: 1e-5, high: 1e-1 },
  dropout: { type: 'uniform', low: 0, high: 0.5 },
  momentum: { type: 'uniform', low: 0.5, high: 0.9, step: 0.1 },
  layers: { type: 'int', low: 1, high: 4 },
  batch: { type: 'int', low: 16, high: 128, step: 16 },
  hidden: { type: 'intLog', low: 8, high: 1024 },
};

describe('random sampler', () => {
  it('is reproducible by seed and differs across seeds', () => {
    const run = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => randomSampler().suggest(space, [], rng));
    };
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
  });

  it('stays within bounds, on steps and integers for every distribution', () => {
    const rng = createRng(11);
    for (let i = 0; i < 2000; i++) {
      const p = randomSampler().suggest(space, [], rng);
      if (p === null) throw new Error('random never runs out');
      for (const [name, d] of Object.entries(space)) expect(contains(d, p[name]), `${name}=${String(p[name])}`).toBe(true);
    }
  });

  it('reaches every value of small discrete ranges, and spreads log ranges per decade', () => {
    const rng = createRng(5);
    const draw = (d: Distribution, n = 3000) => Array.from({ length: n }, () => sampleDistribution(d, rng));
    expect(new Set(draw({ type: 'uniform', low: 0.5, high: 0.9, step: 0.1 })).size).toBe(5);
    expect(new Set(draw({ type: 'int', low: 16, high: 128, step: 16 })).size).toBe(8);
    expect(new Set(draw({ type: 'intLog', low: 1, high: 3 })).size).toBe(3);
    const lr = draw({ type: 'logUniform', low: 1e-4, high: 1 }).map(Number);
    const lowDecade = lr.filter((x) => x < 1e-3).length / lr.length;
    expect(lowDecade).toBeGreaterThan(0.2);
    expect(lowDecade).toBeLessThan(0.3);
  });

  it('reports invalid spaces as KilnErrors', () => {
    const errs = randomSampler().validate({ lr: { type: 'logUniform', low: 0, high: 1 }, n: { type: 'int', low: 1.5, high: 3 } });
    expect(errs.map((e) => e.path)).toEqual(['lr', 'n']);
    expect(errs.every((e) => e.code === 'sweep/bad-distribution')).toBe(true);
  });
});
