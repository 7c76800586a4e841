import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.ts';
import { belowOptions, rankWeights } from './below.ts';
import { fitParzen } from './parzen.ts';
import { contains, type SearchSpace } from './space.ts';
import { optimize } from './study.ts';
import { TPE_DEFAULTS, tpeSampler } from './tpe.ts';
import type { Trial } from './trial.ts';

describe('below-group weights', () => {
  it("'rank' weighs the best trial most, linearly down to the last, finished trials before pruned ones", () => {
    const obs = [{ stepKey: -Infinity, loss: 3 }, { stepKey: -Infinity, loss: 1 }, { stepKey: -2, loss: 0 }, { stepKey: -Infinity, loss: 2 }];
    expect(rankWeights(obs)).toEqual([2, 4, 1, 3]);
    expect(rankWeights([])).toEqual([]);
  });

  it("'uniform' keeps Optuna's weights; 'rank' reaches the fitted mixture, the prior keeping its weight", () => {
    const obs = [{ stepKey: -Infinity, loss: 2 }, { stepKey: -Infinity, loss: 1 }];
    const uniform = { ...TPE_DEFAULTS, belowWeights: 'uniform' as const };
    expect(belowOptions(uniform, obs)).toBe(uniform);
    const pe = fitParzen({ type: 'uniform', low: 0, high: 1 }, [0.2, 0.6], belowOptions({ ...TPE_DEFAULTS, belowWeights: 'rank' }, obs));
    expect(pe.weights.map((w) => w * 4)).toEqual([1, 2, 1]);
  });

  it('pull proposals towards the best trial', () => {
    // Two good trials: the best at 0.2, the other at 0.8; the rest far worse around them.
    const xs = [0.2, 0.8, 0.05, 0.35, 0.5, 0.65, 0.95, 0.1, 0.45, 0.9];
    const values = [0, 0.1, 5, 5, 5, 5, 5, 5, 5, 5];
    const history: Trial[] = xs.map((x, i) => ({ params: { x }, state: 'complete', value: values[i], number: i }));
    const gamma = () => 2;
    const nearBest = (belowWeights: 'uniform' | 'rank') =>
      Array.from({ length: 60 }, (_, s) => Number(tpeSampler({ belowWeights, gamma, multivariate: false }).suggest({ x: { type: 'uniform', low: 0, high: 1 } }, history, createRng(s))?.x)).filter((x) => x < 0.5).length;
    expect(nearBest('rank')).toBeGreaterThan(nearBest('uniform'));
  });

  it('are reproducible by seed and keep int, log, stepped, categorical and conditional parameters valid', async () => {
    const space: SearchSpace = {
      opt: { type: 'values', values: ['adam', 'sgd'] },
      momentum: { type: 'uniform', low: 0, high: 0.99, when: { opt: 'sgd' } },
      lr: { type: 'logUniform', low: 1e-5, high: 1e-1 },
      drop: { type: 'uniform', low: 0, high: 0.5, step: 0.05 },
      units: { type: 'intLog', low: 4, high: 512 },
      layers: { type: 'int', low: 1, high: 6 },
    };
    const objective = (p: Record<string, unknown>) => (Math.log10(Number(p.lr)) + 3) ** 2 + Number(p.drop) + Number(p.layers) + (p.opt === 'sgd' ? (Number(p.momentum) - 0.9) ** 2 : 0.5);
    const run = async (seed: number) => (await optimize(objective, space, { sampler: tpeSampler({ belowWeights: 'rank' }), nTrials: 40, seed })).trials;
    const trials = await run(6);
    expect(trials.map((t) => t.params)).toEqual((await run(6)).map((t) => t.params));
    for (const t of trials) {
      for (const [name, d] of Object.entries(space)) {
        const active = name !== 'momentum' || t.params.opt === 'sgd';
        expect(active ? contains(d, t.params[name]) : t.params[name] === undefined, `${name}=${String(t.params[name])}`).toBe(true);
      }
    }
  });
});
