// Conditional sweep parameters and pending-aware TPE as a user meets them: `kiln validate` pointing at a
// bad `when:`, and a real 2-worker TPE sweep whose trials carry momentum exactly when they use sgd.
import { describe, expect, it } from 'vitest';
import { kiln } from '../cli/run-cli.ts';
import { kilnSweep, penguinsPipeline, readSweep, workspace } from './helpers.ts';

const SPACE = (when: string) =>
  [
    '  method: tpe',
    '  metric: val.accuracy',
    '  goal: maximize',
    '  parallel: 2',
    '  budget: { trials: 6 }',
    '  parameters:',
    '    train.optimizer.name: { type: values, values: [adam, sgd] }',
    `    train.optimizer.momentum: { type: uniform, low: 0, high: 0.9, when: ${when} }`,
  ].join('\n');

describe('conditional sweep parameters (when:)', () => {
  it('kiln validate points at a condition on a value the parameter never takes: exit 2, file:line:col, hint, no stack', () => {
    const { dir } = workspace('cond-bad');
    const file = penguinsPipeline(dir, { epochs: 1, sweep: SPACE('{ train.optimizer.name: sdg }') });
    const r = kiln(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(r.stderr).toContain(`${file}:29:`);
    expect(r.stderr).toContain('train.optimizer.name can never be "sdg", so train.optimizer.momentum would never be swept');
    expect(r.stderr).toContain('use one of "adam", "sgd"');
  });

  it(
    'a 2-worker tpe sweep sets momentum in exactly the sgd trials, and every trial trains',
    async () => {
      const { dir, db } = workspace('cond');
      const file = penguinsPipeline(dir, { epochs: 1, sweep: SPACE('{ train.optimizer.name: sgd }') });
      const r = await kilnSweep(['sweep', file, '--store', db, '--json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const { sweepId } = JSON.parse(r.stdout) as { sweepId: string };
      const { trials } = await readSweep(db, sweepId);
      expect(trials).toHaveLength(6);
      expect(trials.map((t) => t.state)).toEqual(new Array(6).fill('complete'));
      for (const t of trials) expect('train.optimizer.momentum' in t.params).toBe(t.params['train.optimizer.name'] === 'sgd');
      expect(new Set(trials.map((t) => t.params['train.optimizer.name']))).toEqual(new Set(['adam', 'sgd']));
    },
    240_000,
  );
});
