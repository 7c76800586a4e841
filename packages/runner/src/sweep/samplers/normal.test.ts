import { describe, expect, it } from 'vitest';
import { logErfc, logGaussMass, logNdtr, truncnormLogPdf, truncnormPpf } from './normal.ts';

// Expected values from Python's math.erfc and Optuna 3.1.0's _truncnorm.
describe('normal functions', () => {
  it('computes log erfc across the series / continued-fraction switch and deep in the tail', () => {
    expect(logErfc(1)).toBeCloseTo(-1.8496055099332482, 12);
    expect(logErfc(2.49)).toBeCloseTo(-7.753382843710984, 11);
    expect(logErfc(2.51)).toBeCloseTo(-7.860436480446939, 11);
    expect(logErfc(10)).toBeCloseTo(-102.87988902484489, 10);
    expect(logErfc(-2.6)).toBeCloseTo(0.6930291563871019, 12);
  });

  it('computes log Phi without underflow or rounding to zero', () => {
    expect(logNdtr(-42)).toBeCloseTo(-886.6571742437295, 8);
    expect(logNdtr(7)).toBeCloseTo(-1.279812543885835e-12, 20);
    expect(logNdtr(0)).toBeCloseTo(Math.log(0.5), 14);
  });

  it('computes truncated-normal mass, quantiles and densities far from the mean', () => {
    expect(logGaussMass(-1, 1)).toBeCloseTo(-0.381715146, 8);
    expect(logGaussMass(3, 4)).toBeCloseTo(-6.63146779, 7);
    expect(logGaussMass(-40, -39)).toBeCloseTo(-765.083157, 5);
    expect(truncnormPpf(0.3, 2, 5)).toBeCloseTo(2.14628363, 7);
    expect(truncnormPpf(0.7, -50, -49)).toBeCloseTo(-49.0072755, 6);
    expect(truncnormPpf(0.5, -1, 1)).toBeCloseTo(0, 12);
    expect(truncnormLogPdf(3, -1, 1)).toBe(-Infinity);
    let integral = 0;
    for (let x = -1 + 0.0005; x < 2; x += 0.001) integral += Math.exp(truncnormLogPdf(x, -1, 2)) * 0.001;
    expect(integral).toBeCloseTo(1, 5);
  });
});
