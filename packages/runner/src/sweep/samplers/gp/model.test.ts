import { describe, expect, it } from 'vitest';
import { createRng } from '../../../random/rng.ts';
import { condition, fitHyper, negLogPosterior, predict } from './model.ts';
import { axisGap } from './kernel.ts';

const axes = [{ choice: false }, { choice: false }, { choice: true }];
const rng = createRng(3);
const x = Array.from({ length: 12 }, () => [rng.next(), rng.next(), rng.next() < 0.5 ? 0 : 1]);
const y = x.map(([a = 0, b = 0, c = 0]) => Math.sin(6 * a) + (b - 0.3) ** 2 + 0.5 * c);
const gaps = axes.map((axis, d) => Float64Array.from({ length: 144 }, (_, k) => axisGap(axis, x[Math.floor(k / 12)]![d]!, x[k % 12]![d]!)));

describe('Gaussian process model', () => {
  it("has the gradient of its negative log posterior right (central differences)", () => {
    const theta = [0.3, -0.7, 0.1, 0.2, Math.log(0.05)];
    const { grad } = negLogPosterior(theta, gaps, y);
    theta.forEach((_, i) => {
      const h = 1e-5;
      const up = negLogPosterior(theta.map((t, j) => (j === i ? t + h : t)), gaps, y).value;
      const down = negLogPosterior(theta.map((t, j) => (j === i ? t - h : t)), gaps, y).value;
      expect(grad[i]).toBeCloseTo((up - down) / (2 * h), 4);
    });
  });

  it('fits hyperparameters at a stationary point better than the start', () => {
    const hyper = fitHyper(axes, x, y);
    const theta = [...hyper.lambdas.map(Math.log), Math.log(hyper.scale), Math.log(hyper.noise - 1e-6)];
    expect(negLogPosterior(theta, gaps, y).value).toBeLessThan(negLogPosterior([0, 0, 0, 0, Math.log(0.01)], gaps, y).value);
    for (const g of negLogPosterior(theta, gaps, y).grad) expect(Math.abs(g)).toBeLessThan(1e-2);
  });

  it('interpolates the observations and is unsure away from them', () => {
    const hyper = fitHyper(axes, x, y);
    const gp = condition(axes, hyper, x, y);
    x.forEach((xi, i) => {
      const p = predict(gp, xi);
      expect(p.mean).toBeCloseTo(y[i]!, 1);
      expect(p.sd).toBeLessThan(0.1);
    });
    const far = predict(gp, [0.5, 0.5, 2]);
    expect(far.sd).toBeGreaterThan(predict(gp, x[0]!).sd * 3);
  });

  it('conditions on a repeated point without failing', () => {
    const hyper = { lambdas: [1, 1, 1], scale: 1, noise: 1e-6 };
    const gp = condition(axes, hyper, [x[0]!, x[0]!], [0, 0]);
    expect(predict(gp, x[0]!).mean).toBeCloseTo(0, 6);
  });
});
