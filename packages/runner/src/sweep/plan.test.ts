import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KilnFailure } from '@kiln/core/errors';
import { DEFAULT_TRIALS, planFromFile, planFromGrid, trialBudget, trialPipeline } from './plan.ts';

const BASE = [
  'name: plan-test',
  'data:',
  '  source: { type: builtin, name: penguins }',
  '  features: [{ name: Beak Length (mm), type: numeric }]',
  '  target: { name: Species, type: multiclass }',
  'model:',
  '  layers: [{ type: dense, units: 8, activation: relu }, { type: dense, units: 3, activation: softmax }]',
  'train: { loss: sparseCategoricalCrossentropy, optimizer: { name: adam, learningRate: 0.01 }, epochs: 3, metrics: [accuracy] }',
];

function pipeline(sweep: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kiln-plan-')), 'p.yaml');
  writeFileSync(file, [...BASE, ...sweep].join('\n'));
  return file;
}

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof KilnFailure) return e.errors.map((x) => `${x.code} ${x.path}`);
    throw e;
  }
  return [];
}

describe('sweep plans', () => {
  it('a trial pipeline carries the parameters as overrides and no sweep section', () => {
    const file = pipeline(['sweep:', '  parameters:', '    model.layers[0].units: { type: int, low: 2, high: 9 }']);
    const plan = planFromFile(file, ['train.epochs=2']);
    const trial = trialPipeline(plan, { 'model.layers[0].units': 5 });
    expect(trial.ok).toBe(true);
    if (!trial.ok) return;
    expect(trial.pipeline.spec.sweep).toBeUndefined();
    expect(trial.pipeline.spec.model.layers?.[0]).toMatchObject({ units: 5 });
    expect(trial.pipeline.spec.train.epochs).toBe(2);
    expect(trial.pipeline.overrides).toEqual(['train.epochs=2', 'model.layers[0].units=5']);
    expect(plan.method).toBe('tpe');
    expect(trialBudget(plan)).toBe(DEFAULT_TRIALS);
  });

  it('rejects a grid over a continuous range and a file without a sweep before any trial', () => {
    const grid = pipeline(['sweep:', '  method: grid', '  parameters:', '    train.optimizer.learningRate: { type: uniform, low: 0.1, high: 0.2 }']);
    expect(errorsOf(() => planFromFile(grid, []))).toEqual(['sweep/grid-continuous sweep.parameters.train.optimizer.learningRate']);
    expect(errorsOf(() => planFromFile(pipeline([]), []))).toEqual(['sweep/no-sweep sweep']);
  });

  it('validates every --set grid value and caps a grid by the trial budget', () => {
    const file = pipeline([]);
    expect(errorsOf(() => planFromGrid(file, { 'train.optimizer.learningRate': [0.1, -1] }, []))).toHaveLength(1);
    const plan = planFromGrid(file, { 'train.optimizer.learningRate': [0.1, 0.2, 0.3] }, [], { trials: 2 });
    expect(plan.points).toHaveLength(3);
    expect(trialBudget(plan)).toBe(2);
    expect(plan.metric).toBe('val.loss');
  });
});
