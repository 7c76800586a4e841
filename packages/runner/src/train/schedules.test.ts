import { describe, expect, it } from 'vitest';
import { makeSchedule } from './schedules.ts';

const rates = (s: ReturnType<typeof makeSchedule>, n: number) => Array.from({ length: n }, (_, e) => s.rate(e));
const epochMetrics = (valLoss: number) => ({ train: {}, val: { loss: valLoss }, lr: 0 });

describe('learning-rate schedules', () => {
  it('constant without a schedule', () => {
    expect(rates(makeSchedule(undefined, 0.1, 3), 3)).toEqual([0.1, 0.1, 0.1]);
  });
  it('step: gamma every stepSize epochs', () => {
    const r = rates(makeSchedule({ type: 'step', stepSize: 2, gamma: 0.5 }, 1, 6), 6);
    expect(r).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
  });
  it('exponential: decayRate per epoch', () => {
    const r = rates(makeSchedule({ type: 'exponential', decayRate: 0.9 }, 1, 3), 3);
    expect(r[0]).toBe(1);
    expect(r[1]).toBeCloseTo(0.9, 12);
    expect(r[2]).toBeCloseTo(0.81, 12);
  });
  it('cosine: warm-up, then from the base rate down to the minimum at the last epoch', () => {
    const r = rates(makeSchedule({ type: 'cosine', minLearningRate: 0.1, warmupEpochs: 2 }, 1, 7), 7);
    expect(r[0]).toBeCloseTo(0.5, 12);
    expect(r[1]).toBeCloseTo(1, 12);
    expect(r[2]).toBeCloseTo(1, 12); // cosine starts at the base rate
    expect(r[4]).toBeCloseTo(0.1 + 0.9 * 0.5, 12); // halfway
    expect(r[6]).toBeCloseTo(0.1, 12);
  });
  it('reduceOnPlateau cuts after patience epochs without improvement, not below the minimum', () => {
    const s = makeSchedule({ type: 'reduceOnPlateau', monitor: 'val.loss', mode: 'auto', factor: 0.5, patience: 2, minDelta: 0, minLearningRate: 0.3 }, 1, 10);
    const seen: number[] = [];
    for (const [e, loss] of [1.0, 0.9, 0.95, 0.92, 0.91, 0.93, 0.94, 0.99].entries()) {
      seen.push(s.rate(e));
      s.afterEpoch!(e, epochMetrics(loss));
    }
    seen.push(s.rate(8));
    // best 0.9 at epoch 1; no improvement at 2, 3 -> cut to 0.5; 4, 5 -> cut to 0.3 (floor); 6, 7 -> stays 0.3
    expect(seen).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.3, 0.3, 0.3]);
  });
});
