import { describe, expect, it } from 'vitest';
import { splitMetricKey } from '@kiln/core';
import { bestOf, readEpochMetric } from './metric.ts';

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

  it('pick the best finite value for the goal', () => {
    const curve: Array<[number, number]> = [[1, 0.5], [2, Number.NaN], [3, 0.7], [4, 0.6]];
    expect(bestOf(curve, 'maximize')).toBe(0.7);
    expect(bestOf(curve, 'minimize')).toBe(0.5);
  });
});
