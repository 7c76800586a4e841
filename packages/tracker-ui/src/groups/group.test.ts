import { describe, expect, it } from 'vitest';
import type { RunRow } from '../data/store.ts';
import { groupRuns } from './group.ts';
import type { Grouping } from './grouping.ts';

function run(id: string, params: Record<string, unknown>, tags: Record<string, string> = {}): RunRow {
  return { id, name: `run-${id}`, pipeline: null, keptEpoch: null, foldParentId: null, fold: null, experiment: 'e', status: 'finished', startedAt: 0, endedAt: null, durationMs: null, sweepId: null, trialNumber: null, failureReason: null, metrics: {}, params, tags };
}

const by = (g: Partial<Grouping>): Grouping => ({ fields: [], except: [], folds: false, band: 'minmax', ...g });

describe('groupRuns', () => {
  const runs = [
    run('a', { seed: 1, lr: 0.1, opt: 'adam' }, { team: 'x' }),
    run('b', { seed: 2, lr: 0.1, opt: 'adam' }, { team: 'y' }),
    run('c', { seed: 1, lr: 0.01, opt: 'adam' }),
    run('d', { seed: 2, lr: 0.01, opt: 'sgd' }),
  ];

  it('groups by a param, labelled by its value, in first-seen order', () => {
    const groups = groupRuns(runs, by({ fields: ['params.lr'] }));
    expect(groups.map((g) => [g.label, g.runs.map((r) => r.id)])).toEqual([
      ['lr=0.1', ['a', 'b']],
      ['lr=0.01', ['c', 'd']],
    ]);
  });

  it('groups by everything but the seed, labelled by the params that differ between groups', () => {
    const groups = groupRuns(runs, by({ except: ['params.seed'] }));
    expect(groups.map((g) => [g.label, g.runs.map((r) => r.id)])).toEqual([
      ['lr=0.1, opt=adam', ['a', 'b']],
      ['lr=0.01, opt=adam', ['c']],
      ['lr=0.01, opt=sgd', ['d']],
    ]);
  });

  it('groups by a tag; runs without it form their own group', () => {
    expect(groupRuns(runs, by({ fields: ['tags.team'] })).map((g) => [g.label, g.runs.length])).toEqual([
      ['team=x', 1],
      ['team=y', 1],
      ['team=null', 2],
    ]);
  });

  it("makes a k-fold parent's folds a group of their own, whatever the fields", () => {
    const parent = run('p', { seed: 1, lr: 0.1, opt: 'adam' });
    const folds = [run('f1', {}), run('f2', {}), run('f3', {})];
    const groups = groupRuns([...runs, parent], by({ fields: ['params.lr'] }), new Map([['p', folds]]));
    expect(groups.at(-1)).toMatchObject({ key: 'folds:p', label: 'run-p (3 folds)', foldParent: parent });
    expect(groups.at(-1)?.runs.map((r) => r.id)).toEqual(['f1', 'f2', 'f3']);
    expect(groups[0]?.runs.map((r) => r.id)).toEqual(['a', 'b']);
    // folds only: every other run stands alone
    expect(groupRuns([runs[0] as RunRow, parent], by({ folds: true }), new Map([['p', folds]])).map((g) => g.runs.length)).toEqual([1, 3]);
  });
});
