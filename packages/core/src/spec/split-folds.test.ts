import { describe, expect, it } from 'vitest';
import { loadPipelineText } from './load.ts';

const pipeline = (split: string, sweep = '') => `name: t
data:
  source: { type: builtin, name: penguins }
  features:
    - { name: Island, type: category }
  target: { name: Species, type: multiclass }
  split: ${split}
model:
  layers:
    - { type: dense, units: 3, activation: softmax }
train:
  loss: sparseCategoricalCrossentropy
  optimizer: { name: adam }
  metrics: [accuracy]
${sweep}`;

const errorsOf = (split: string, overrides: string[] = []) => {
  const r = loadPipelineText('t.yaml', pipeline(split), { overrides });
  return r.ok ? [] : r.errors.map((e) => ({ code: e.code, path: e.path, line: e.line, message: e.message, hint: e.hint }));
};

describe('data.split.folds checks', () => {
  it('accept folds with test (and seed, stratify) only; the default train/val fractions are not the user\'s', () => {
    expect(errorsOf('{ folds: 5, test: 0.2, seed: 3, stratify: false }')).toEqual([]);
    expect(errorsOf('{ folds: 5 }', ['data.split.fold=5'])).toEqual([]);
  });

  it('refuse train, val and column with folds where they are written, saying what is allowed', () => {
    const errors = errorsOf('{ folds: 3, train: 0.7, val: 0.15, test: 0.15 }');
    expect(errors.map((e) => [e.code, e.path, e.line])).toEqual([
      ['check/split-folds', 'data.split.train', 7],
      ['check/split-folds', 'data.split.val', 7],
    ]);
    expect(errors[0]?.hint).toContain('give only test');
    expect(errorsOf('{ folds: 3, column: part }').map((e) => e.path)).toEqual(['data.split.column']);
  });

  it('refuse a fold beyond the folds, a fold without folds, and fewer than 2 folds', () => {
    expect(errorsOf('{ folds: 3 }', ['data.split.fold=4']).map((e) => e.message)).toEqual(['data.split.fold is 4, but there are 3 folds']);
    expect(errorsOf('{ fold: 1 }').map((e) => e.message)).toEqual(['data.split.fold needs data.split.folds']);
    expect(errorsOf('{ folds: 1 }').map((e) => e.path)).toEqual(['data.split.folds']);
  });

  it('warn that a pruner is not applied to k-fold trials', () => {
    const sweep = `sweep:
  metric: val.accuracy
  goal: maximize
  pruner: { type: asha }
  parameters:
    train.optimizer.learningRate: { type: values, values: [0.01, 0.1] }
`;
    const r = loadPipelineText('t.yaml', pipeline('{ folds: 3 }', sweep));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.warnings.map((w) => [w.code, w.path])).toEqual([['warn/sweep-folds-pruner', 'sweep.pruner']]);
    const plain = loadPipelineText('t.yaml', pipeline('{ train: 0.7, val: 0.15, test: 0.15 }', sweep));
    expect(plain.ok && plain.warnings).toEqual([]);
  });
});
