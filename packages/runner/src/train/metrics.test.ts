import { describe, expect, it } from 'vitest';
import { computeMetrics, confusionMatrix, inTargetUnits, rocAuc, type Predictions } from './metrics.ts';

const binary: Predictions = { task: 'binary', n: 6, width: 1, pred: Float32Array.from([0.9, 0.2, 0.6, 0.4, 0.8, 0.1]), y: Int32Array.from([1, 0, 0, 1, 1, 0]) };
// predicted: 1 0 1 0 1 0 -> tp 2, fp 1, fn 1, tn 2
const multi: Predictions = {
  task: 'multiclass',
  n: 5,
  width: 3,
  pred: Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.5, 0.3, 0.1, 0.1, 0.8, 0.6, 0.3, 0.1]),
  y: Int32Array.from([0, 1, 2, 2, 1]),
};
// predicted: 0 1 1 2 0

describe('metrics', () => {
  it('binary accuracy, precision, recall, f1 of the positive class', () => {
    const m = computeMetrics(['accuracy', 'precision', 'recall', 'f1'], binary);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(confusionMatrix(binary)).toEqual([[2, 1], [1, 2]]);
  });

  it('multiclass macro precision, recall, f1 and the confusion matrix', () => {
    expect(confusionMatrix(multi)).toEqual([[1, 0, 0], [1, 1, 0], [0, 1, 1]]);
    const m = computeMetrics(['accuracy', 'precision', 'recall', 'f1'], multi);
    expect(m.accuracy).toBeCloseTo(3 / 5, 12);
    // per class precision: 1/2, 1/2, 1/1; recall: 1/1, 1/2, 1/2; f1: 2/3, 1/2, 2/3
    expect(m.precision).toBeCloseTo((0.5 + 0.5 + 1) / 3, 12);
    expect(m.recall).toBeCloseTo((1 + 0.5 + 0.5) / 3, 12);
    expect(m.f1).toBeCloseTo((2 / 3 + 0.5 + 2 / 3) / 3, 12);
  });

  it('auc is the fraction of positive-negative pairs ranked right, ties counting half', () => {
    // positives 0.9, 0.4, 0.8 vs negatives 0.2, 0.6, 0.1: wrong pairs: (0.4 < 0.6) -> 8/9
    expect(rocAuc(binary.pred, binary.y)).toBeCloseTo(8 / 9, 12);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('rmse, mae and r2', () => {
    const p: Predictions = { task: 'regression', n: 4, width: 1, pred: Float32Array.from([1, 2, 3, 5]), y: Float32Array.from([1, 3, 3, 3]) };
    const m = computeMetrics(['rmse', 'mae', 'r2'], p);
    expect(m.rmse).toBeCloseTo(Math.sqrt(5 / 4), 12);
    expect(m.mae).toBeCloseTo(3 / 4, 12);
    // mean 2.5; sst = 2.25 + 0.25 + 0.25 + 0.25 = 3; sse = 5
    expect(m.r2).toBeCloseTo(1 - 5 / 3, 12);
  });
});

describe('f1Weighted and scaled targets', () => {
  it('f1Weighted averages per-class F1 by support (scikit-learn average=weighted), over both classes for binary', () => {
    // multi: f1 per class 2/3, 1/2, 2/3 with supports 1, 2, 2
    expect(computeMetrics(['f1Weighted'], multi).f1Weighted).toBeCloseTo((2 / 3 + 2 * 0.5 + 2 * (2 / 3)) / 5, 12);
    // binary: both classes have f1 2/3 and support 3
    expect(computeMetrics(['f1Weighted'], binary).f1Weighted).toBeCloseTo(2 / 3, 12);
  });

  it('regression metrics of a scaled target are computed in its own units', () => {
    const scaled: Predictions = { task: 'regression', n: 2, width: 1, pred: Float32Array.from([0, 1]), y: Float32Array.from([1, 1]) };
    const units = inTargetUnits(scaled, { kind: 'standard', mean: 10, std: 4 });
    expect(Array.from(units.pred)).toEqual([10, 14]);
    expect(computeMetrics(['rmse', 'mae'], units)).toEqual({ rmse: expect.closeTo(Math.sqrt(8), 6), mae: expect.closeTo(2, 6) });
    expect(inTargetUnits(binary, { kind: 'standard', mean: 10, std: 4 })).toBe(binary);
  });
});
