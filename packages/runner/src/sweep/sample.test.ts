import { describe, expect, it } from 'vitest';
import { proposeParams, tpeOptions, trialRng } from './sample.ts';
import type { SweepPlan } from './plan.ts';
import type { Trial } from './samplers/index.ts';

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

  it("passes the sweep's tpe options on: pending trials move a tpe proposal only while constantLiar is on", () => {
    const tpe: SweepPlan = { ...plan, method: 'tpe', goal: 'minimize', space: { x: { type: 'uniform', low: 0, high: 1 }, y: { type: 'uniform', low: 0, high: 1 } } };
    const history: Trial[] = Array.from({ length: 12 }, (_, i) => ({ params: { x: i / 11, y: ((i * 7) % 12) / 11 }, state: 'complete', value: (i / 11 - 0.3) ** 2, number: i }));
    const propose = (o: SweepPlan['tpe'], h: Trial[]) => proposeParams({ ...tpe, tpe: o }, h, 15);
    const liar = { multivariate: true, constantLiar: true, startupTrials: 5 };
    const alone = propose(liar, history);
    if (alone === null) throw new Error('tpe always proposes');
    // Three workers already training at the very point this worker would propose.
    const pending: Trial[] = [0, 1, 2].map((i) => ({ params: alone, state: 'running', number: 12 + i }));
    expect(propose(liar, [...history, ...pending])).toEqual(propose(liar, [...history, ...pending]));
    expect(propose(liar, [...history, ...pending])).not.toEqual(alone);
    const ignore = { multivariate: true, constantLiar: false, startupTrials: 5 };
    expect(propose(ignore, [...history, ...pending])).toEqual(propose(ignore, history));
  });

  it('samples at random until tpe.startupTrials trials finished (5 unless set), and an old plan without tpe options keeps the defaults', () => {
    const tpe: SweepPlan = { ...plan, method: 'tpe', goal: 'minimize' };
    const history: Trial[] = Array.from({ length: 8 }, (_, i) => ({ params: { lr: 10 ** (-1 - i / 3), units: 2 + i }, state: 'complete', value: i, number: i }));
    const random = proposeParams(plan, history, 9);
    expect(proposeParams({ ...tpe, tpe: { multivariate: true, constantLiar: true, startupTrials: 10 } }, history, 9)).toEqual(random);
    expect(proposeParams({ ...tpe, tpe: { multivariate: true, constantLiar: true, startupTrials: 5 } }, history, 9)).not.toEqual(random);
    expect(proposeParams({ ...tpe, tpe: undefined }, history, 9)).toEqual(proposeParams({ ...tpe, tpe: { multivariate: true, constantLiar: true, startupTrials: 5 } }, history, 9));
    expect(tpeOptions({ multivariate: false, constantLiar: 0.5, startupTrials: 12 })).toEqual({ multivariate: false, constantLiar: 0.5, nStartupTrials: 12 });
  });

  it('passes gp.startupTrials on to a gp sweep (random until then, the process after), and an old plan keeps the default 5', () => {
    const gp: SweepPlan = { ...plan, method: 'gp', goal: 'minimize' };
    const history: Trial[] = Array.from({ length: 8 }, (_, i) => ({ params: { lr: 10 ** (-1 - i / 3), units: 2 + i }, state: 'complete', value: i, number: i }));
    const random = proposeParams(plan, history, 9);
    expect(proposeParams({ ...gp, gp: { startupTrials: 10 } }, history, 9)).toEqual(random);
    expect(proposeParams({ ...gp, gp: { startupTrials: 5 } }, history, 9)).not.toEqual(random);
    expect(proposeParams({ ...gp, gp: undefined }, history, 9)).toEqual(proposeParams({ ...gp, gp: { startupTrials: 5 } }, history, 9));
  });
});
