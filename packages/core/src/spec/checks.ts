import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatPath, type PathSegments } from './path.ts';
import type { PipelineSpec } from './schema/pipeline.ts';
import type { LossName, MetricName } from './schema/train.ts';
import { checkGraph } from './graph.ts';
import type { LayerSpec } from './schema/layers.ts';
import { layerOutput, stackInput } from './shapes.ts';
import type { SchemaProblem } from './validate.ts';

/** What a cross-field check needs besides the spec. */
export interface CheckContext {
  /** Folder of the pipeline file: data paths are relative to it. */
  baseDir: string;
  /** Validates one candidate value for a spec path (used for sweep parameters). */
  validateValueAt: (segments: PathSegments, value: unknown) => SchemaProblem[];
}

type Check = (spec: PipelineSpec, ctx: CheckContext) => SchemaProblem[];

const problem = (code: string, segments: PathSegments, message: string, hint?: string): SchemaProblem => ({
  code: `check/${code}`,
  path: formatPath(segments),
  segments,
  at: 'value',
  message,
  ...(hint ? { hint } : {}),
});

const LOSSES_FOR: Record<string, LossName[]> = {
  binary: ['binaryCrossentropy'],
  multiclass: ['categoricalCrossentropy', 'sparseCategoricalCrossentropy'],
  regression: ['mse', 'mae', 'huber'],
};
const METRICS_FOR: Record<string, MetricName[]> = {
  binary: ['accuracy', 'precision', 'recall', 'f1', 'auc'],
  multiclass: ['accuracy', 'precision', 'recall', 'f1'],
  regression: ['rmse', 'mae', 'r2'],
};

const splitSumsToOne: Check = ({ data: { split } }) => {
  if (split.column) return [];
  const sum = split.train + split.val + split.test;
  return Math.abs(sum - 1) > 1e-6 ? [problem('split-sum', ['data', 'split'], `split fractions add up to ${+sum.toFixed(6)}, not 1`, `train ${split.train} + val ${split.val} + test ${split.test} must be 1`)] : [];
};

const lossFitsTarget: Check = ({ data, train }) => {
  const ok = LOSSES_FOR[data.target.type]!;
  return ok.includes(train.loss) ? [] : [problem('loss-target', ['train', 'loss'], `loss ${train.loss} does not fit a ${data.target.type} target`, `use ${ok.join(' or ')}`)];
};

/** The layers that end in the output layer, and their path: the stack, or the graph output's node. */
function headStack({ layers, graph }: PipelineSpec['model']): { layers: LayerSpec[]; at: PathSegments } | undefined {
  if (layers) return { layers, at: ['model', 'layers'] };
  const out = graph?.outputs[0];
  const i = graph && out ? graph.nodes.findIndex((n) => n.name === out.from) : -1;
  return i >= 0 && graph!.nodes[i]!.layers.length > 0 ? { layers: graph!.nodes[i]!.layers, at: ['model', 'graph', 'nodes', i, 'layers'] } : undefined;
}

const modelForm: Check = ({ model, data }) => {
  if (!model.layers === !model.graph) return [problem('model-form', ['model'], model.layers ? 'model has both layers and graph' : 'model needs layers (a stack) or graph', 'give exactly one of model.layers and model.graph')];
  if (!model.graph) return [];
  const g = model.graph;
  if (model.from) return [problem('model-form', ['model', 'from'], 'model.from works with a layer stack only, not with graph', 'write the new layers as model.layers')];
  if (g.inputs.length > 1) return [problem('graph-inputs', ['model', 'graph', 'inputs', 1], 'a graph takes one input for now (several need the data stage to feed features separately)', 'list all features in one input, and branch from it')];
  if (g.outputs.length > 1) return [problem('graph-outputs', ['model', 'graph', 'outputs', 1], 'a graph has one output for now (several heads need one target each)', 'keep one output')];
  const all = data.features.map((f) => f.name).join(', ');
  const picked = g.inputs[0]!.features;
  if (picked && picked.join(', ') !== all) return [problem('graph-inputs', ['model', 'graph', 'inputs', 0, 'features'], `a single graph input takes all data.features in order (${all})`, 'leave features out')];
  return [];
};

const headFitsLoss: Check = ({ model, train, data }) => {
  const head = headStack(model);
  if (!head) return model.graph ? [problem('head', ['model', 'graph', 'outputs', 0, 'from'], 'the output node has no layers; it must end in a dense output layer', headHint(data.target.type))] : [];
  const idx = head.layers.length - 1;
  const last = head.layers[idx]!;
  const at = [...head.at, idx] as PathSegments;
  if (last.type !== 'dense') return [problem('head', at, `the last layer is ${last.type}; the output layer must be dense`, headHint(data.target.type))];
  const t = data.target.type;
  if (t === 'binary' && (last.units !== 1 || last.activation !== 'sigmoid'))
    return [problem('head', at, `binary cross-entropy needs one sigmoid unit, but the last layer has ${last.units} unit(s) with ${last.activation}`, headHint(t))];
  if (t === 'multiclass' && (last.activation !== 'softmax' || last.units < 2))
    return [problem('head', at, `a multiclass target needs a softmax layer with one unit per class, but the last layer has ${last.units} unit(s) with ${last.activation}`, headHint(t))];
  if (t === 'regression' && (last.units !== 1 || last.activation !== 'linear'))
    return [problem('head', at, `a regression target needs one linear unit, but the last layer has ${last.units} unit(s) with ${last.activation}`, headHint(t))];
  void train;
  return [];
};
const headHint = (t: string) =>
  ({ binary: 'end with { type: dense, units: 1, activation: sigmoid }', multiclass: 'end with { type: dense, units: <classes>, activation: softmax }', regression: 'end with { type: dense, units: 1 } (linear)' })[t];

const layersFitShapes: Check = ({ data, model }) => {
  if (model.graph) return checkGraph(model.graph, data.features).map((p) => problem(p.code, p.at, p.message, p.hint));
  if (!model.layers) return [];
  // With model.from the new layers sit on a stored model whose shapes are known only when it is loaded (checked then).
  if (model.from) return [];
  let shape = stackInput(data.features);
  if (typeof shape === 'string') return [problem('features', ['data', 'features'], shape)];
  for (const [i, layer] of model.layers.entries()) {
    const next = layerOutput(shape, layer);
    if (typeof next === 'string') return [problem('shape', ['model', 'layers', i], next, 'the first layer takes the input from data.features; check the order of the layers')];
    shape = next;
  }
  return [];
};

const metricsFitTask: Check = ({ data, train }) =>
  train.metrics.flatMap((m, i) =>
    METRICS_FOR[data.target.type]!.includes(m) ? [] : [problem('metric-task', ['train', 'metrics', i], `metric ${m} does not apply to a ${data.target.type} target`, `use ${METRICS_FOR[data.target.type]!.join(', ')}`)],
  );

const monitorsExist: Check = ({ train, data }) => {
  const known = new Set(['loss', ...train.metrics]);
  const monitored: [PathSegments, string][] = [];
  if (train.earlyStopping) monitored.push([['train', 'earlyStopping', 'monitor'], train.earlyStopping.monitor]);
  if (train.checkpoint) monitored.push([['train', 'checkpoint', 'monitor'], train.checkpoint.monitor]);
  if (train.lrSchedule?.type === 'reduceOnPlateau') monitored.push([['train', 'lrSchedule', 'monitor'], train.lrSchedule.monitor]);
  return monitored.flatMap(([at, m]) => {
    const [split, metric] = m.split('.') as [string, string];
    if (!known.has(metric)) return [problem('monitor', at, `${m} is not computed`, `monitor loss or one of train.metrics (${[...known].join(', ')}), or add ${metric} to train.metrics`)];
    if (split === 'val' && data.split.val === 0 && !data.split.column) return [problem('monitor', at, `${m} needs a validation split, but data.split.val is 0`, 'give data.split.val a fraction, or monitor train.*')];
    return [];
  });
};

const sweepMetricExists: Check = ({ sweep, train }) => {
  if (!sweep) return [];
  const metric = sweep.metric.split('.')[1]!;
  return metric === 'loss' || (train.metrics as string[]).includes(metric) ? [] : [problem('sweep-metric', ['sweep', 'metric'], `${sweep.metric} is not computed`, `use loss or one of train.metrics, or add ${metric} to train.metrics`)];
};

const sweepParamsValid: Check = ({ sweep }, ctx) => {
  if (!sweep) return [];
  return Object.entries(sweep.parameters).flatMap(([path, dist]) => {
    const at: PathSegments = ['sweep', 'parameters', path];
    if ('low' in dist && dist.low > dist.high) return [problem('sweep-range', at, `low (${dist.low}) is greater than high (${dist.high})`, 'swap low and high')];
    const candidates = dist.type === 'values' ? dist.values : [dist.low, dist.high];
    const segs = parseSegments(path);
    for (const c of candidates) {
      const errs = ctx.validateValueAt(segs, c);
      if (errs.length > 0) {
        const e = errs[0]!;
        const message = e.code === 'spec/unknown-key' || e.code === 'spec/no-such-path' ? `${path} is not a field of this spec (${e.message})` : `value ${JSON.stringify(c)} is not valid for ${e.path}: ${e.message}`;
        return [{ ...problem('sweep-param', at, message, e.hint ?? 'the path must name a field of this spec, e.g. train.optimizer.learningRate or model.layers[1].units'), at: 'key' }];
      }
    }
    return [];
  });
};
const parseSegments = (p: string): PathSegments => p.split(/\.|(?=\[)/).map((s) => (s.startsWith('[') ? Number(s.slice(1, -1)) : s));

const filesExist: Check = ({ data: { source } }, ctx) =>
  source.type !== 'builtin' && !existsSync(resolve(ctx.baseDir, source.path))
    ? [problem('file-missing', ['data', 'source', 'path'], `file not found: ${source.path}`, `looked in ${resolve(ctx.baseDir, source.path)}; paths are relative to the pipeline file`)]
    : [];

/** The cross-field checks, run in order after defaults are filled and the schema passed. */
export const CHECKS: Record<string, Check> = {
  splitSumsToOne,
  modelForm,
  lossFitsTarget,
  headFitsLoss,
  layersFitShapes,
  metricsFitTask,
  monitorsExist,
  sweepMetricExists,
  sweepParamsValid,
  filesExist,
};

/** Runs every cross-field check. */
export function runChecks(spec: PipelineSpec, ctx: CheckContext): SchemaProblem[] {
  return Object.values(CHECKS).flatMap((check) => check(spec, ctx));
}
