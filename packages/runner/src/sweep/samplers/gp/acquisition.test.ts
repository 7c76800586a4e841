import { describe, expect, it } from 'vitest';
import { createRng } from '../../../random/rng.ts';
import { ndtr } from '../normal.ts';
import { logH, maximise } from './acquisition.ts';
import { axesOf } from './encode.ts';

const phi = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

describe('log expected improvement', () => {
  it('equals log(z Phi(z) + phi(z)) where that is accurate', () => {
    for (const z of [-4, -2, -1.5, -1, -0.5, 0, 1, 3]) expect(logH(z)).toBeCloseTo(Math.log(z * ndtr(z) + phi(z)), 6);
  });

  it('stays finite, increasing and close to its asymptote far below the incumbent', () => {
    let prev = -Infinity;
    for (let z = -200; z <= 5; z += 0.25) {
      const v = logH(z);
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThan(prev);
      prev = v;
    }
    // h(z) ~ phi(z) / z^2 as z -> -infinity.
    expect(logH(-100) - (-5000 - 0.5 * Math.log(2 * Math.PI) - 2 * Math.log(100))).toBeCloseTo(0, 3);
  });
});

describe('acquisition search', () => {
  it('finds the maximum of a smooth function over numeric and choice axes', () => {
    const axes = axesOf({ a: { type: 'uniform', low: 0, high: 1 }, b: { type: 'uniform', low: 0, high: 1 }, c: { type: 'values', values: ['x', 'y', 'z'] } });
    const score = ([a = 0, b = 0, c = 0]: number[]) => -((a - 0.73) ** 2) - (b - 0.21) ** 2 - (c === 2 ? 0 : 1);
    const u = maximise(axes, score, [], createRng(1), { candidates: 256, localStarts: 3, localSteps: 200 });
    expect(u[0]).toBeCloseTo(0.73, 3);
    expect(u[1]).toBeCloseTo(0.21, 3);
    expect(u[2]).toBe(2);
  });
});
