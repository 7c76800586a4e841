import { describe, expect, it } from 'vitest';
import { loadPipelineText } from './load.ts';

const spec = (parameters: string) => `name: t
data:
  source: { type: builtin, name: penguins }
  features:
    - { name: Island, type: category }
  target: { name: Species, type: multiclass }
model:
  layers:
    - { type: dense, units: 8, activation: relu }
    - { type: dense, units: 3, activation: softmax }
train:
  loss: sparseCategoricalCrossentropy
  optimizer: { name: adam }
sweep:
  parameters:
    train.optimizer.name: { type: values, values: [adam, sgd] }
${parameters}`;

const errorsOf = (text: string) => {
  const r = loadPipelineText('t.yaml', text);
  return r.ok ? [] : r.errors.map((e) => ({ code: e.code, path: e.path, line: e.line, col: e.col, message: e.message, hint: e.hint }));
};

describe('conditional sweep parameters (when:)', () => {
  it('refuses a when: under method gp, at the first conditional parameter, and accepts the same space under tpe', () => {
    const momentum = '    train.optimizer.momentum: { type: uniform, low: 0, high: 0.95, when: { train.optimizer.name: sgd } }\n';
    const gp = spec(momentum).replace('sweep:\n', 'sweep:\n  method: gp\n');
    expect(errorsOf(gp)).toEqual([
      expect.objectContaining({ code: 'check/sweep-condition', path: 'sweep.parameters.train.optimizer.momentum.when', line: 18, col: 68, message: expect.stringContaining('the gp method models every parameter in every trial'), hint: expect.stringContaining('method: tpe') }),
    ]);
    expect(errorsOf(gp.replace('method: gp', 'method: tpe'))).toEqual([]);
  });

  it("accepts a parameter that exists only for one optimizer, checking its values in that optimizer's fields", () => {
    const r = loadPipelineText('t.yaml', spec('    train.optimizer.momentum: { type: uniform, low: 0, high: 0.95, when: { train.optimizer.name: sgd } }\n'));
    expect(r.ok && r.pipeline.spec.sweep?.parameters['train.optimizer.momentum']?.when).toEqual({ 'train.optimizer.name': 'sgd' });
    // Without the condition, momentum is checked against the pipeline's adam, which has none.
    expect(errorsOf(spec('    train.optimizer.momentum: { type: uniform, low: 0, high: 0.95 }\n')).map((e) => e.code)).toEqual(['check/sweep-param']);
    // With it, a momentum sgd refuses is still caught.
    expect(errorsOf(spec('    train.optimizer.momentum: { type: uniform, low: 0, high: 2, when: { train.optimizer.name: sgd } }\n')).map((e) => e.code)).toEqual(['check/sweep-param']);
  });

  it('points at a condition on an unknown parameter, with the parameters it could name', () => {
    const [e, ...rest] = errorsOf(spec('    train.optimizer.momentum: { type: uniform, low: 0, high: 0.9, when: { train.optimizer.kind: sgd } }\n'));
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ code: 'check/sweep-condition', line: 17, col: 75, message: 'train.optimizer.momentum depends on train.optimizer.kind, which is not a parameter of this sweep' });
    expect(e?.hint).toContain('train.optimizer.name');
  });

  it('points at a value the named parameter can never take', () => {
    const [e] = errorsOf(spec('    train.optimizer.momentum: { type: uniform, low: 0, high: 0.9, when: { train.optimizer.name: [sgd, sdg] } }\n'));
    expect(e).toMatchObject({ code: 'check/sweep-condition', line: 17, message: 'train.optimizer.name can never be "sdg", so train.optimizer.momentum would wait on an impossible value', hint: 'use one of "adam", "sgd"' });
  });

  it('refuses conditions that go round in a circle', () => {
    const errors = errorsOf(
      spec(`    train.epochs: { type: int, low: 1, high: 3, when: { train.batchSize: 16 } }
    train.batchSize: { type: values, values: [16, 32], when: { train.epochs: 2 } }
`),
    );
    expect(errors.map((e) => e.message)).toEqual(['sweep conditions go round in a circle: train.epochs -> train.batchSize -> train.epochs']);
  });
});
