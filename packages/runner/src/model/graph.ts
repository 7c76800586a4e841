/** Building a graph-form model: one input, named branches of layers, concatenate/add merges, one output. */
import { input, layers, model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { KilnFailure, type GraphSpec } from '@kiln/core';
import type { ModelData } from './build.ts';
import { vocabularySize } from './build.ts';
import { buildLayer } from './layers.ts';
import { deriveSeed } from './seed.ts';

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

/** Fails, with the node's path, when a multiclass output layer's units do not match the classes. */
function checkHead(g: GraphSpec, data: ModelData): void {
  const i = g.nodes.findIndex((n) => n.name === g.outputs[0]!.from);
  const node = g.nodes[i]!;
  const k = node.layers.length - 1;
  const head = node.layers[k];
  const classes = data.target.classes?.length ?? 0;
  if (data.target.type === 'multiclass' && head?.type === 'dense' && head.units !== classes) {
    throw new KilnFailure({
      code: 'model/output-units',
      path: `model.graph.nodes[${i}].layers[${k}].units`,
      message: `the output layer has ${head.units} units, but the target ${data.target.name} has ${classes} classes`,
      hint: `set it to ${classes}`,
    });
  }
}

/** Builds the graph model; every weight is seeded from `seed`, the node name and the layer's place in it. */
export function buildGraph(g: GraphSpec, data: ModelData, seed: number): LayersModel {
  checkHead(g, data);
  const vocabSize = vocabularySize(data);
  const x = input({ shape: data.inputShape, dtype: data.inputDtype, name: g.inputs[0]!.name });
  const tensors = new Map<string, SymbolicTensor>([[g.inputs[0]!.name, x]]);
  for (const node of dependencyOrder(g)) {
    const ins = sources(node).map((s) => tensors.get(s)!);
    let out = ins.length === 1 ? ins[0]! : ((node.merge === 'add' ? layers.add({ name: `${node.name}_add` }) : layers.concatenate({ axis: -1, name: `${node.name}_concat` })).apply(ins) as SymbolicTensor);
    node.layers.forEach((spec, k) => {
      const named = { ...spec, name: spec.name ?? `${node.name}_${k}_${spec.type}` };
      out = buildLayer(named, { seed: (role) => deriveSeed(seed, 'node', node.name, k, role), vocabSize }).apply(out) as SymbolicTensor;
    });
    tensors.set(node.name, out);
  }
  return functionalModel({ inputs: x, outputs: tensors.get(g.outputs[0]!.from)!, name: g.outputs[0]!.name });
}
