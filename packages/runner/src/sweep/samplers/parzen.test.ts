import { describe, expect, it } from 'vitest';
import { fitParzen, fromInternal, logPdfParzen, sampleParzen, toInternal } from './parzen.ts';
import { createRng } from '../../random/rng.ts';
import { contains, type Choice, type Distribution } from './space.ts';
import { defaultWeights, TPE_DEFAULTS } from './tpe.ts';

// Expected numbers computed with Optuna 3.1.0's _ParzenEstimator (univariate, default parameters)
// on the same observations and points.
const cases: Array<[string, Distribution, Choice[], Choice[], number[], number[] | null]> = [
  ['uniform', { type: 'uniform', low: -5, high: 10 }, [1, -2.5, 7.25, 3], [0, -5, 9.5], [-0.7768634803, -1.2016112064, -1.1638077003], [3.5, 3.5, 4.25, 4.25, 15]],
  ['logUniform', { type: 'logUniform', low: 1e-4, high: 1 }, [1e-3, 0.05, 0.2], [2e-4, 0.01, 0.9], [-1.1017800174, -0.8274051111, -1.0448380295], [2.302585093, 1.8420680744, 1.8420680744, 9.210340372]],
  ['stepped', { type: 'uniform', low: 0, high: 1, step: 0.25 }, [0.25, 0.25, 1], [0, 0.5, 1], [-1.6637118019, -1.4561841672, -1.9997160807], [0.25, 0.25, 0.5, 1.25]],
  ['int', { type: 'int', low: 1, high: 9, step: 2 }, [3, 3, 9, 1, 5], [1, 7, 9], [-1.4748412323, -1.9138681439, -2.2972892221], [2, 2, 4, 2, 2, 10]],
  ['intLog', { type: 'intLog', low: 8, high: 1024 }, [16, 300], [8, 64, 1024], [-0.7039530889, -0.5761236193, -0.8847229912], [1.7008427719, 1.2303509805, 4.9170569471]],
  ['values', { type: 'values', values: ['a', 'b', 'c'] }, ['a', 'a', 'c'], ['a', 'b', 'c'], [-0.7419373447, -1.6582280766, -1.0986122887], null],
];

const internal = (d: Distribution, xs: Choice[]) => xs.map((x) => {
  const v = toInternal(d, x);
  if (v === undefined) throw new Error(`${String(x)} not in distribution`);
  return v;
});

describe('Parzen estimator', () => {
  it.each(cases)('%s matches Optuna 3.1 bandwidths and log densities', (_name, d, obs, points, logPdfs, sigmas) => {
    const pe = fitParzen(d, internal(d, obs), TPE_DEFAULTS);
    if (sigmas !== null && pe.kernels.kind === 'numeric') {
      expect(pe.kernels.sigmas).toHaveLength(sigmas.length);
      pe.kernels.sigmas.forEach((s, i) => expect(s).toBeCloseTo(sigmas[i] ?? Number.NaN, 8));
    }
    expect(points).toHaveLength(logPdfs.length);
    internal(d, points).forEach((x, i) => expect(logPdfParzen(pe, x, 'optuna31')).toBeCloseTo(logPdfs[i] ?? Number.NaN, 8));
  });

  it('integrates to one with normalized kernels and puts most mass near the observations', () => {
    const d: Distribution = { type: 'uniform', low: 0, high: 10 };
    const pe = fitParzen(d, [2, 2.5, 3], TPE_DEFAULTS);
    let integral = 0;
    const h = 0.001;
    for (let x = h / 2; x < 10; x += h) integral += Math.exp(logPdfParzen(pe, x, 'normalized')) * h;
    expect(integral).toBeCloseTo(1, 3);
    expect(logPdfParzen(pe, 2.5, 'normalized')).toBeGreaterThan(logPdfParzen(pe, 8, 'normalized'));
  });

  it('samples only legal values, snapped to steps and integers', () => {
    const rng = createRng(1);
    for (const [, d, obs] of cases) {
      const pe = fitParzen(d, internal(d, obs), TPE_DEFAULTS);
      for (const x of sampleParzen(pe, rng, 300)) expect(contains(d, fromInternal(d, x))).toBe(true);
    }
  });

  it('uses Optuna default weights: flat for 25 newest, a ramp from 1/n for older ones', () => {
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w).toHaveLength(30);
    [0.0333333333, 0.275, 0.5166666667, 0.7583333333, 1, 1].forEach((x, i) => expect(w[i]).toBeCloseTo(x, 9));
  });
});
