import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.ts';
import { sampleSpace } from './random.ts';
import type { SearchSpace } from './space.ts';
import { spaceDistance, spreadStartup } from './startup.ts';
import { tpeSampler } from './tpe.ts';
import type { Trial } from './trial.ts';
import { expectValidMixed, MIXED_SPACE } from './test-support.ts';

const square: SearchSpace = { x: { type: 'uniform', low: 0, high: 10 }, y: { type: 'uniform', low: 0, high: 10 } };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;

describe('space-filling start-up', () => {
  it('measures distance in the unit cube, log distributions on the log scale, 1 per differing choice, unset parameters left out', () => {
    const space: SearchSpace = { x: { type: 'uniform', low: 0, high: 10 }, lr: { type: 'logUniform', low: 1e-4, high: 1 }, opt: { type: 'values', values: ['a', 'b'] } };
    expect(spaceDistance(space, { x: 0, lr: 1e-4, opt: 'a' }, { x: 10, lr: 1e-4, opt: 'a' })).toBeCloseTo(1, 12);
    expect(spaceDistance(space, { x: 0, lr: 1e-4, opt: 'a' }, { x: 0, lr: 1e-2, opt: 'b' })).toBeCloseTo(Math.sqrt(0.25 + 1), 12);
    expect(spaceDistance(space, { x: 5 }, { x: 5, lr: 1, opt: 'b' })).toBe(0);
  });

  it('is plain random with one candidate or no history, and reproducible by seed', () => {
    const history: Trial[] = [{ params: { x: 1, y: 1 }, state: 'complete', value: 1 }];
    expect(spreadStartup(square, history, createRng(3), 1)).toEqual(sampleSpace(square, createRng(3)));
    expect(spreadStartup(square, [], createRng(3), 16)).toEqual(sampleSpace(square, createRng(3)));
    expect(spreadStartup(square, history, createRng(4), 16)).toEqual(spreadStartup(square, history, createRng(4), 16));
  });

  it('keeps its start-up trials farther apart than random draws, running trials included', () => {
    const nearestPair = (k: number, seed: number) => {
      const rng = createRng(seed);
      const trials: Trial[] = [];
      for (let i = 0; i < 5; i++) trials.push({ params: spreadStartup(square, trials, rng, k), state: 'running', number: i });
      return Math.min(...trials.flatMap((a, i) => trials.slice(i + 1).map((b) => spaceDistance(square, a.params, b.params))));
    };
    const seeds = Array.from({ length: 30 }, (_, s) => s);
    expect(median(seeds.map((s) => nearestPair(16, s)))).toBeGreaterThan(1.5 * median(seeds.map((s) => nearestPair(1, s))));
  });

  it('reaches the TPE start-up and keeps int, log, stepped, categorical and conditional parameters valid', () => {
    const space = MIXED_SPACE;
    const sampler = tpeSampler({ startupCandidates: 16, nStartupTrials: 8 });
    const trials: Trial[] = [];
    for (let i = 0; i < 8; i++) trials.push({ params: sampler.suggest(space, trials, createRng(i)) ?? {}, state: 'complete', value: i, number: i });
    const plain = tpeSampler({ nStartupTrials: 8 });
    expect(trials[1]?.params).not.toEqual(plain.suggest(space, trials.slice(0, 1), createRng(1)));
    expectValidMixed(trials.map((t) => t.params));
  });
});
