import { must } from '@kiln/core/errors';
import { describe, expect, it } from 'vitest';
import type { Direction, Trial } from '../samplers/trial.ts';
import { medianPruner, nanPercentile, percentilePruner } from './percentile.ts';

// Every expected decision below was also checked against Optuna 3.1's MedianPruner/PercentilePruner.
/** n completed trials; trial i reports 10+i, 5+i, i+1 at steps 0, 1, 2 (so step 2 holds 1..n). */
const completed = (n: number): Trial[] =>
  Array.from({ length: n }, (_, i) => ({ params: {}, state: 'complete', value: i + 1, number: i, intermediate: [[0, 10 + i], [1, 5 + i], [2, i + 1]] }));

const decide = (reports: Array<[number, number]>, opts: { n?: number; direction?: Direction; pruner?: ReturnType<typeof medianPruner> } = {}) => {
  const history = completed(opts.n ?? 5);
  const trial: Trial = { params: {}, state: 'running', number: history.length, intermediate: reports };
  const [step] = must(reports.at(-1), 'a decision follows at least one report');
  return (opts.pruner ?? medianPruner()).shouldPrune(trial, step, [...history, trial], opts.direction ?? 'minimize');
};

describe('median pruner', () => {
  it('keeps a trial at or better than the median of completed trials at the same step', () => {
    expect(decide([[0, 10], [1, 9], [2, 2.5]])).toBe(false);
  });

  it('prunes a trial whose best value so far is worse than that median', () => {
    expect(decide([[0, 4], [1, 3.5], [2, 3.6]])).toBe(true);
  });

  it('judges the best value so far, not the latest one (as Optuna)', () => {
    expect(decide([[0, 1], [1, 5], [2, 6]])).toBe(false);
  });

  it('waits for 5 completed trials and for the warm-up steps', () => {
    expect(decide([[0, 40], [1, 40], [2, 40]], { n: 4 })).toBe(false);
    expect(decide([[0, 40], [1, 40], [2, 40]], { pruner: medianPruner({ nWarmupSteps: 3 }) })).toBe(false);
    expect(decide([[0, 40], [1, 40], [2, 40]])).toBe(true);
  });

  it('flips for maximize', () => {
    expect(decide([[0, 1], [1, 2], [2, 2.9]], { direction: 'maximize' })).toBe(true);
    expect(decide([[0, 1], [1, 2], [2, 3]], { direction: 'maximize' })).toBe(false);
  });

  it('prunes all-NaN curves and keeps trials at steps no completed trial reached', () => {
    expect(decide([[0, NaN], [1, NaN]])).toBe(true);
    expect(decide([[0, 40], [7, 40]])).toBe(false);
  });

  it('judges once per interval', () => {
    const every2 = medianPruner({ intervalSteps: 2 });
    expect(decide([[0, 40]], { pruner: every2 })).toBe(true);
    expect(decide([[0, 40], [1, 40]], { pruner: every2 })).toBe(false);
  });

  it('ignores values reported after the step being judged', () => {
    const history = completed(5);
    const trial: Trial = { params: {}, state: 'running', intermediate: [[0, 10], [1, 9], [2, 2.5], [3, 99]] };
    expect(medianPruner().shouldPrune(trial, 2, history, 'minimize')).toBe(false);
  });
});

describe('percentile pruner', () => {
  it('is stricter below the median', () => {
    expect(decide([[0, 12], [1, 7], [2, 2.5]], { pruner: percentilePruner({ percentile: 25 }) })).toBe(true);
    expect(decide([[0, 12], [1, 7], [2, 2.5]])).toBe(false);
  });

  it('interpolates percentiles like numpy and skips NaN', () => {
    expect(nanPercentile([1, 2, 3, 4, 5], 25)).toBe(2);
    expect(nanPercentile([4, NaN, 1], 50)).toBe(2.5);
    expect(nanPercentile([NaN], 50)).toBeNaN();
  });
});
