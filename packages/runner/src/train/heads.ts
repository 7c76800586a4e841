/** The heads the training loop optimizes: per model output, its task, loss, loss weight, metrics and target array. */
import { must } from '@kiln/core/errors';
import { headsOf, type LossName, type MetricName, type PipelineSpec, type TrainSpec } from '@kiln/core';
import type { TargetInfo, TargetScale } from '../data/types.ts';
import type { Task } from './batches.ts';
import { classWeightsOf } from './class-weights.ts';
import { computeMetrics, inTargetUnits, type Predictions } from './metrics.ts';

/** One model output as the loop sees it. */
export interface LoopHead {
  /** The model output's name ('output' for a single head). */
  name: string;
  /** Prefix of its metric keys: '' for a single head, `<output>.` with several. */
  prefix: string;
  task: Task;
  loss: LossName;
  weight: number;
  metrics: MetricName[];
  /** Index of its target in the split's target arrays (SplitArrays.ys). */
  target: number;
  /** Its regression target's scaling: the loss is reported, and metrics computed, in the target's own units. */
  scale?: TargetScale;
  /** train.classWeights resolved for its classes, in class order. */
  classWeights?: number[];
}

/** The one head of a single-output model. */
export function singleHead(spec: TrainSpec, task: Task): LoopHead {
  return { name: 'output', prefix: '', task, loss: spec.loss, weight: 1, metrics: spec.metrics, target: 0 };
}

/** The heads of a pipeline, in model-output order, each pointing at its prepared target. */
export function loopHeads(spec: Pick<PipelineSpec, 'data' | 'model' | 'train'>, targets: TargetInfo[]): LoopHead[] {
  return headsOf(spec).map((h) => {
    const target = targets.findIndex((t) => t.name === h.target.name);
    const prepared = must(targets[target], `the target of head '${h.name}' is among the prepared targets`);
    const weights = classWeightsOf(spec.train.classWeights, targets)[target];
    return { name: h.name, prefix: h.prefix, task: prepared.type, loss: h.loss, weight: h.lossWeight, metrics: h.metrics, target, ...(prepared.scale ? { scale: prepared.scale } : {}), ...(weights ? { classWeights: weights } : {}) };
  });
}

/** One split's metrics: the total loss, then per head its loss (when there are several) and metrics, under its prefix. */
export function splitMetrics(heads: LoopHead[], loss: number, perHead: { loss: number; predictions: Predictions }[]): Record<string, number> {
  const out: Record<string, number> = { loss };
  heads.forEach((h, k) => {
    const { loss: headLoss, predictions } = must(perHead[k], 'one evaluation per head');
    if (h.prefix) out[`${h.prefix}loss`] = headLoss;
    Object.assign(out, prefixed(h.prefix, computeMetrics(h.metrics, inTargetUnits(predictions, h.scale))));
  });
  return out;
}

/** Prefixes every key of a head's metrics. */
function prefixed(prefix: string, metrics: Record<string, number>): Record<string, number> {
  return prefix ? Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${prefix}${k}`, v])) : metrics;
}
