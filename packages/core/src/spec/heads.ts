/**
 * The heads of a model: each output bound to its target, loss, loss weight and metrics. A layer stack
 * (or a graph with one output) has one head whose metrics keep their plain names (val.accuracy); with
 * several graph outputs every metric is prefixed by its output's name (val.species.accuracy).
 */
import type { PathSegments } from './path.ts';
import type { DataSpec, TargetSpec } from './schema/data.ts';
import type { ModelSpec } from './schema/layers.ts';
import type { LossName, MetricName, TrainSpec } from './schema/train.ts';

/** One output of the model as training sees it. */
export interface HeadSpec {
  /** The graph output's name ('output' for a layer stack). */
  name: string;
  target: TargetSpec;
  loss: LossName;
  lossWeight: number;
  metrics: MetricName[];
  /** Prefix of this head's metric keys: '' with one head, else `<name>.`. */
  prefix: string;
  /** Index in model.graph.outputs; -1 for a layer stack. */
  index: number;
}

type HeadSource = { data: DataSpec; model: ModelSpec; train: TrainSpec };

/** The targets of the data section: data.targets, or the single data.target. */
export function targetsOf(data: DataSpec): TargetSpec[] {
  return data.targets ?? (data.target ? [data.target] : []);
}

/** The target an output is bound to: its `target` name, or the only target; undefined when that does not resolve. */
export function boundTarget(data: DataSpec, target: string | undefined): TargetSpec | undefined {
  const all = targetsOf(data);
  if (target === undefined) return all.length === 1 ? all[0] : undefined;
  return all.find((t) => t.name === target);
}

/** Every head whose target resolves (the checks report the others), in output order. */
export function headsOf({ data, model, train }: HeadSource): HeadSpec[] {
  const outputs = model.graph?.outputs;
  if (!outputs) {
    const target = targetsOf(data)[0];
    return target ? [{ name: 'output', target, loss: train.loss, lossWeight: 1, metrics: train.metrics, prefix: '', index: -1 }] : [];
  }
  const several = outputs.length > 1;
  return outputs.flatMap((o, index) => {
    const target = boundTarget(data, o.target);
    if (!target) return [];
    return [{ name: o.name, target, loss: o.loss ?? train.loss, lossWeight: o.lossWeight, metrics: o.metrics ?? train.metrics, prefix: several ? `${o.name}.` : '', index }];
  });
}

/** Where a head's loss is set: its output's `loss`, else train.loss. */
export function lossAt(spec: HeadSource, head: HeadSpec): PathSegments {
  return head.index >= 0 && spec.model.graph?.outputs[head.index]?.loss !== undefined ? ['model', 'graph', 'outputs', head.index, 'loss'] : ['train', 'loss'];
}

/** Where a head's k-th metric is set: its output's `metrics`, else train.metrics. */
export function metricAt(spec: HeadSource, head: HeadSpec, k: number): PathSegments {
  return head.index >= 0 && spec.model.graph?.outputs[head.index]?.metrics !== undefined ? ['model', 'graph', 'outputs', head.index, 'metrics', k] : ['train', 'metrics', k];
}

/** Splits `val.species.accuracy` at its first dot: the split, and the name within it (a head's prefix included). */
export function splitMetricKey(key: string): [string, string] {
  const dot = key.indexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)];
}

/** The metric names (without the split) a run computes: loss, then each head's loss and metrics. */
export function metricNames(spec: HeadSource): string[] {
  const heads = headsOf(spec);
  const perHead = heads.flatMap((h) => [...(h.prefix ? [`${h.prefix}loss`] : []), ...h.metrics.map((m) => `${h.prefix}${m}`)]);
  return ['loss', ...perHead];
}
