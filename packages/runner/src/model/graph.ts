/** Building a graph-form model: named inputs, branches of layers, concatenate/add merges, named outputs. */
import { input, layers, model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { KilnFailure, type GraphSpec } from '@kiln/core';
import { dataInputs, dataTargets } from '../data/inputs.ts';
import type { TargetInfo } from '../data/types.ts';
import type { ModelData } from './build.ts';
import { vocabularySize } from './build.ts';
import { buildLayer } from './layers.ts';
import { deriveSeed } from '../random/seeds.ts';

type Node = GraphSpec['nodes'][number];
const sources = (n: Node): string[] => (Array.isArray(n.from) ? n.from : [n.from]);

/** Nodes in an order where each comes after what it takes (validation has ruled out cycles and unknown names). */
function dependencyOrder(g: GraphSpec): Node[] {
  const done = new Set(g.inputs.map((x) => x.name));
  const out: Node[] = [];
  while (out.length < g.nodes.length) {
    const ready = g.nodes.filter((n) => !done.has(n.name) && sources(n).every((s) => done.has(s)));
    if (ready.length === 0) throw new Error('model.graph has a cycle or an unknown name (validation should have caught it)');
    for (const n of ready) {
      out.push(n);
      done.add(n.name);
    }
  }
  return out;
}

/** The target each output predicts: its `target` name, or the only one (validation has checked the binding). */
function outputTargets(g: GraphSpec, data: ModelData): TargetInfo[] {
  const targets = dataTargets(data);
  return g.outputs.map((o) => (o.target === undefined ? targets[0]! : targets.find((t) => t.name === o.target)!));
}

/** Fails, with the node's path, when a multiclass output layer's units do not match its target's classes. */
function checkHeads(g: GraphSpec, targets: TargetInfo[]): void {
  g.outputs.forEach((o, j) => {
    const i = g.nodes.findIndex((n) => n.name === o.from);
    const k = g.nodes[i]!.layers.length - 1;
    const head = g.nodes[i]!.layers[k];
    const target = targets[j]!;
    const classes = target.classes?.length ?? 0;
    if (target.type === 'multiclass' && head?.type === 'dense' && head.units !== classes) {
      throw new KilnFailure({
        code: 'model/output-units',
        path: `model.graph.nodes[${i}].layers[${k}].units`,
        message: `the output layer has ${head.units} units, but the target ${target.name} has ${classes} classes`,
        hint: `set it to ${classes}`,
      });
    }
  });
}

/**
 * Builds the graph model; every weight is seeded from `seed`, the node name and the layer's place in it.
 * With one input and one output the model takes and returns a plain tensor; otherwise lists, in spec order.
 */
export function buildGraph(g: GraphSpec, data: ModelData, seed: number): LayersModel {
  checkHeads(g, outputTargets(g, data));
  const vocabSize = vocabularySize(data);
  const shapes = dataInputs(data);
  const xs = g.inputs.map((spec, i) => input({ shape: shapes[i]!.shape, dtype: shapes[i]!.dtype, name: spec.name }));
  const tensors = new Map<string, SymbolicTensor>(g.inputs.map((spec, i) => [spec.name, xs[i]!]));
  for (const node of dependencyOrder(g)) {
    const ins = sources(node).map((s) => tensors.get(s)!);
    let out = ins.length === 1 ? ins[0]! : ((node.merge === 'add' ? layers.add({ name: `${node.name}_add` }) : layers.concatenate({ axis: -1, name: `${node.name}_concat` })).apply(ins) as SymbolicTensor);
    node.layers.forEach((spec, k) => {
      const named = { ...spec, name: spec.name ?? `${node.name}_${k}_${spec.type}` };
      out = buildLayer(named, { seed: (role) => deriveSeed(seed, 'node', node.name, k, role), vocabSize }).apply(out) as SymbolicTensor;
    });
    tensors.set(node.name, out);
  }
  const outs = g.outputs.map((o) => tensors.get(o.from)!);
  if (xs.length === 1 && outs.length === 1) return functionalModel({ inputs: xs[0]!, outputs: outs[0]!, name: g.outputs[0]!.name });
  return functionalModel({ inputs: xs, outputs: outs, name: 'graph' });
}
