import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.ts';
import { belowOptions, rankWeights } from './below.ts';
import { fitParzen } from './parzen.ts';
import { TPE_DEFAULTS, tpeSampler } from './tpe.ts';
import type { Trial } from './trial.ts';
import { expectReproducibleMixed } from './test-support.ts';

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
    await expectReproducibleMixed(() => tpeSampler({ belowWeights: 'rank' }), 6);
  });
});
