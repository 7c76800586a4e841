import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatPath, type PathSegments } from './path.ts';
import type { PipelineSpec } from './schema/pipeline.ts';
import { lossesFor } from '../catalog/losses.ts';
import { metricsFor } from '../catalog/metrics.ts';
import { checkGraph } from './graph.ts';
import type { LayerSpec } from './schema/layers.ts';
import type { TargetSpec } from './schema/data.ts';
import { headsOf, lossAt, metricAt, metricNames, splitMetricKey, type HeadSpec } from './heads.ts';
import { layerOutput, stackInput } from './shapes.ts';
import { modelFitsMemory } from './memory.ts';
import { SWEEP_CHECKS } from './warnings.ts';
import { checkSweepConditions, conditionAssignments } from './sweep-conditions.ts';
import type { SchemaProblem } from './validate.ts';
import { checkSplitFolds } from './split-folds.ts';
import { checkSplitBy } from './split-by.ts';

/** What a cross-field check needs besides the spec. */
export interface CheckContext {
  /** Folder of the pipeline file: data paths are relative to it. */
  baseDir: string;
  /** Validates one candidate value for a spec path (used for sweep parameters), with other fields set first (`given`: a conditional parameter's conditions). */
  validateValueAt: (segments: PathSegments, value: unknown, given?: Array<[PathSegments, unknown]>) => SchemaProblem[];
  /** The spec as written (overrides applied, before defaults), for checks that must tell a given value from a default. */
  raw?: unknown;
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

const splitSumsToOne: Check = ({ data: { split } }) => {
  if (split.column || split.folds !== undefined) return [];
  const sum = split.train + split.val + split.test;
  return Math.abs(sum - 1) > 1e-6 ? [problem('split-sum', ['data', 'split'], `split fractions add up to ${+sum.toFixed(6)}, not 1`, `train ${split.train} + val ${split.val} + test ${split.test} must be 1`)] : [];
};

const targetForm: Check = ({ data, model }) => {
  if (!data.target === !data.targets) return [problem('target-form', ['data'], data.target ? 'data has both target and targets' : 'data needs target (one column to predict) or targets (several)', 'give exactly one of data.target and data.targets')];
  const targets = data.targets ?? [];
  const dup = targets.findIndex((t, i) => targets.findIndex((u) => u.name === t.name) !== i);
  const twice = targets[dup];
  if (twice) return [problem('target-duplicate', ['data', 'targets', dup, 'name'], `the target ${twice.name} is listed twice`, 'each column is predicted by one output')];
  if (targets.length > 1 && !model.graph) return [problem('target-form', ['data', 'targets'], `${targets.length} targets need a model.graph with one output per target`, 'write the model as model.graph, or use data.target')];
  return [];
};

const lossFitsTarget: Check = (spec) =>
  headsOf(spec).flatMap((h) => {
    const ok = lossesFor(h.target.type);
    const of = h.prefix ? ` (output ${h.name})` : '';
    return ok.includes(h.loss) ? [] : [problem('loss-target', lossAt(spec, h), `loss ${h.loss} does not fit a ${h.target.type} target${of}`, h.prefix && !lossAt(spec, h).includes('outputs') ? `give output ${h.name} its own loss: ${ok.join(' or ')}` : `use ${ok.join(' or ')}`)];
  });

/** The layers that end in a head's output layer, and their path: the stack, or the graph output's node. */
function headStack({ layers, graph }: PipelineSpec['model'], head: HeadSpec): { layers: LayerSpec[]; at: PathSegments } | undefined {
  if (layers) return { layers, at: ['model', 'layers'] };
  const out = graph?.outputs[head.index];
  const i = graph && out ? graph.nodes.findIndex((n) => n.name === out.from) : -1;
  const node = graph?.nodes[i];
  return node && node.layers.length > 0 ? { layers: node.layers, at: ['model', 'graph', 'nodes', i, 'layers'] } : undefined;
}

const modelForm: Check = ({ model }) => {
  if (!model.layers === !model.graph) return [problem('model-form', ['model'], model.layers ? 'model has both layers and graph' : 'model needs layers (a stack) or graph', 'give exactly one of model.layers and model.graph')];
  if (model.graph && model.from) return [problem('model-form', ['model', 'from'], 'model.from works with a layer stack only, not with graph', 'write the new layers as model.layers')];
  return [];
};

/** model.from names where to start exactly once: a run id or a registered model. */
const fromOneSource: Check = ({ model }) => {
  const from = model.from;
  if (!from || (from.run === undefined) !== (from.model === undefined)) return [];
  const message = from.run === undefined ? 'model.from needs run or model: the run, or the registered model, to start from' : 'model.from has both run and model';
  return [problem('model-from', ['model', 'from'], message, 'give exactly one: run: <run id>, or model: NAME@ALIAS (a registered model, e.g. penguins@production)')];
};

/** Why a head's output layer does not fit its target, or undefined. */
function headMismatch(t: TargetSpec['type'], last: LayerSpec): string | undefined {
  if (last.type !== 'dense') return `the last layer is ${last.type}; the output layer must be dense`;
  if (t === 'binary' && (last.units !== 1 || last.activation !== 'sigmoid')) return `binary cross-entropy needs one sigmoid unit, but the last layer has ${last.units} unit(s) with ${last.activation}`;
  if (t === 'multiclass' && (last.activation !== 'softmax' || last.units < 2)) return `a multiclass target needs a softmax layer with one unit per class, but the last layer has ${last.units} unit(s) with ${last.activation}`;
  if (t === 'regression' && (last.units !== 1 || last.activation !== 'linear')) return `a regression target needs one linear unit, but the last layer has ${last.units} unit(s) with ${last.activation}`;
  return undefined;
}

const headFitsLoss: Check = (spec) =>
  headsOf(spec).flatMap((h) => {
    const t = h.target.type;
    const head = headStack(spec.model, h);
    if (!head) return spec.model.graph ? [problem('head', ['model', 'graph', 'outputs', h.index, 'from'], `the node of output ${h.name} has no layers; it must end in a dense output layer`, headHint(t))] : [];
    const idx = head.layers.length - 1;
    const last = head.layers[idx];
    const bad = last && headMismatch(t, last);
    return bad ? [problem('head', [...head.at, idx], h.prefix ? `output ${h.name}: ${bad}` : bad, headHint(t))] : [];
  });
const headHint = (t: string) =>
  ({ binary: 'end with { type: dense, units: 1, activation: sigmoid }', multiclass: 'end with { type: dense, units: <classes>, activation: softmax }', regression: 'end with { type: dense, units: 1 } (linear)' })[t];

const layersFitShapes: Check = ({ data, model }) => {
  if (model.graph) return checkGraph(model.graph, data).map((p) => problem(p.code, p.at, p.message, p.hint));
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

const metricsFitTask: Check = (spec) =>
  headsOf(spec).flatMap((h) => {
    const ok = metricsFor(h.target.type);
    const of = h.prefix ? ` (output ${h.name})` : '';
    const hint = (at: PathSegments) => (h.prefix && at[0] === 'train' ? `give output ${h.name} its own metrics (${ok.join(', ')})` : `use ${ok.join(', ')}`);
    return h.metrics.flatMap((m, i) => (ok.includes(m) ? [] : [problem('metric-task', metricAt(spec, h, i), `metric ${m} does not apply to a ${h.target.type} target${of}`, hint(metricAt(spec, h, i)))]));
  });

const monitorsExist: Check = (spec) => {
  const { train, data } = spec;
  const known = metricNames(spec);
  const monitored: [PathSegments, string][] = [];
  if (train.earlyStopping) monitored.push([['train', 'earlyStopping', 'monitor'], train.earlyStopping.monitor]);
  if (train.checkpoint) monitored.push([['train', 'checkpoint', 'monitor'], train.checkpoint.monitor]);
  if (train.lrSchedule?.type === 'reduceOnPlateau') monitored.push([['train', 'lrSchedule', 'monitor'], train.lrSchedule.monitor]);
  return monitored.flatMap(([at, m]) => {
    const [split, metric] = splitMetricKey(m);
    if (!known.includes(metric)) return [problem('monitor', at, `${m} is not computed`, `monitor one of ${known.map((k) => `${split}.${k}`).join(', ')}, or add the metric to the metrics`)];
    if (split === 'val' && data.split.val === 0 && !data.split.column) return [problem('monitor', at, `${m} needs a validation split, but data.split.val is 0`, 'give data.split.val a fraction, or monitor train.*')];
    return [];
  });
};

const unfreezeFits: Check = ({ model, train }) => {
  const unfreeze = model.from?.unfreeze;
  if (!unfreeze) return [];
  const at: PathSegments = ['model', 'from', 'unfreeze'];
  if (model.from!.freeze === false) return [problem('unfreeze', at, 'nothing to unfreeze: model.from.freeze is false, so every kept layer trains from the start', 'set freeze: true (or list the layers) to train the new layers alone first')];
  if (unfreeze.epoch > train.epochs) return [problem('unfreeze', [...at, 'epoch'], `epoch ${unfreeze.epoch} never comes: train.epochs is ${train.epochs}`, `use an epoch from 2 to ${train.epochs}, or raise train.epochs`)];
  return [];
};

const sweepMetricExists: Check = (spec) => {
  const { sweep } = spec;
  if (!sweep) return [];
  const [, metric] = splitMetricKey(sweep.metric);
  const known = metricNames(spec);
  return known.includes(metric) ? [] : [problem('sweep-metric', ['sweep', 'metric'], `${sweep.metric} is not computed`, `use one of ${known.join(', ')} (after train., val. or test.), or add the metric to the metrics`)];
};

const sweepParamsValid: Check = ({ sweep }, ctx) => {
  if (!sweep) return [];
  return Object.entries(sweep.parameters).flatMap(([path, dist]) => {
    const at: PathSegments = ['sweep', 'parameters', path];
    if ('low' in dist && dist.low > dist.high) return [problem('sweep-range', at, `low (${dist.low}) is greater than high (${dist.high})`, 'swap low and high')];
    const candidates = dist.type === 'values' ? dist.values : [dist.low, dist.high];
    const segs = parseSegments(path);
    // A conditional parameter is tried where its conditions hold; broken conditions are reported by sweepConditions.
    const assigned = conditionAssignments(sweep.parameters, path);
    if (assigned === undefined) return [];
    const given = assigned.map(([p, v]): [PathSegments, unknown] => [parseSegments(p), v]);
    for (const c of candidates) {
      const errs = ctx.validateValueAt(segs, c, given);
      const [e] = errs;
      if (e) {
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
  splitFolds: (spec, ctx) => checkSplitFolds(spec, ctx.raw),
  splitBy: checkSplitBy,
  targetForm,
  modelForm,
  fromOneSource,
  lossFitsTarget,
  headFitsLoss,
  layersFitShapes,
  modelFitsMemory,
  metricsFitTask,
  monitorsExist,
  unfreezeFits,
  sweepMetricExists,
  ...SWEEP_CHECKS,
  sweepConditions: ({ sweep }) => (sweep ? checkSweepConditions(sweep.parameters, sweep.method) : []),
  sweepParamsValid,
  filesExist,
};

/** Runs every cross-field check. */
export function runChecks(spec: PipelineSpec, ctx: CheckContext): SchemaProblem[] {
  return Object.values(CHECKS).flatMap((check) => check(spec, ctx));
}
