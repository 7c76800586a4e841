import { describe, expect, it } from 'vitest';
import { contrast, minDistance } from '../testing/colour.ts';

// The client modules are plain browser JavaScript without declarations: typed here by what the tests use.
interface Ticks {
  tickLabels(splits: number[]): string[];
  timeLabels(splits: number[]): string[];
  countsOnly(xs: (number | null)[]): boolean;
  INT_INCRS: number[];
}
interface Series {
  PALETTE: string[];
  color(i: number): string;
}
const ticks = (await import(new URL('./ticks.js', import.meta.url).href)) as Ticks;
const series = (await import(new URL('./series.js', import.meta.url).href)) as Series;

describe('axis tick labels', () => {
  it('write millions with an SI suffix and one number of decimals per axis', () => {
    expect(ticks.tickLabels([5e6, 1e7, 1.5e7, 2e7])).toEqual(['5M', '10M', '15M', '20M']);
    expect(ticks.tickLabels([2.5e6, 5e6, 7.5e6])).toEqual(['2.5M', '5.0M', '7.5M']);
    expect(ticks.tickLabels([0, 20000, 40000])).toEqual(['0', '20k', '40k']);
  });

  it('write ten-thousandths in scientific notation with one mantissa precision', () => {
    expect(ticks.tickLabels([0, 2e-4, 4e-4])).toEqual(['0', '2e-4', '4e-4']);
    expect(ticks.tickLabels([5e-4, 6e-4, 7e-4])).toEqual(['5e-4', '6e-4', '7e-4']);
    expect(ticks.tickLabels([2.5e-4, 5e-4, 7.5e-4])).toEqual(['2.5e-4', '5.0e-4', '7.5e-4']);
  });

  it('give ordinary ticks the decimals the finest one needs', () => {
    expect(ticks.tickLabels([0, 0.5, 1, 1.5])).toEqual(['0.0', '0.5', '1.0', '1.5']);
    expect(ticks.tickLabels([0.25, 0.5, 0.75])).toEqual(['0.25', '0.50', '0.75']);
    expect(ticks.tickLabels([1000, 2000, 3000])).toEqual(['1000', '2000', '3000']);
  });

  it('count only in whole numbers and tell wall time in s, m:ss or h:mm:ss', () => {
    expect(ticks.INT_INCRS.every((i) => Number.isInteger(i))).toBe(true);
    expect(ticks.INT_INCRS.slice(0, 4)).toEqual([1, 2, 5, 10]);
    expect(ticks.countsOnly([0, 1, null, 3])).toBe(true);
    expect(ticks.countsOnly([0, 0.5])).toBe(false);
    expect(ticks.countsOnly([null])).toBe(false);
    expect(ticks.timeLabels([0, 0.5, 1])).toEqual(['0.0s', '0.5s', '1.0s']);
    expect(ticks.timeLabels([0, 90, 180])).toEqual(['0:00', '1:30', '3:00']);
    expect(ticks.timeLabels([0, 3600, 5400])).toEqual(['0:00:00', '1:00:00', '1:30:00']);
  });
});

describe('the run palette', () => {
  it('has 20 colours far apart from each other and readable on the light and the dark chart background', () => {
    const p = series.PALETTE;
    expect(new Set(p).size).toBe(20);
    expect(Array.from({ length: 20 }, (_, i) => series.color(i))).toEqual(p);
    expect(minDistance(p)).toBeGreaterThan(25);
    // --bg of app.css's light and dark themes
    for (const c of p) expect(Math.min(contrast(c, '#ffffff'), contrast(c, '#161b26')), c).toBeGreaterThanOrEqual(2);
  });
});
