/**
 * A model's training memory, estimated from the spec before anything is allocated: tfjs' wasm heap
 * stops at 4 GiB (2 GiB in some builds), and a model past it grows for minutes and then dies with
 * "memory access out of bounds". Sizes the data decides (one-hot widths) count at their smallest,
 * so the estimate is a lower bound and a refusal is never a false alarm.
 */
import type { PipelineSpec } from './schema/pipeline.ts';
import type { LayerSpec } from './schema/layers.ts';
import { rulesOf, type CostContext } from './layers/index.ts';
import type { FeatureEntrySpec } from './schema/data.ts';
import { layerOutput, stackInput, type Shape } from './shapes.ts';
import { formatPath, type PathSegments } from './path.ts';
import type { SchemaProblem } from './validate.ts';

/** The most a model may need for training, by the estimate below: the smaller wasm heap (2 GiB), which also holds the data. */
export const MEMORY_LIMIT_BYTES = 2 * 1024 ** 3;

const FLOAT = 4;

/** One layer's estimate: trainable values, and values kept per example for the backward pass. */
export interface LayerCost {
  at: PathSegments;
  params: number;
  activations: number;
}

const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** One layer's trainable values and the values per example it keeps beyond its output, by its type's cost rules (layers/). */
function layerCost(input: number[], layer: LayerSpec, ctx: CostContext): { params: number; kept: number } {
  const rules = rulesOf(layer);
  return { params: rules.params(input, layer, ctx), kept: rules.kept?.(input, layer) ?? 0 };
}

/** Shape dims with the data-dependent ones at their smallest: a flat tabular input has at least one column per feature. */
function known(shape: Shape, floor: number): number[] {
  return shape.dims.map((d) => d ?? floor);
}

/** The costs of a stack of layers from `input`; stops (without error) where shapes do not chain: that check reports it. */
function stackCosts(input: Shape, floor: number, layers: LayerSpec[], at: PathSegments, ctx: CostContext): { costs: LayerCost[]; output?: Shape } {
  const costs: LayerCost[] = [];
  let shape = input;
  for (const [i, layer] of layers.entries()) {
    const next = layerOutput(shape, layer);
    if (typeof next === 'string') return { costs };
    const ins = known(shape, floor);
    const outs = known(next, 1);
    const { params, kept } = layerCost(ins, layer, ctx);
    costs.push({ at: [...at, i], params, activations: size(outs) + kept });
    shape = next;
  }
  return { costs, output: shape };
}

/** Smallest width of a flat input from these features: one column per numeric or one-hot category feature. */
const floorOf = (features: FeatureEntrySpec[]) => Math.max(1, features.length);

/** The cost of every layer of the model (stack or graph), in spec order. */
export function layerCosts({ data, model }: PipelineSpec): LayerCost[] {
  // With model.from the kept layers are known only when the stored model loads.
  if (model.from) return [];
  // A text feature's vocabulary is known; category indices need at least 2 ids.
  const text = data.features.find((f) => f.type === 'text');
  const ctx = { vocab: text?.type === 'text' ? text.vocabSize : 2 };
  if (model.layers) {
    const input = stackInput(data.features);
    return typeof input === 'string' ? [] : stackCosts(input, floorOf(data.features), model.layers, ['model', 'layers'], ctx).costs;
  }
  const graph = model.graph;
  if (!graph) return [];
  const shapes = new Map<string, { shape: Shape; floor: number }>();
  for (const x of graph.inputs) {
    const picked = x.features ? data.features.filter((f) => f.name !== undefined && x.features!.includes(f.name)) : data.features;
    const s = stackInput(picked);
    if (typeof s !== 'string') shapes.set(x.name, { shape: s, floor: floorOf(picked) });
  }
  const costs: LayerCost[] = [];
  // Nodes in dependency order by repeated passes: graphs are small, and cycles are another check's error.
  for (let pass = 0, done = 0; pass < graph.nodes.length && done < graph.nodes.length; pass++) {
    graph.nodes.forEach((n, i) => {
      if (shapes.has(n.name)) return;
      const ins = (Array.isArray(n.from) ? n.from : [n.from]).map((s) => shapes.get(s));
      if (ins.some((s) => s === undefined)) return;
      const input = mergedInput(ins as { shape: Shape; floor: number }[], n.merge);
      const r = stackCosts(input.shape, input.floor, n.layers, ['model', 'graph', 'nodes', i, 'layers'], ctx);
      costs.push(...r.costs);
      if (r.output) shapes.set(n.name, { shape: r.output, floor: 1 });
      done++;
    });
  }
  return costs;
}

/** The input of a node that merges several: concatenate adds the last axes, add keeps the first shape. */
function mergedInput(ins: { shape: Shape; floor: number }[], how: 'concatenate' | 'add' | undefined): { shape: Shape; floor: number } {
  const [head] = ins;
  if (head === undefined) throw new Error('a merging node has at least one input');
  if (ins.length === 1 || how === 'add') return head;
  const widths = ins.map(({ shape, floor }) => shape.dims[shape.dims.length - 1] ?? floor);
  const first = head.shape;
  return { shape: { dims: [...first.dims.slice(0, -1), widths.reduce((a, b) => a + b, 0)], ids: false }, floor: 1 };
}

/** Optimizer state per trainable value: Adam keeps two moments, momentum SGD one, plain SGD none. */
export function optimizerSlots(optimizer: PipelineSpec['train']['optimizer']): number {
  const o = optimizer as { name: string; momentum?: number };
  const slots: Record<string, number> = { sgd: o.momentum ? 1 : 0, adam: 2, adamax: 2, rmsprop: o.momentum ? 2 : 1, adagrad: 1, adadelta: 2 };
  return slots[o.name] ?? 2;
}

/** Estimated training bytes: weights, gradients and optimizer slots (4 bytes each) plus one batch of activations kept for the backward pass. */
export function estimateMemory(spec: PipelineSpec): { params: number; bytes: number; costs: LayerCost[] } {
  const costs = layerCosts(spec);
  const params = costs.reduce((a, c) => a + c.params, 0);
  const activations = costs.reduce((a, c) => a + c.activations, 0);
  // Each parameter: its value, its gradient and the optimizer's slots; each activation: its value and its gradient.
  const bytes = FLOAT * (params * (2 + optimizerSlots(spec.train.optimizer)) + 2 * spec.train.batchSize * activations);
  return { params, bytes, costs };
}

/** Bytes in the largest fitting unit, e.g. "3.1 GiB". */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let k = 0;
  while (n >= 1024 && k < units.length - 1) {
    n /= 1024;
    k++;
  }
  return `${k === 0 ? n : n.toFixed(1)} ${units[k]}`;
}

/** The cross-field check: a model whose estimate is over MEMORY_LIMIT_BYTES is refused at its largest layer. */
export function modelFitsMemory(spec: PipelineSpec): SchemaProblem[] {
  const { params, bytes, costs } = estimateMemory(spec);
  if (bytes <= MEMORY_LIMIT_BYTES || costs.length === 0) return [];
  const batch = spec.train.batchSize;
  const slots = optimizerSlots(spec.train.optimizer);
  const weight = (c: LayerCost) => c.params * (2 + slots) + 2 * batch * c.activations;
  const worst = costs.reduce((a, c) => (weight(c) > weight(a) ? c : a));
  return [
    {
      code: 'check/memory',
      path: formatPath(worst.at),
      segments: worst.at,
      at: 'value',
      message: `the model needs about ${formatBytes(bytes)} to train (${params.toLocaleString('en-US')} parameters with their gradients and ${spec.train.optimizer.name} state, and the activations of a batch of ${batch}), over the ${formatBytes(MEMORY_LIMIT_BYTES)} limit of the WebAssembly heap`,
      hint: `this layer is the largest part (${worst.params.toLocaleString('en-US')} parameters, ${worst.activations.toLocaleString('en-US')} activations per example); use fewer units, filters or steps, or a smaller train.batchSize`,
    },
  ];
}
