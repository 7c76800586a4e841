// Sweeps as a user runs them: real `kiln sweep` coordinator and worker processes, a real store.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kilnSweep, penguinsPipeline, readSweep, workspace } from './helpers.ts';

const T = 240_000;

interface Summary {
  sweepId: string;
  status: string;
  counts: Record<string, number>;
  best: { number: number; value: number; params: Record<string, unknown> } | null;
  reproduce: string[] | null;
}

async function sweep(args: string[], cwd: string): Promise<Summary> {
  const r = await kilnSweep(['sweep', ...args, '--json'], { cwd });
  if (r.code !== 0) throw new Error(`kiln sweep exited ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout) as Summary;
}

describe('kiln sweep', () => {
  it(
    'grid: enumerates every distinct point exactly once with 2 workers',
    async () => {
      const { dir, db } = workspace('grid');
      const file = penguinsPipeline(dir, {
        epochs: 2,
        sweep: [
          '  method: grid',
          '  metric: val.accuracy',
          '  goal: maximize',
          '  parallel: 2',
          '  parameters:',
          '    train.optimizer.learningRate: { type: values, values: [0.05, 0.01, 0.05] }',
          '    model.layers[0].units: { type: int, low: 4, high: 8, step: 4 }',
        ].join('\n'),
      });
      const s = await sweep([file, '--store', db], dir);
      expect(s.status).toBe('finished');
      const { trials, runs } = await readSweep(db, s.sweepId);
      const points = trials.map((t) => JSON.stringify([t.params['train.optimizer.learningRate'], t.params['model.layers[0].units']])).sort();
      expect(points).toEqual(['[0.01,4]', '[0.01,8]', '[0.05,4]', '[0.05,8]']);
      expect(trials.map((t) => t.state)).toEqual(['complete', 'complete', 'complete', 'complete']);
      // Each trial trained exactly once, as its own run, and both workers took part.
      expect(runs.map((r) => r.trialNumber).sort()).toEqual([0, 1, 2, 3]);
      expect(new Set(trials.map((t) => t.workerId)).size).toBe(2);
      expect(s.reproduce?.slice(0, 2)).toEqual(['train', 'penguins.yaml']);
      expect(s.reproduce).toContain(`train.optimizer.learningRate=${JSON.stringify(s.best?.params['train.optimizer.learningRate'])}`);
    },
    T,
  );

  it(
    'random: the same seed proposes the same parameters whatever the worker count; another seed does not',
    async () => {
      const { dir, db } = workspace('random');
      const sweepYaml = (seed: number) =>
        [
          '  method: random',
          '  metric: val.accuracy',
          '  goal: maximize',
          `  seed: ${seed}`,
          '  budget: { trials: 4 }',
          '  parameters:',
          '    train.optimizer.learningRate: { type: logUniform, low: 0.0001, high: 0.1 }',
          '    model.layers[0].units: { type: intLog, low: 2, high: 64 }',
        ].join('\n');
      const a = penguinsPipeline(dir, { epochs: 1, sweep: sweepYaml(7), name: 'a' });
      const c = penguinsPipeline(dir, { epochs: 1, sweep: sweepYaml(8), name: 'c' });
      const params = async (file: string, parallel: string) => {
        const s = await sweep([file, '--store', db, '--parallel', parallel], dir);
        return (await readSweep(db, s.sweepId)).trials.map((t) => t.params);
      };
      const first = await params(a, '1');
      const second = await params(a, '2');
      const other = await params(c, '2');
      expect(first).toHaveLength(4);
      expect(second).toEqual(first);
      expect(other).not.toEqual(first);
      for (const p of first) {
        expect(p['train.optimizer.learningRate']).toBeGreaterThanOrEqual(0.0001);
        expect(p['train.optimizer.learningRate']).toBeLessThanOrEqual(0.1);
        expect(Number.isInteger(p['model.layers[0].units'])).toBe(true);
      }
    },
    T,
  );

  it(
    'a diverging trial is recorded failed and the sweep goes on',
    async () => {
      const { dir, db } = workspace('diverge');
      const file = join(dir, 'mass.yaml');
      writeFileSync(
        file,
        [
          'name: penguins-mass',
          'seed: 1',
          'data:',
          '  source: { type: builtin, name: penguins }',
          '  features: [{ name: Beak Length (mm), type: numeric }, { name: Flipper Length (mm), type: numeric }]',
          '  target: { name: Body Mass (g), type: regression }',
          'model:',
          '  layers: [{ type: dense, units: 8, activation: relu }, { type: dense, units: 1 }]',
          'train: { loss: mse, optimizer: { name: adam, learningRate: 0.05 }, epochs: 2, batchSize: 32, metrics: [mae] }',
          'sweep:',
          '  method: grid',
          '  metric: val.mae',
          '  parameters:',
          '    train.optimizer.learningRate: { type: values, values: [1.0e12, 0.05] }',
        ].join('\n'),
      );
      const s = await sweep([file, '--store', db], dir);
      const { trials, runs } = await readSweep(db, s.sweepId);
      expect(trials.map((t) => [t.number, t.state])).toEqual([
        [0, 'failed'],
        [1, 'complete'],
      ]);
      expect(trials[0]!.value).toBeNull();
      expect(runs.find((r) => r.trialNumber === 0)?.status).toBe('failed');
      expect(s.best?.number).toBe(1);
      expect(s.counts.failed).toBe(1);
    },
    T,
  );

  it(
    'median pruning stops a hopeless trial: status pruned, its curve kept',
    async () => {
      const { dir, db } = workspace('prune');
      const file = penguinsPipeline(dir, {
        epochs: 6,
        sweep: [
          '  method: grid',
          '  metric: val.loss',
          '  parallel: 1',
          '  pruner: { type: median, startupTrials: 1 }',
          '  parameters:',
          '    train.optimizer.learningRate: { type: values, values: [0.05, 0.000001] }',
        ].join('\n'),
      });
      const s = await sweep([file, '--store', db], dir);
      const { trials, runs } = await readSweep(db, s.sweepId);
      expect(trials.map((t) => t.state)).toEqual(['complete', 'pruned']);
      const pruned = trials[1]!;
      expect(pruned.value).toBeGreaterThan(trials[0]!.value!);
      expect(runs.find((r) => r.trialNumber === 1)?.status).toBe('pruned');
      const { openStore, metricHistory } = await import('../../packages/core/src/index.ts');
      const store = await openStore(db, { staleMs: 3_600_000 });
      try {
        const history = await metricHistory(store, pruned.runId!, 'val.loss');
        expect(history.points.length).toBeGreaterThanOrEqual(1);
        expect(history.points.length).toBeLessThan(6);
      } finally {
        store.close();
      }
    },
    T,
  );

  it(
    'Hydra-style --set a=x,y runs those values as a grid',
    async () => {
      const { dir, db } = workspace('shorthand');
      const file = penguinsPipeline(dir, { epochs: 1, sweep: '  metric: val.accuracy\n  goal: maximize\n  parameters:\n    train.epochs: { type: values, values: [1] }' });
      const s = await sweep([file, '--store', db, '--set', 'train.optimizer.learningRate=0.1,0.01', '--set', 'model.layers[0].units=4,6', '--set', 'train.batchSize=16'], dir);
      const { trials } = await readSweep(db, s.sweepId);
      expect(trials.map((t) => t.params)).toEqual([
        { 'train.optimizer.learningRate': 0.1, 'model.layers[0].units': 4 },
        { 'train.optimizer.learningRate': 0.1, 'model.layers[0].units': 6 },
        { 'train.optimizer.learningRate': 0.01, 'model.layers[0].units': 4 },
        { 'train.optimizer.learningRate': 0.01, 'model.layers[0].units': 6 },
      ]);
      expect(s.reproduce).toContain('train.batchSize=16');
    },
    T,
  );
});
