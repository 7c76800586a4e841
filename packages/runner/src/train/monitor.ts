/** Watching one metric across epochs: which direction is better, and whether a value improved. */
import { splitMetricKey } from '@kiln/core';
import { metricDirection, type Direction } from '@kiln/core/catalog';

export type Mode = 'auto' | Direction;

/** Resolves `auto` from the metric's entry in core's catalog (loss, rmse, mae: min; accuracy, f1, auc, r2: max). */
export function resolveMode(monitor: string, mode: Mode): Direction {
  return mode === 'auto' ? metricDirection(monitor) : mode;
}

/** Tracks the best value of a metric; `observe` says whether the new value beats it by more than minDelta. */
export class Watch {
  readonly mode: Direction;
  best = Number.NaN;
  bestEpoch = -1;
  /** Epochs since the last improvement. */
  wait = 0;

  constructor(
    readonly monitor: string,
    mode: Mode,
    private readonly minDelta = 0,
  ) {
    this.mode = resolveMode(monitor, mode);
  }

  /** Records the epoch's value; true when it is a new best. A NaN value never improves. */
  observe(epoch: number, value: number): boolean {
    const improved =
      !Number.isNaN(value) && (Number.isNaN(this.best) || (this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta));
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
      this.wait = 0;
    } else this.wait++;
    return improved;
  }
}

/** Splits `val.species.accuracy` into its split and the metric name within it (which may hold a head's prefix). */
export function splitKey(key: string): ['train' | 'val', string] {
  return splitMetricKey(key) as ['train' | 'val', string];
}

/** Looks up `train.loss` / `val.accuracy` / `val.species.accuracy` in an epoch's metrics. */
export function readMetric(metrics: EpochMetrics, key: string): number {
  const [split, name] = splitKey(key);
  return metrics[split]?.[name] ?? Number.NaN;
}

/** Per-epoch metrics as the loop reports them. */
export interface EpochMetrics {
  train: Record<string, number>;
  val: Record<string, number>;
  lr: number;
}
