/** Building a graph-form model: named inputs, branches of layers, concatenate/add merges, named outputs. */
import { input, layers, model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { GraphSpec } from '@kiln/core';
import { must } from '@kiln/core/errors';
import { dataInputs, dataTargets } from '../data/inputs.ts';
import type { TargetInfo } from '../data/types.ts';
import { applyStack, type ModelData } from './stack.ts';

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

/** The target each output node predicts: its output's `target` name, or the only one (validation has checked the binding). */
function outputTargets(g: GraphSpec, data: ModelData): Map<string, TargetInfo> {
  const targets = dataTargets(data);
  const byNode = new Map<string, TargetInfo>();
  for (const o of g.outputs) {
    const target = o.target === undefined ? targets[0] : targets.find((t) => t.name === o.target);
    if (target && !byNode.has(o.from)) byNode.set(o.from, target);
  }
  return byNode;
}

/**
 * Builds the graph model; every weight is seeded from `seed`, the node name and the layer's place in it.
 * With one input and one output the model takes and returns a plain tensor; otherwise lists, in spec order.
 */
export function buildGraph(g: GraphSpec, data: ModelData, seed: number): LayersModel {
  const targets = outputTargets(g, data);
  const shapes = dataInputs(data);
  const named = g.inputs.map((spec, i) => {
    const info = must(shapes[i], 'the data has one input per graph input (validation matched them)');
    return [spec.name, input({ shape: info.shape, dtype: info.dtype, name: spec.name })] as const;
  });
  const xs = named.map(([, x]) => x);
  const tensors = new Map<string, SymbolicTensor>(named);
  const tensorOf = (name: string) => must(tensors.get(name), `${name} is built before the nodes that take it (dependencyOrder)`);
  for (const node of dependencyOrder(g)) {
    const ins = sources(node).map(tensorOf);
    const [only] = ins;
    const merged = ins.length === 1 && only ? only : ((node.merge === 'add' ? layers.add({ name: `${node.name}_add` }) : layers.concatenate({ axis: -1, name: `${node.name}_concat` })).apply(ins) as SymbolicTensor);
    const place = { path: `model.graph.nodes[${g.nodes.indexOf(node)}].layers`, seedLabels: (k: number) => ['node', node.name, k], defaultName: (k: number, type: string) => `${node.name}_${k}_${type}`, target: targets.get(node.name) };
    tensors.set(node.name, applyStack(node.layers, merged, data, seed, place));
  }
  const outs = g.outputs.map((o) => tensorOf(o.from));
  const [x] = xs;
  const [out] = outs;
  const [output] = g.outputs;
  if (xs.length === 1 && outs.length === 1 && x && out && output) return functionalModel({ inputs: x, outputs: out, name: output.name });
  return functionalModel({ inputs: xs, outputs: outs, name: 'graph' });
}
