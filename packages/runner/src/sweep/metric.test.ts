import { describe, expect, it } from 'vitest';
import { splitMetricKey } from '@kiln/core';
import { keptValue, readEpochMetric } from './metric.ts';

describe('sweep metric keys', () => {
  it('split at the first dot, so a head name stays with its metric', () => {
    expect(splitMetricKey('val.accuracy')).toEqual(['val', 'accuracy']);
    expect(splitMetricKey('val.species.accuracy')).toEqual(['val', 'species.accuracy']);
  });

  it('read plain and per-head values from an epoch, undefined when missing', () => {
    const epoch = { train: { loss: 0.5 }, val: { loss: 0.4, 'species.accuracy': 0.93, 'mass.rmse': 310 }, lr: 0.01 };
    expect(readEpochMetric(epoch, 'val.species.accuracy')).toBe(0.93);
    expect(readEpochMetric(epoch, 'val.mass.rmse')).toBe(310);
    expect(readEpochMetric(epoch, 'train.loss')).toBe(0.5);
    expect(readEpochMetric(epoch, 'val.species.f1')).toBeUndefined();
  });

  it("read a trial's objective from the model it kept, null when it kept none or the value is not finite", () => {
    const metrics = { train: { loss: 0.2 }, val: { loss: 0.4, accuracy: 0.8311 }, test: { accuracy: 0.82 } };
    expect(keptValue({ keptEpoch: 7, metrics }, 'val.accuracy')).toBe(0.8311);
    expect(keptValue({ keptEpoch: 7, metrics }, 'train.loss')).toBe(0.2);
    expect(keptValue({ keptEpoch: 7, metrics }, 'test.accuracy')).toBe(0.82);
    expect(keptValue({ metrics }, 'val.accuracy')).toBeNull();
    // a k-fold parent keeps no model: its folds' mean counts once every fold finished
    const folds = [{ fold: 1, runId: 'r1', status: 'finished' as const, metrics }];
    expect(keptValue({ metrics, folds, status: 'finished' }, 'val.accuracy')).toBe(0.8311);
    expect(keptValue({ metrics, folds, status: 'killed' }, 'val.accuracy')).toBeNull();
    expect(keptValue({ keptEpoch: 1, metrics: { ...metrics, val: { accuracy: Number.NaN } } }, 'val.accuracy')).toBeNull();
  });
});
