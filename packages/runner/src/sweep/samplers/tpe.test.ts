import { must } from '@kiln/core/errors';
import { describe, expect, it } from 'vitest';
import { randomSampler } from './random.ts';
import type { Sampler } from './sampler.ts';
import { contains, type SearchSpace } from './space.ts';
import { optimize } from './study.ts';
import { observations, splitObservations, TPE_DEFAULTS, tpeSampler } from './tpe.ts';
import { createRng } from '../../random/rng.ts';
import type { Trial } from './trial.ts';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (must(s[(s.length - 1) >> 1], 'a non-empty list') + must(s[s.length >> 1], 'a non-empty list')) / 2;
};

const quadratic: SearchSpace = { x: { type: 'uniform', low: -10, high: 10 } };
const bestOf = async (sampler: Sampler, seed: number) =>
  (await optimize((p) => (Number(p.x) - 2) ** 2, quadratic, { sampler, nTrials: 30, seed })).best?.value ?? Infinity;

describe('TPE sampler', () => {
  it('is reproducible by seed', async () => {
    const run = async (seed: number) => (await optimize((p) => Number(p.x) ** 2, quadratic, { sampler: tpeSampler(), nTrials: 25, seed })).trials.map((t) => t.params.x);
    expect(await run(8)).toEqual(await run(8));
    expect(await run(8)).not.toEqual(await run(9));
  });

  it('beats random search clearly on a 1-D quadratic over 30 trials across seeds', async () => {
    const seeds = Array.from({ length: 20 }, (_, i) => i);
    const tpe = await Promise.all(seeds.map((s) => bestOf(tpeSampler(), s)));
    const rnd = await Promise.all(seeds.map((s) => bestOf(randomSampler(), s)));
    expect(median(tpe)).toBeLessThan(median(rnd) / 5);
    const meanLog10 = (xs: number[]) => xs.reduce((a, x) => a + Math.log10(x), 0) / xs.length;
    expect(meanLog10(tpe)).toBeLessThan(meanLog10(rnd) - 0.5);
  });

  it('keeps every suggestion inside bounds and on steps, for every distribution', async () => {
    const space: SearchSpace = {
      act: { type: 'values', values: ['relu', 'tanh', true, 3] },
      lr: { type: 'logUniform', low: 1e-5, high: 1e-1 },
      drop: { type: 'uniform', low: 0, high: 0.5, step: 0.05 },
      layers: { type: 'int', low: 1, high: 6 },
      batch: { type: 'int', low: 16, high: 256, step: 16 },
      units: { type: 'intLog', low: 4, high: 512 },
      w: { type: 'uniform', low: -1, high: 1 },
    };
    const objective = (p: Record<string, unknown>) => Math.log10(Number(p.lr)) ** 2 + Number(p.drop) + Number(p.layers) + (p.act === 'tanh' ? 0 : 1);
    const { trials } = await optimize(objective, space, { sampler: tpeSampler(), nTrials: 60, seed: 2 });
    for (const t of trials) for (const [name, d] of Object.entries(space)) expect(contains(d, t.params[name]), `${name}=${String(t.params[name])}`).toBe(true);
  });

  // Random search picks tanh 5 times in 20. The joint model scores a choice together with w, so it
  // commits to the best choice more slowly than the univariate one, which scores act alone.
  for (const [multivariate, atLeast] of [[false, 13], [true, 9]] as const) {
    it(`learns which categorical choice is best (${multivariate ? 'multivariate' : 'univariate'})`, async () => {
      const space: SearchSpace = { act: { type: 'values', values: ['relu', 'tanh', true, 3] }, w: { type: 'uniform', low: -1, high: 1 } };
      for (const seed of [0, 1, 2]) {
        const { trials } = await optimize((p) => (p.act === 'tanh' ? 0 : 1) + Number(p.w) ** 2, space, { sampler: tpeSampler({ multivariate }), nTrials: 60, seed });
        expect(trials.slice(40).filter((t) => t.params.act === 'tanh').length).toBeGreaterThanOrEqual(atLeast);
      }
    });
  }

  it('maximizes when asked', async () => {
    const seeds = [0, 1, 2, 3, 4];
    const best = await Promise.all(seeds.map(async (seed) => (await optimize((p) => -((Number(p.x) - 2) ** 2), quadratic, { sampler: tpeSampler(), nTrials: 30, seed, direction: 'maximize' })).best?.value ?? -Infinity));
    expect(median(best)).toBeGreaterThan(-0.05);
  });

  it('ranks pruned trials by their last intermediate value, after complete ones, deeper steps first', () => {
    const history: Trial[] = [
      { params: { x: 0 }, state: 'pruned', intermediate: [[1, 0.1], [2, 0.05]] },
      { params: { x: 1 }, state: 'complete', value: 5 },
      { params: { x: 2 }, state: 'pruned', intermediate: new Map([[1, 0.01]]) },
      { params: { x: 3 }, state: 'failed' },
      { params: { x: 4 }, state: 'running' },
      { params: { x: 5 }, state: 'pruned' },
      { params: { x: 6 }, state: 'complete', value: 7 },
    ];
    const obs = observations(history, 'minimize');
    expect(obs.map((o) => o.params.x)).toEqual([0, 1, 2, 5, 6]);
    const ranking = [1, 2, 3, 4].map((n) => splitObservations(obs, n).below.map((o) => o.params.x));
    expect(ranking).toEqual([[1], [1, 6], [0, 1, 6], [0, 1, 2, 6]]);
    expect(splitObservations(obs, 2).above.map((o) => o.params.x)).toEqual([0, 2, 5]);
  });

  it('samples at random until n_startup_trials usable trials exist', async () => {
    const history: Trial[] = Array.from({ length: TPE_DEFAULTS.nStartupTrials - 1 }, (_, i) => ({ params: { x: 2 }, state: 'complete', value: i }));
    history.push({ params: { x: 2 }, state: 'failed' });
    const { createRng } = await import('../../random/rng.ts');
    const a = tpeSampler().suggest(quadratic, history, createRng(5));
    const b = randomSampler().suggest(quadratic, [], createRng(5));
    expect(a).toEqual(b);
  });

  describe('pending trials as liars', () => {
    const finished: Trial[] = Array.from({ length: 12 }, (_, i) => ({ params: { x: -10 + (20 * i) / 11 }, state: 'complete', value: (-10 + (20 * i) / 11 - 2) ** 2, number: i }));
    // Three trials still running right next to the best finished point.
    const pending: Trial[] = [1.9, 2.0, 2.1].map((x, i) => ({ params: { x }, state: 'running', number: 12 + i }));

    it('count as the worst finished value, or a given one, and never towards the start-up count', () => {
      const obs = observations([...finished, ...pending], 'minimize', true);
      expect(obs.filter((o) => o.pending).map((o) => o.loss)).toEqual([144, 144, 144]);
      expect(observations([...finished, ...pending], 'maximize', 7).filter((o) => o.pending).map((o) => o.loss)).toEqual([-7, -7, -7]);
      expect(observations([...finished, ...pending], 'minimize', false)).toHaveLength(12);
      const fewFinished = [...finished.slice(0, TPE_DEFAULTS.nStartupTrials - 1), ...pending];
      expect(tpeSampler().suggest(quadratic, fewFinished, createRng(3))).toEqual(randomSampler().suggest(quadratic, [], createRng(3)));
    });

    it('change the proposal deterministically for a fixed seed, moving it away from the pending points', () => {
      const history = [...finished, ...pending];
      const withLiar = (seed: number) => Number(tpeSampler().suggest(quadratic, history, createRng(seed))?.x);
      const without = (seed: number) => Number(tpeSampler({ constantLiar: false }).suggest(quadratic, history, createRng(seed))?.x);
      expect(withLiar(5)).toBe(withLiar(5));
      expect(withLiar(5)).not.toBe(without(5));
      // Without liars the sampler ignores the running trials and keeps proposing beside them.
      const gap = (x: number) => Math.min(...pending.map((t) => Math.abs(Number(t.params.x) - x)));
      const seeds = Array.from({ length: 20 }, (_, i) => i);
      expect(median(seeds.map((s) => gap(withLiar(s))))).toBeGreaterThan(2 * median(seeds.map((s) => gap(without(s)))));
    });

    it('a good lie (a value better than every finished one) pulls proposals towards the pending points instead', () => {
      const history = [...finished, ...pending];
      const gap = (x: number) => Math.min(...pending.map((t) => Math.abs(Number(t.params.x) - x)));
      const seeds = Array.from({ length: 20 }, (_, i) => i);
      const optimistic = median(seeds.map((s) => gap(Number(tpeSampler({ constantLiar: -1 }).suggest(quadratic, history, createRng(s))?.x))));
      const worst = median(seeds.map((s) => gap(Number(tpeSampler().suggest(quadratic, history, createRng(s))?.x))));
      expect(optimistic).toBeLessThan(worst);
    });
  });
});
