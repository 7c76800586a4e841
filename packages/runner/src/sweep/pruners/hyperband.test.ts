import { must } from '@kiln/core/errors';
import { describe, expect, it } from 'vitest';
import type { Trial } from '../samplers/trial.ts';
import { bracketBudgets, bracketCount, bracketOf, hyperbandPruner } from './hyperband.ts';
import { successiveHalvingPruner } from './successive-halving.ts';

describe('hyperband', () => {
  it("sizes brackets as Optuna does: floor(log_eta(max/min)) + 1 brackets, budgets ceil(n eta^s / (s+1))", () => {
    expect(bracketCount(1, 27, 3)).toBe(4);
    expect(bracketCount(1, 100, 3)).toBe(5);
    expect(bracketBudgets(4, 3)).toEqual([27, 12, 6, 4]);
  });

  it('assigns trials to brackets deterministically and roughly in budget proportion', () => {
    const budgets = [27, 12, 6, 4];
    const counts = [0, 0, 0, 0];
    for (let n = 0; n < 4900; n++) {
      const b = bracketOf(n, budgets);
      counts[b] = (counts[b] ?? Number.NaN) + 1;
    }
    expect(bracketOf(17, budgets)).toBe(bracketOf(17, budgets));
    expect(counts).toHaveLength(budgets.length);
    counts.forEach((c, b) => expect(c / 4900).toBeCloseTo(must(budgets[b], 'one count per budget') / 49, 1));
  });

  it('runs successive halving inside the trial’s bracket only, with the bracket’s later first rung', () => {
    const budgets = bracketBudgets(bracketCount(1, 9, 3), 3); // brackets 0..2, first rungs at 1, 3, 9
    const numbers = Array.from({ length: 60 }, (_, n) => n);
    const inBracket = (b: number) => numbers.filter((n) => bracketOf(n, budgets) === b);
    const [zero, one] = [inBracket(0), inBracket(1)];
    const nth = (ns: number[], k: number) => must(ns[k], `the bracket has more than ${k} of the 60 trials`);
    const [a, b, d] = [nth(zero, 0), nth(zero, 1), nth(zero, 2)];
    const [c, e] = [nth(one, 0), nth(one, 1)];
    for (const n of [a, b, c, d, e]) expect(n).toBeTypeOf('number');
    // Same-bracket rivals a (good) and c (other bracket, better still); the judged trial b is between.
    const trials: Trial[] = [
      { params: {}, state: 'complete', value: 0.1, number: a, intermediate: [[1, 0.1], [3, 0.1], [8, 0.1]] },
      { params: {}, state: 'complete', value: 0.01, number: c, intermediate: [[1, 0.01], [3, 0.01], [8, 0.01]] },
    ];
    const judged: Trial = { params: {}, state: 'running', number: b, intermediate: [[1, 0.05]] };
    const hb = hyperbandPruner({ minResource: 1, maxResource: 9, reductionFactor: 3 });
    // In bracket 0 the rung at step 1 holds 0.1 and 0.05: b is the best of its bracket, so it continues,
    expect(hb.shouldPrune(judged, 1, [...trials, judged], 'minimize')).toBe(false);
    // while plain ASHA over all trials would compare it with c's 0.01 too and prune it.
    expect(successiveHalvingPruner({ minResource: 1, reductionFactor: 3 }).shouldPrune(judged, 1, [...trials, judged], 'minimize')).toBe(true);
    // A poor first report at step 2 passes bracket 0's first rung (step 1) and is judged there; bracket 1's first rung is step 3.
    const poor = (number: number): Trial => ({ params: {}, state: 'running', number, intermediate: [[2, 5]] });
    expect(hb.shouldPrune(poor(d), 2, [...trials, poor(d)], 'minimize')).toBe(true);
    expect(hb.shouldPrune(poor(e), 2, [...trials, poor(e)], 'minimize')).toBe(false);
  });
});
