import { describe, expect, it } from 'vitest';
import { createRng } from '../../random/rng.ts';
import { fitJoint, logPdfJoint, sampleJoint, scottSigma0, type JointOptions } from './joint.ts';
import { logPdfParzen } from './parzen.ts';
import type { Distribution } from './space.ts';
import { optimize } from './study.ts';
import { TPE_DEFAULTS, tpeSampler } from './tpe.ts';

const o: JointOptions = { ...TPE_DEFAULTS, bandwidth: 'range', sigmaScale: 0.2, kernelDensity: 'normalized' };
const unit: Distribution = { type: 'uniform', low: 0, high: 1 };

describe('multivariate Parzen estimator', () => {
  it("uses Optuna's Scott-rule widths, 0.2 n^(-1/(d+4)) of the range, the prior keeping the full range", () => {
    expect(scottSigma0(16, 2)).toBeCloseTo(0.2 * 16 ** (-1 / 6), 12);
    const rows = Array.from({ length: 20 }, (_, i) => [i / 20, 4 - i / 4]);
    const je = fitJoint([unit, { type: 'uniform', low: -5, high: 5 }], rows, o);
    const sigma = (j: number, c: number) => {
      const k = je.dims[j]?.kernels;
      return k?.kind === 'numeric' ? k.sigmas[c] : undefined;
    };
    expect(sigma(0, 0)).toBeCloseTo(scottSigma0(20, 2), 12);
    expect(sigma(1, 2)).toBeCloseTo(10 * scottSigma0(20, 2), 12);
    expect(sigma(0, 20)).toBe(1);
    expect(je.weights).toHaveLength(21);
    // Few observations: the magic clip's floor, range / (1 + kernels), wins.
    const few = fitJoint([unit], [[0.5], [0.6]], o).dims[0]?.kernels;
    expect(few?.kind === 'numeric' && few.sigmas[0]).toBeCloseTo(1 / 4, 12);
  });

  it("with bandwidth 'spread', scales each dimension's widths by the observations' standard deviation there", () => {
    const rows = Array.from({ length: 20 }, (_, i) => [0.4 + (i % 2) * 0.2, i / 19]);
    const je = fitJoint([unit, unit], rows, { ...o, bandwidth: 'spread', sigmaScale: 0.5, considerMagicClip: false });
    const sd = (xs: number[]) => {
      const m = xs.reduce((a, x) => a + x, 0) / xs.length;
      return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
    };
    const widths = je.dims.map((pe) => (pe.kernels.kind === 'numeric' ? pe.kernels.sigmas[0] : undefined));
    expect(widths[0]).toBeCloseTo(scottSigma0(20, 2, 0.5) * sd(rows.map((r) => r[0] ?? 0)), 12);
    expect(widths[1]).toBeCloseTo(scottSigma0(20, 2, 0.5) * sd(rows.map((r) => r[1] ?? 0)), 12);
  });

  it('is a density over the joint space: it integrates to 1', () => {
    const je = fitJoint([unit, unit], [[0.2, 0.8], [0.25, 0.7], [0.9, 0.1]], o);
    let total = 0;
    const h = 0.01;
    for (let x = h / 2; x < 1; x += h) for (let y = h / 2; y < 1; y += h) total += Math.exp(logPdfJoint(je, [x, y])) * h * h;
    expect(total).toBeCloseTo(1, 2);
  });

  it('draws the dimensions of a point from one kernel, so observations on a diagonal give samples on it', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [i / 39, i / 39]);
    // Equal weights (no recency ramp), so both marginals are symmetric about 0.5.
    const je = fitJoint([unit, unit], rows, { ...o, considerPrior: false, weights: (n) => new Array<number>(n).fill(1) });
    const samples = sampleJoint(je, createRng(3), 500);
    const offDiagonal = samples.filter(([x = 0, y = 0]) => Math.abs(x - y) > 0.4).length;
    expect(offDiagonal).toBeLessThan(10);
    // The product of per-dimension densities (univariate TPE's view) cannot tell (0.2, 0.8) from (0.2, 0.2).
    expect(logPdfJoint(je, [0.2, 0.2]) - logPdfJoint(je, [0.2, 0.8])).toBeGreaterThan(5);
    const [dx, dy] = je.dims;
    if (dx === undefined || dy === undefined) throw new Error('two dimensions');
    expect(logPdfParzen(dx, 0.2) + logPdfParzen(dy, 0.8)).toBeCloseTo(logPdfParzen(dx, 0.2) + logPdfParzen(dy, 0.2), 6);
  });

  it('makes TPE better than univariate on a narrow diagonal valley across seeds', async () => {
    const space = { x: unit, y: unit };
    const valley = (p: Record<string, unknown>) => 100 * (Number(p.x) - Number(p.y)) ** 2 + (Number(p.x) + Number(p.y) - 1.2) ** 2;
    const seeds = Array.from({ length: 6 }, (_, i) => i);
    const bests = async (multivariate: boolean) => Promise.all(seeds.map(async (seed) => (await optimize(valley, space, { sampler: tpeSampler({ multivariate }), nTrials: 30, seed })).best?.value ?? Infinity));
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(await bests(true))).toBeLessThan(sum(await bests(false)));
  });
});
