import { describe, expect, it } from 'vitest';
import { warpLosses, yeoJohnson } from './warp.ts';

const skew = (xs: readonly number[]) => {
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / xs.length);
  return xs.reduce((s, v) => s + ((v - m) / sd) ** 3, 0) / xs.length;
};
// Losses like Rosenbrock's: most small, a few enormous.
const heavy = Array.from({ length: 40 }, (_, i) => Math.exp(i / 4));

describe('loss warps', () => {
  it('keep the order of the losses, every one', () => {
    for (const warp of ['standardize', 'rank', 'yeo-johnson'] as const) {
      const w = warpLosses(heavy, warp);
      for (let i = 1; i < w.length; i++) expect(w[i]).toBeGreaterThan(w[i - 1]!);
    }
  });

  it('Yeo-Johnson pulls in a heavy right tail: standardised losses far less skewed, mean 0 and sd 1', () => {
    const w = warpLosses(heavy, 'yeo-johnson');
    expect(Math.abs(skew(w))).toBeLessThan(0.5 * Math.abs(skew(warpLosses(heavy, 'standardize'))));
    expect(w.reduce((s, v) => s + v, 0) / w.length).toBeCloseTo(0, 10);
    expect(Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length)).toBeCloseTo(1, 10);
  });

  it('Yeo-Johnson is the identity at lambda 1, log1p at 0 and continuous across 0 and 2', () => {
    for (const v of [-3, -0.5, 0, 0.5, 3]) expect(yeoJohnson(v, 1)).toBeCloseTo(v, 12);
    expect(yeoJohnson(2, 0)).toBeCloseTo(Math.log(3), 12);
    expect(yeoJohnson(2, 1e-7)).toBeCloseTo(yeoJohnson(2, 0), 5);
    expect(yeoJohnson(-2, 2 - 1e-7)).toBeCloseTo(yeoJohnson(-2, 2), 5);
  });

  it('rank gives normal quantiles of mid-ranks, ties sharing one', () => {
    const w = warpLosses([3, 1, 2, 2], 'rank');
    expect(w[1]).toBeCloseTo(-1.150349, 5); // Phi^-1(0.125)
    expect(w[2]).toBe(w[3]);
    expect(w[2]).toBeCloseTo(0, 10);
    expect(w[0]).toBeCloseTo(1.150349, 5);
  });
});
