import { must } from '@kiln/core/errors';
import { describe, expect, it } from 'vitest';
import type { Trial } from '../samplers/trial.ts';
import { estimateMinResource, promotable, successiveHalvingPruner } from './successive-halving.ts';

// Rungs at steps 1, 2, 4, 8 (minResource 1, reductionFactor 2); lower is better.
const others: Trial[] = [
  { params: {}, state: 'complete', value: 0.7, number: 0, intermediate: [[1, 0.9], [2, 0.8], [4, 0.7]] },
  { params: {}, state: 'complete', value: 0.2, number: 1, intermediate: [[1, 0.5], [2, 0.4], [4, 0.3], [8, 0.2]] },
  { params: {}, state: 'pruned', number: 2, intermediate: [[1, 0.3], [2, 0.9]] },
];
const asha = successiveHalvingPruner({ minResource: 1, reductionFactor: 2 });
const decide = (reports: Array<[number, number]>, step = must(reports.at(-1), 'a decision follows a report')[0], pruner = asha) => {
  const trial: Trial = { params: {}, state: 'running', number: 3, intermediate: reports };
  return pruner.shouldPrune(trial, step, [...others, trial], 'minimize');
};

describe('successive halving (ASHA)', () => {
  it('promotes from a rung only the top 1/reductionFactor of the values recorded there', () => {
    // rung 0 values 0.9, 0.5, 0.3 + own: the best 2 of 4 go on (threshold 0.5)
    expect(decide([[1, 0.6]])).toBe(true);
    expect(decide([[1, 0.5]])).toBe(false);
  });

  it('judges each rung once, when the trial first reaches it', () => {
    // rung 1 (step 2) values 0.8, 0.4, 0.9 + 0.85: threshold 0.8
    expect(decide([[1, 0.4], [2, 0.85]])).toBe(true);
    expect(decide([[1, 0.4], [2, 0.8]])).toBe(false);
    // step 3 reaches no new rung, so even a terrible value is kept until step 4
    expect(decide([[1, 0.4], [2, 0.5], [3, 100]])).toBe(false);
  });

  it('judges every rung a single late report skips over, with that one value', () => {
    // step 5 crosses rungs 0, 1 and 2; 0.35 survives rungs 0 and 1 but at rung 2 (0.7, 0.3 + own) only 0.3 passes
    expect(decide([[5, 0.35]])).toBe(true);
    expect(decide([[5, 0.3]])).toBe(false);
  });

  it('prunes NaN at a rung, respects bootstrapCount, and works for maximize', () => {
    expect(decide([[1, NaN]])).toBe(true);
    expect(decide([[1, 0.1]], 1, successiveHalvingPruner({ minResource: 1, reductionFactor: 2, bootstrapCount: 4 }))).toBe(true);
    expect(promotable(0.9, [0.1, 0.5, 0.9, 0.7], 2, 'maximize')).toBe(true);
    expect(promotable(0.5, [0.1, 0.5, 0.9, 0.7], 2, 'maximize')).toBe(false);
  });

  it("estimates minResource like Optuna's 'auto' and waits until a trial has completed", () => {
    expect(estimateMinResource(others)).toBe(1);
    expect(estimateMinResource([{ params: {}, state: 'complete', value: 0, intermediate: [[250, 0]] }])).toBe(2);
    const auto = successiveHalvingPruner({ reductionFactor: 2 });
    const lone: Trial = { params: {}, state: 'running', intermediate: [[1, 99]] };
    expect(auto.shouldPrune(lone, 1, [lone], 'minimize')).toBe(false);
    expect(decide([[1, 0.6]], 1, auto)).toBe(true);
  });
});
