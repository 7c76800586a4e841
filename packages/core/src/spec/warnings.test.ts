import { describe, expect, it } from 'vitest';
import { loadPipelineText } from './load.ts';

const BASE = `name: t
data:
  source: { type: builtin, name: penguins }
  features:
    - { name: Island, type: category }
  target: { name: Species, type: multiclass }
model:
  layers:
    - { type: dense, units: 3, activation: softmax }
train:
  loss: sparseCategoricalCrossentropy
  optimizer: { name: adam }
  metrics: [accuracy]
  earlyStopping: { monitor: val.loss, patience: 2 }
sweep:
  metric: val.accuracy
  goal: maximize
  parameters:
    train.optimizer.learningRate: { type: values, values: [0.01, 0.1] }
`;

describe('load warnings', () => {
  it('say when a method\'s options are set but the sweep runs another method, at that section, and stay quiet for defaults', () => {
    const noStop = BASE.replace('  earlyStopping: { monitor: val.loss, patience: 2 }\n', '');
    const withGp = (method: string) => noStop.replace('sweep:\n', `sweep:\n  method: ${method}\n  gp: { startupTrials: 3 }\n`);
    const r = loadPipelineText('t.yaml', withGp('tpe'));
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'warn/sweep-options-unused', path: 'sweep.gp', line: 16, col: 7, message: expect.stringContaining('uses method tpe'), hint: 'set method: gp to use them, or remove sweep.gp' })]);
    const gp = loadPipelineText('t.yaml', withGp('gp'));
    expect(gp.ok && gp.warnings).toEqual([]);
    const plain = loadPipelineText('t.yaml', noStop.replace('sweep:\n', 'sweep:\n  tpe: { multivariate: true }\n'));
    expect(plain.ok && plain.warnings).toEqual([]);
  });

  it('say that a sweep scores its metric at the epoch early stopping keeps, located at sweep.metric, without failing the load', () => {
    const r = loadPipelineText('t.yaml', BASE);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ code: 'warn/sweep-monitor', path: 'sweep.metric', file: 't.yaml', line: 16, col: 11 });
    expect(r.warnings[0]?.message).toContain('best val.loss');
    expect(r.warnings[0]?.hint).toContain('monitor val.accuracy');
  });

  it('are empty when the sweep monitors what it scores, or when the best weights are not restored', () => {
    for (const set of [['train.earlyStopping.monitor=val.accuracy'], ['train.earlyStopping.restoreBestWeights=false']]) {
      const r = loadPipelineText('t.yaml', BASE, { overrides: set });
      expect(r.ok && r.warnings).toEqual([]);
    }
  });

  it('a sweep on the test split is a located error', () => {
    const r = loadPipelineText('t.yaml', BASE.replace('metric: val.accuracy', 'metric: test.accuracy'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([expect.objectContaining({ code: 'check/sweep-on-test', path: 'sweep.metric', line: 16, col: 11, message: 'test.accuracy tunes the hyperparameters on the test split' })]);
  });
});
