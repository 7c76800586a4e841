import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.ts';
import { fitSubset, gpSampler, isSamePoint } from './gp.ts';
import { randomSampler } from './random.ts';
import { contains, type Params, type SearchSpace } from './space.ts';
import { optimize } from './study.ts';
import { MIXED_SPACE, mixedObjective } from './test-support.ts';
import type { Trial } from './trial.ts';

const { momentum: _conditional, ...FLAT_SPACE } = MIXED_SPACE;
const branin = (p: Params) => {
  const [x1, x2] = [Number(p.x1), Number(p.x2)];
  return (x2 - (5.1 / (4 * Math.PI ** 2)) * x1 ** 2 + (5 / Math.PI) * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
};
const BRANIN: SearchSpace = { x1: { type: 'uniform', low: -5, high: 10 }, x2: { type: 'uniform', low: 0, high: 15 } };
/** One proposal on Branin from a fresh sampler and a generator seeded with `seed`. */
const suggest = (history: readonly Trial[], seed: number): Params => {
  const p = gpSampler().suggest(BRANIN, history, createRng(seed));
  if (p === null) throw new Error('gp always proposes');
  return p;
};

describe('GP sampler', () => {
  it('refuses a space with conditional parameters, naming the method to use', () => {
    const [error] = gpSampler().validate(MIXED_SPACE);
    expect(error?.code).toBe('sweep/gp-conditional');
    expect(error?.path).toBe('momentum.when');
    expect(error?.hint).toMatch(/tpe/);
    expect(gpSampler().validate(FLAT_SPACE)).toEqual([]);
  });

  it('proposes legal, reproducible values for every kind of parameter', async () => {
    const run = async () => (await optimize(mixedObjective, FLAT_SPACE, { sampler: gpSampler(), nTrials: 25, seed: 4 })).trials.map((t) => t.params);
    const proposals = await run();
    expect(proposals).toEqual(await run());
    for (const p of proposals) for (const [name, d] of Object.entries(FLAT_SPACE)) expect(contains(d, p[name]), `${name}=${String(p[name])}`).toBe(true);
  });

  it('finds the minimum of Branin (0.398) within 40 trials, where random search does not', async () => {
    for (const seed of [0, 1, 2]) {
      const gp = await optimize(branin, BRANIN, { sampler: gpSampler(), nTrials: 40, seed });
      const rnd = await optimize(branin, BRANIN, { sampler: randomSampler(), nTrials: 40, seed });
      expect(gp.best?.value).toBeLessThan(0.41);
      expect(rnd.best?.value).toBeGreaterThan(0.41);
    }
  });

  it('never proposes a point within 1 % of every range from a trial already run (training is seeded: it would learn nothing)', async () => {
    const { trials } = await optimize(branin, BRANIN, { sampler: gpSampler(), nTrials: 40, seed: 3 });
    const unit = (p: Params) => [(Number(p.x1) + 5) / 15, Number(p.x2) / 15];
    trials.forEach((t, i) => {
      for (const earlier of trials.slice(0, i)) expect(isSamePoint(unit(t.params), unit(earlier.params)), `trial ${i}`).toBe(false);
    });
    expect(isSamePoint([0.5, 1], [0.505, 1])).toBe(true);
    expect(isSamePoint([0.5, 1], [0.5, 2])).toBe(false);
  });

  it('maximises as well as it minimises', async () => {
    const { best } = await optimize((p) => -branin(p), BRANIN, { sampler: gpSampler(), nTrials: 30, seed: 5, direction: 'maximize' });
    expect(best?.value).toBeGreaterThan(-0.45);
  });

  it('spreads parallel proposals: a pending trial at the model\'s best guess is not proposed again', async () => {
    const { trials } = await optimize(branin, BRANIN, { sampler: gpSampler(), nTrials: 20, seed: 6 });
    const first = suggest(trials, 7);
    const pending: Trial[] = [...trials, { params: first, state: 'running', number: 20 }];
    const second = suggest(pending, 7);
    const gap = Math.hypot((Number(first.x1) - Number(second.x1)) / 15, (Number(first.x2) - Number(second.x2)) / 15);
    expect(gap).toBeGreaterThan(0.01);
    // Without the pending trial, the same random stream proposes the same point again.
    expect(suggest(trials, 7)).toEqual(first);
  });

  it('learns from pruned trials that their region is bad', async () => {
    const { trials } = await optimize(branin, BRANIN, { sampler: gpSampler(), nTrials: 15, seed: 2 });
    const next = suggest(trials, 1);
    const around = [-0.1, 0, 0.1].map((d, k) => ({ params: { x1: Number(next.x1) + d, x2: Number(next.x2) - d }, state: 'pruned' as const, number: 15 + k }));
    const after = suggest([...trials, ...around], 1);
    expect(Math.hypot(Number(after.x1) - Number(next.x1), Number(after.x2) - Number(next.x2))).toBeGreaterThan(0.3);
  });
});

describe('GP hyperparameter fit subset', () => {
  it('keeps every trial up to the limit, past it the best quarter and the newest others', () => {
    expect(fitSubset([3, 1, 2], 4)).toEqual([0, 1, 2]);
    const y = [5, 0, 9, 8, 7, 6, 1, 4];
    // Limit 4: the best one (index 1, value 0), then the newest three (7, 6, 5).
    expect(fitSubset(y, 4)).toEqual([1, 5, 6, 7]);
  });
});
