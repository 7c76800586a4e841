/** Learning-rate schedules by spec type: the rate for each epoch, some of them reacting to a metric. */
import type { TrainSpec } from '@kiln/core';
import { readMetric, Watch, type EpochMetrics } from './monitor.ts';

export type LrScheduleSpec = NonNullable<TrainSpec['lrSchedule']>;
type Of<T extends LrScheduleSpec['type']> = Extract<LrScheduleSpec, { type: T }>;

/** The rate to use in an epoch (0-based), and an optional hook to see each finished epoch's metrics. */
export interface Schedule {
  rate(epoch: number): number;
  afterEpoch?(epoch: number, metrics: EpochMetrics): void;
}

type Builder<T extends LrScheduleSpec['type']> = (spec: Of<T>, base: number, epochs: number) => Schedule;

/** One entry per spec schedule type. */
export const SCHEDULE_BUILDERS: { [T in LrScheduleSpec['type']]: Builder<T> } = {
  step: (s, base) => ({ rate: (e) => base * s.gamma ** Math.floor(e / s.stepSize) }),
  exponential: (s, base) => ({ rate: (e) => base * s.decayRate ** e }),
  // Linear warm-up to the base rate over warmupEpochs, then half a cosine down to minLearningRate at the last epoch.
  cosine: (s, base, epochs) => ({
    rate: (e) => {
      if (e < s.warmupEpochs) return (base * (e + 1)) / s.warmupEpochs;
      const span = Math.max(1, epochs - s.warmupEpochs - 1);
      const t = Math.min(1, (e - s.warmupEpochs) / span);
      return s.minLearningRate + ((base - s.minLearningRate) * (1 + Math.cos(Math.PI * t))) / 2;
    },
  }),
  reduceOnPlateau: (s, base) => {
    const watch = new Watch(s.monitor, s.mode, s.minDelta);
    let lr = base;
    return {
      rate: () => lr,
      afterEpoch: (epoch, metrics) => {
        // As Keras: a cut after `patience` epochs without improvement, then the count starts over.
        const improved = watch.observe(epoch, readMetric(metrics, s.monitor));
        if (!improved && watch.wait >= s.patience) {
          lr = Math.max(s.minLearningRate, lr * s.factor);
          watch.wait = 0;
        }
      },
    };
  },
};

/** The schedule the spec names, or a constant rate when it names none. */
export function makeSchedule(spec: LrScheduleSpec | undefined, base: number, epochs: number): Schedule {
  if (!spec) return { rate: () => base };
  return (SCHEDULE_BUILDERS[spec.type] as Builder<LrScheduleSpec['type']>)(spec, base, epochs);
}
