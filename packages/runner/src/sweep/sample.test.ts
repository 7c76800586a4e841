import { describe, expect, it } from 'vitest';
import { proposeParams, trialRng } from './sample.ts';
import type { SweepPlan } from './plan.ts';

const plan: SweepPlan = {
  file: '/p.yaml',
  yaml: '',
  overrides: [],
  name: 'p',
  experiment: 'p',
  method: 'random',
  metric: 'val.accuracy',
  goal: 'maximize',
  space: { lr: { type: 'logUniform', low: 1e-4, high: 1e-1 }, units: { type: 'intLog', low: 2, high: 64 } },
  budget: {},
  parallel: 1,
  seed: 3,
  pruner: { type: 'none' },
  epochs: 1,
};

describe('proposeParams', () => {
  it('depends only on the seed and the trial number, not on the history', () => {
    const p = proposeParams(plan, [], 5);
    const q = proposeParams(plan, [{ params: { lr: 0.01, units: 4 }, state: 'complete', value: 1, number: 0 }], 5);
    expect(q).toEqual(p);
    expect(proposeParams(plan, [], 6)).not.toEqual(p);
  });

  it('gives each (seed, trial) its own stream', () => {
    const first = (seed: number, n: number) => trialRng(seed, n).next();
    const values = new Set([first(0, 0), first(0, 1), first(1, 0), first(1, 1)]);
    expect(values.size).toBe(4);
    expect(first(0, 1)).toBe(first(0, 1));
  });
});
