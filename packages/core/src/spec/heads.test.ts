import { describe, expect, it } from 'vitest';
import { headsOf, metricNames, targetsOf } from './heads.ts';
import { loadPipelineText } from './load.ts';

const MULTI = `name: t
data:
  source: { type: builtin, name: penguins }
  features:
    - { name: Beak Length (mm), type: numeric }
    - { name: Island, type: category }
  targets:
    - { name: Species, type: multiclass }
    - { name: Body Mass (g), type: regression }
model:
  graph:
    inputs:
      - { name: nums, features: [Beak Length (mm)] }
      - { name: cats, features: [Island] }
    nodes:
      - { name: trunk, from: [nums, cats], layers: [{ type: dense, units: 8, activation: relu }] }
      - { name: s, from: trunk, layers: [{ type: dense, units: 3, activation: softmax }] }
      - { name: m, from: trunk, layers: [{ type: dense, units: 1 }] }
    outputs:
      - { name: species, from: s, target: Species }
      - { name: mass, from: m, target: Body Mass (g), loss: huber, lossWeight: 0.01, metrics: [rmse, r2] }
train:
  loss: sparseCategoricalCrossentropy
  optimizer: { name: adam }
  metrics: [accuracy]
  earlyStopping: { monitor: val.mass.rmse }
`;

const load = (yaml: string) => {
  const r = loadPipelineText('/tmp/pipeline.yaml', yaml);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.pipeline.spec;
};

describe('model heads', () => {
  it('binds each graph output to its target, with its own loss, weight and metrics (train.* by default)', () => {
    const spec = load(MULTI);
    expect(targetsOf(spec.data).map((t) => t.name)).toEqual(['Species', 'Body Mass (g)']);
    expect(headsOf(spec).map(({ name, target, loss, lossWeight, metrics, prefix }) => ({ name, target: target.name, loss, lossWeight, metrics, prefix }))).toEqual([
      { name: 'species', target: 'Species', loss: 'sparseCategoricalCrossentropy', lossWeight: 1, metrics: ['accuracy'], prefix: 'species.' },
      { name: 'mass', target: 'Body Mass (g)', loss: 'huber', lossWeight: 0.01, metrics: ['rmse', 'r2'], prefix: 'mass.' },
    ]);
    expect(metricNames(spec)).toEqual(['loss', 'species.loss', 'species.accuracy', 'mass.loss', 'mass.rmse', 'mass.r2']);
  });

  it('keeps plain metric names for a single head, stack or graph', () => {
    const single = load(MULTI.replace(/ {2}targets:\n.*\n.*\n/, '  target: { name: Species, type: multiclass }\n').replace(/ {6}- \{ name: mass.*\n/, '').replace('val.mass.rmse', 'val.accuracy'));
    expect(headsOf(single).map((h) => h.prefix)).toEqual(['']);
    expect(metricNames(single)).toEqual(['loss', 'accuracy']);
  });

  it('rejects a monitor naming a head metric that is not computed, listing the ones that are', () => {
    const r = loadPipelineText('/tmp/pipeline.yaml', MULTI.replace('val.mass.rmse', 'val.mass.mae'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ path: 'train.earlyStopping.monitor', message: 'val.mass.mae is not computed' });
    expect(r.errors[0]?.hint).toContain('val.mass.rmse');
  });
});

describe('sweeps over a multi-output model', () => {
  it('optimize the total loss or one output\'s metric; a metric no output computes is refused, located', () => {
    const sweep = (metric: string) => `${MULTI}sweep:\n  metric: ${metric}\n  parameters:\n    train.optimizer.learningRate: { type: values, values: [0.01, 0.001] }\n`;
    expect(loadPipelineText('/tmp/pipeline.yaml', sweep('val.loss')).ok).toBe(true);
    expect(loadPipelineText('/tmp/pipeline.yaml', sweep('val.species.accuracy')).ok).toBe(true);
    const r = loadPipelineText('/tmp/pipeline.yaml', sweep('val.species.rmse'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]).toMatchObject({ path: 'sweep.metric', message: 'val.species.rmse is not computed' });
    expect(r.errors[0]?.hint).toContain('species.accuracy');
  });
});
