// The gp method as a user meets it: `kiln validate` refusing a conditional space for it with the line
// to change and the method to use, and a real 2-worker gp sweep whose proposals after the random
// start-up come from the Gaussian process (every trial trains, no proposal repeats another).
import { describe, expect, it } from 'vitest';
import { kiln } from '../cli/run-cli.ts';
import { kilnSweep, penguinsPipeline, readSweep, workspace } from './helpers.ts';

const SPACE = (extra: string[]) =>
  ['  method: gp', '  metric: val.accuracy', '  goal: maximize', '  parallel: 2', '  budget: { trials: 8 }', '  gp: { startupTrials: 3 }', '  parameters:', '    train.optimizer.learningRate: { type: logUniform, low: 0.0005, high: 0.1 }', ...extra].join('\n');

describe('the gp sweep method', () => {
  it('kiln validate refuses a when: under method gp: exit 2, file:line:col, a hint naming tpe, no stack', () => {
    const { dir } = workspace('gp-cond');
    const file = penguinsPipeline(dir, { epochs: 1, sweep: SPACE(['    train.optimizer.name: { type: values, values: [adam, sgd] }', '    train.optimizer.momentum: { type: uniform, low: 0, high: 0.9, when: { train.optimizer.name: sgd } }']) });
    const r = kiln(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(r.stderr).toContain(`${file}:31:`);
    expect(r.stderr).toContain('the gp method models every parameter in every trial');
    expect(r.stderr).toContain('use method: tpe');
  });

  it(
    'a 2-worker gp sweep trains every trial with legal, distinct proposals',
    async () => {
      const { dir, db } = workspace('gp');
      const file = penguinsPipeline(dir, { epochs: 2, sweep: SPACE(['    model.layers[0].units: { type: intLog, low: 2, high: 32 }']) });
      const r = await kilnSweep(['sweep', file, '--store', db, '--json'], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      const { sweepId } = JSON.parse(r.stdout) as { sweepId: string };
      const { trials } = await readSweep(db, sweepId);
      expect(trials.map((t) => t.state)).toEqual(new Array(8).fill('complete'));
      for (const t of trials) {
        expect(t.params['train.optimizer.learningRate']).toBeGreaterThanOrEqual(0.0005);
        expect(t.params['train.optimizer.learningRate']).toBeLessThanOrEqual(0.1);
        expect(Number.isInteger(t.params['model.layers[0].units'])).toBe(true);
      }
      expect(new Set(trials.map((t) => JSON.stringify(t.params))).size).toBe(8);
    },
    240_000,
  );
});
