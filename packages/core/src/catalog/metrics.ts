/**
 * Every metric Kiln knows, in one table: the spec's metrics (the tasks each fits, whether lower or
 * higher is better) and the series the trainer logs besides them (loss, batch loss, epoch time, lr).
 * The spec schema's enum, the cross-field checks, the runner's metric functions, the training
 * monitor, the store's best step, `kiln compare` and the UI all read their answers from here.
 */
import type { TargetSpec } from '../spec/schema/data.ts';
import { keysOf } from './keys.ts';

type TargetType = TargetSpec['type'];

/** Whether lower (min) or higher (max) values of a metric are better. */
export const DIRECTIONS = ['min', 'max'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** A spec metric: the target types it applies to, and its better direction. */
export interface MetricInfo {
  tasks: readonly TargetType[];
  direction: Direction;
}

/**
 * The metrics a spec may list in train.metrics or an output's metrics; key order is the schema enum's order.
 * Adding one here is the whole spec side (enum, checks, direction); the compiler then asks for its
 * function in runner/src/train/metrics.ts (METRIC_FNS).
 */
export const METRIC_TABLE = {
  accuracy: { tasks: ['binary', 'multiclass'], direction: 'max' },
  precision: { tasks: ['binary', 'multiclass'], direction: 'max' },
  recall: { tasks: ['binary', 'multiclass'], direction: 'max' },
  f1: { tasks: ['binary', 'multiclass'], direction: 'max' },
  f1Weighted: { tasks: ['binary', 'multiclass'], direction: 'max' },
  auc: { tasks: ['binary'], direction: 'max' },
  rmse: { tasks: ['regression'], direction: 'min' },
  mae: { tasks: ['regression'], direction: 'min' },
  r2: { tasks: ['regression'], direction: 'max' },
} as const satisfies Record<string, MetricInfo>;

export type MetricName = keyof typeof METRIC_TABLE;

/** The spec metric names, in table order. */
export const METRICS = keysOf(METRIC_TABLE);

/**
 * The series the trainer logs that are not spec metrics, by the name after their last dot:
 * `train.loss` / `val.species.loss`, `train.batch_loss`, `time.epoch_seconds`, `lr`.
 * A learning rate has no better value; `max` keeps the store's best step at its peak, as before.
 */
export const SERIES_TABLE = {
  loss: { direction: 'min' },
  batch_loss: { direction: 'min' },
  epoch_seconds: { direction: 'min' },
  lr: { direction: 'max' },
} as const satisfies Record<string, { direction: Direction }>;

export type SeriesName = keyof typeof SERIES_TABLE;

/**
 * Names logged through the tracking API that no table lists: lower is better when the name holds one
 * of these words (val_loss, eval/error_rate, perplexity).
 */
const LOWER_IS_BETTER_WORDS = /loss|error|err$|mse|mae|rmse|perplexity|nll|seconds/i;

const own = <T extends object>(table: T, name: string): name is Extract<keyof T, string> => Object.hasOwn(table, name);

/**
 * Whether lower or higher is better for a metric key: `val.species.accuracy` -> max, `train.batch_loss`,
 * `time.epoch_seconds` -> min. Only the name after the last dot counts, so a graph output's name
 * (`val.error.accuracy`) never decides it.
 */
export function metricDirection(key: string): Direction {
  const name = key.slice(key.lastIndexOf('.') + 1);
  if (own(METRIC_TABLE, name)) return METRIC_TABLE[name].direction;
  if (own(SERIES_TABLE, name)) return SERIES_TABLE[name].direction;
  return LOWER_IS_BETTER_WORDS.test(name) ? 'min' : 'max';
}

/** The spec metrics that apply to a target type, in table order. */
export function metricsFor(task: TargetType): MetricName[] {
  return METRICS.filter((m) => (METRIC_TABLE[m].tasks as readonly TargetType[]).includes(task));
}
