// A sweep whose every trial fails says why, as `kiln train` would: a CSV with a hole in a feature
// column fails each trial on its data, and the sweep prints the located error and its hint once
// (later trials refer back to it), stores it on each trial, and `kiln sweep show` and `--json` say it too.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kilnSweep, onlySweepId, readSweep, workspace } from './helpers.ts';

const CSV = ['x,y', ...Array.from({ length: 40 }, (_, i) => (i === 7 ? ',1' : `${i / 10},${i % 2}`))].join('\n');
const PIPELINE = [
  'name: holes',
  'seed: 1',
  'data:',
  '  source: { type: csv, path: holes.csv }',
  '  features:',
  '    - { name: x, type: numeric }',
  '  target: { name: y, type: binary }',
  'model:',
  '  layers:',
  '    - { type: dense, units: 1, activation: sigmoid }',
  'train:',
  '  loss: binaryCrossentropy',
  '  optimizer: { name: adam, learningRate: 0.01 }',
  '  epochs: 1',
  '  metrics: [accuracy]',
  'sweep:',
  '  method: random',
  '  metric: val.accuracy',
  '  goal: maximize',
  '  budget: { trials: 3 }',
  '  parameters:',
  '    train.optimizer.learningRate: { type: logUniform, low: 0.001, high: 0.1 }',
].join('\n');

describe('a sweep whose trials all fail', () => {
  it(
    'prints the first error located in the pipeline with its hint, refers later trials to it, stores it, and shows it again',
    async () => {
      const { dir, db } = workspace('holes');
      writeFileSync(join(dir, 'holes.csv'), `${CSV}\n`);
      const file = join(dir, 'holes.yaml');
      writeFileSync(file, `${PIPELINE}\n`);
      const r = await kilnSweep(['sweep', file, '--store', db], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
      const located = `${file}:6:7`;
      expect(r.stderr).toContain(located);
      expect(r.stderr).toContain('row 7 (line 9) has no value in column "x"');
      expect(r.stderr).toContain('hint: fill it in, or set missing: mean or missing: drop on this feature');
      expect(r.stderr).toContain('(failed as trial 0 did)');
      expect(r.stdout).toContain('No trial produced a finite val.accuracy.');
      expect(r.stdout).toContain('Trial 0 failed with:');
      const { trials } = await readSweep(db, await onlySweepId(db));
      expect(trials.map((t) => t.state)).toEqual(['failed', 'failed', 'failed']);
      for (const t of trials) expect(t.error).toContain('row 7 (line 9) has no value in column "x"');
      const show = await kilnSweep(['sweep', 'show', await onlySweepId(db), '--store', db], { cwd: dir });
      expect(show.stdout + show.stderr).toContain(`Trial 0 failed with:`);
      expect(show.stdout + show.stderr).toContain(located);
    },
    120_000,
  );
});
