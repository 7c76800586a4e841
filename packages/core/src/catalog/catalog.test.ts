import { describe, expect, it } from 'vitest';
import { LOSSES, lossesFor } from './losses.ts';
import { METRICS, metricDirection, metricsFor } from './metrics.ts';
import { GOALS, PRUNER_TABLE, SAMPLERS, goalFor } from './sweep.ts';
import { pipelineJsonSchema } from '../spec/json-schema.ts';

describe('metricDirection', () => {
  it.each([
    ['val.accuracy', 'max'],
    ['val.species.accuracy', 'max'],
    ['test.body_mass.r2', 'max'],
    ['val.auc', 'max'],
    ['train.loss', 'min'],
    ['val.species.loss', 'min'],
    ['val.body_mass.rmse', 'min'],
    ['val.mae', 'min'],
    ['train.batch_loss', 'min'],
    ['time.epoch_seconds', 'min'],
    ['lr', 'max'],
    // Only the metric's own name counts: a graph output called `error` or `loss_head` does not flip its accuracy.
    ['val.error.accuracy', 'max'],
    ['val.loss_head.f1', 'max'],
    // Names logged through the tracking API keep the word rule.
    ['perplexity', 'min'],
    ['eval/error_rate', 'min'],
    ['reward', 'max'],
  ] as const)('%s is better %s', (key, dir) => {
    expect(metricDirection(key)).toBe(dir);
  });
});

describe('tables', () => {
  it('lists the losses and metrics that fit each target type, in table order', () => {
    expect(lossesFor('binary')).toEqual(['binaryCrossentropy']);
    expect(lossesFor('multiclass')).toEqual(['categoricalCrossentropy', 'sparseCategoricalCrossentropy']);
    expect(lossesFor('regression')).toEqual(['mse', 'mae', 'huber']);
    expect(metricsFor('binary')).toEqual(['accuracy', 'precision', 'recall', 'f1', 'f1Weighted', 'auc']);
    expect(metricsFor('multiclass')).toEqual(['accuracy', 'precision', 'recall', 'f1', 'f1Weighted']);
    expect(metricsFor('regression')).toEqual(['rmse', 'mae', 'r2']);
  });

  it('are what the spec schema offers', () => {
    const schema: unknown = pipelineJsonSchema();
    const at = (...path: string[]): unknown => path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], schema);
    const train = (...path: string[]) => at('properties', 'train', 'properties', ...path);
    const sweep = (...path: string[]) => at('properties', 'sweep', 'properties', ...path);
    const variants = sweep('pruner', 'anyOf') as { properties: { type: { const: string } } }[];
    expect(train('loss', 'enum')).toEqual([...LOSSES]);
    expect(train('metrics', 'items', 'enum')).toEqual([...METRICS]);
    expect(sweep('method', 'enum')).toEqual([...SAMPLERS]);
    expect(sweep('goal', 'enum')).toEqual([...GOALS]);
    expect(variants.map((v) => v.properties.type.const)).toEqual(Object.keys(PRUNER_TABLE));
  });

  it('maps a direction to the sweep goal that optimizes it', () => {
    expect(goalFor(metricDirection('val.loss'))).toBe('minimize');
    expect(goalFor(metricDirection('val.accuracy'))).toBe('maximize');
  });
});
