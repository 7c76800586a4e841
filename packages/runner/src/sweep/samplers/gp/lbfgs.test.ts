import { describe, expect, it } from 'vitest';
import { minimize } from './lbfgs.ts';

describe('L-BFGS', () => {
  it('finds the minimum of the Rosenbrock function from the textbook start', () => {
    const rosen = ([x = 0, y = 0]: number[]) => ({
      value: (1 - x) ** 2 + 100 * (y - x * x) ** 2,
      grad: [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    });
    const r = minimize(rosen, [-1.2, 1], { maxIterations: 500, gradTolerance: 1e-8 });
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
    expect(r.value).toBeLessThan(1e-8);
  });

  it('backs off from points where the objective is undefined (+Infinity)', () => {
    // log barrier at x > 0: a full step from x = 1 towards the minimum at 0.5 overshoots into x <= 0 first.
    const f = ([x = 0]: number[]) => (x <= 0 ? { value: Infinity, grad: [0] } : { value: x * x - 0.5 * Math.log(x), grad: [2 * x - 0.5 / x] });
    const r = minimize(f, [3]);
    expect(r.x[0]).toBeCloseTo(0.5, 5);
  });

  it('returns the start when the objective is undefined there', () => {
    expect(minimize(() => ({ value: Infinity, grad: [0] }), [2]).x).toEqual([2]);
  });
});
