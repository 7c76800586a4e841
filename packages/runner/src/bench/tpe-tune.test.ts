import { describe, expect, it } from 'vitest';
import { ackley, levy, mlSurface, rosenbrock, styblinskiTang } from './tpe-functions.ts';
import { CANDIDATES, usageProblem } from './tpe-tune.ts';

describe('TPE tuning bench', () => {
  it('refuses the target seeds 0-9, unknown candidates or functions and a bad trial count, in one line', () => {
    expect(usageProblem([])).toBeUndefined();
    expect(usageProblem(['--seeds', '5-20'])).toContain("seeds 0-9 are the target bench's");
    expect(usageProblem(['--only', 'defaults,ei 9000'])).toContain('no candidate named ei 9000');
    expect(usageProblem(['--functions', 'branin,himmelblau'])).toContain('no function named himmelblau');
    expect(usageProblem(['--trials', 'many'])).toContain('--trials takes a whole number');
    expect(usageProblem(['--seeds'])).toContain('--seeds takes a range');
    expect(Object.keys(CANDIDATES)).toContain('defaults');
  });

  it('has the held-out functions at their known minima', () => {
    expect(rosenbrock([1, 1, 1, 1])).toBe(0);
    expect(styblinskiTang([-2.903534, -2.903534, -2.903534, -2.903534])).toBeCloseTo(-39.16617 * 4, 3);
    expect(ackley([0, 0, 0, 0, 0])).toBeCloseTo(0, 12);
    expect(levy([1, 1, 1, 1])).toBeCloseTo(0, 12);
    const best = { lr: 1e-3, units: 256, layers: 3, dropout: 0.25, optimizer: 'adam' };
    expect(mlSurface(best)).toBeCloseTo(0.3, 12);
    expect(mlSurface({ ...best, optimizer: 'sgd', lr: 10 ** -1.5, momentum: 0.5 })).toBeGreaterThan(mlSurface({ ...best, optimizer: 'sgd', lr: 10 ** -1.5, momentum: 0.9 }));
  });
});
