/** Checks of the graph form of `model`: names, references, cycles and shapes (at merges and through each branch), each located. */
import { must } from '../errors.ts';
import type { PathSegments } from './path.ts';
import { targetsOf } from './heads.ts';
import { featureLabel, type DataSpec, type FeatureEntrySpec } from './schema/data.ts';
import type { GraphSpec } from './schema/layers.ts';
import { layerOutput, stackInput, type Shape } from './shapes.ts';

/** One problem: where (segments under the spec root), what, and a hint. */
export interface GraphProblem {
  code: string;
  at: PathSegments;
  message: string;
  hint?: string;
}

type Node = GraphSpec['nodes'][number];
const G: PathSegments = ['model', 'graph'];
const show = (s: Shape) => `[${s.dims.map((d) => d ?? '?').join(', ')}]`;
const sources = (n: Node): string[] => (Array.isArray(n.from) ? n.from : [n.from]);
const fromAt = (i: number, n: Node, j: number): PathSegments => [...G, 'nodes', i, 'from', ...(Array.isArray(n.from) ? [j] : [])];

/** Duplicate names, unknown references and unknown features. */
function checkNames(g: GraphSpec, features: FeatureEntrySpec[]): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const seen = new Set<string>();
  const named = [...g.inputs.map((x, i) => [x.name, ['inputs', i]] as const), ...g.nodes.map((x, i) => [x.name, ['nodes', i]] as const)];
  for (const [name, where] of named) {
    if (seen.has(name)) problems.push({ code: 'graph-duplicate', at: [...G, ...where, 'name'], message: `the name ${name} is used twice`, hint: 'inputs and nodes need distinct names' });
    seen.add(name);
  }
  const known = [...seen].join(', ');
  g.nodes.forEach((n, i) =>
    sources(n).forEach((s, j) => {
      if (!seen.has(s)) problems.push({ code: 'graph-unknown', at: fromAt(i, n, j), message: `node ${n.name} takes ${s}, which is no input or node`, hint: `known names: ${known}` });
    }),
  );
  const nodes = new Set(g.nodes.map((n) => n.name));
  g.outputs.forEach((o, i) => {
    if (!nodes.has(o.from)) problems.push({ code: 'graph-unknown', at: [...G, 'outputs', i, 'from'], message: `output ${o.name} takes ${o.from}, which is no node`, hint: `nodes: ${[...nodes].join(', ')}` });
  });
  const featureNames = new Set(features.map((f) => f.name));
  g.inputs.forEach((x, i) =>
    (x.features ?? []).forEach((f, j) => {
      if (!featureNames.has(f)) problems.push({ code: 'graph-unknown', at: [...G, 'inputs', i, 'features', j], message: `input ${x.name} takes feature ${f}, which is not in data.features`, hint: `features: ${[...featureNames].join(', ')}` });
    }),
  );
  return problems;
}

/** Duplicate output names, and outputs and targets that do not pair up one to one. */
function checkOutputs(g: GraphSpec, data: DataSpec): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const targets = targetsOf(data);
  const names = targets.map((t) => t.name).join(', ');
  const boundBy = new Map<string, string>();
  g.outputs.forEach((o, i) => {
    if (g.outputs.findIndex((p) => p.name === o.name) !== i) problems.push({ code: 'graph-duplicate', at: [...G, 'outputs', i, 'name'], message: `the output name ${o.name} is used twice`, hint: 'each output needs its own name (its metrics are logged under it)' });
    if (o.target === undefined && targets.length > 1) return problems.push({ code: 'graph-target', at: [...G, 'outputs', i], message: `output ${o.name} does not say which target it predicts, and there are ${targets.length}`, hint: `add target: one of ${names}` });
    const target = o.target ?? targets[0]?.name;
    if (target === undefined) return;
    if (!targets.some((t) => t.name === target)) return problems.push({ code: 'graph-target', at: [...G, 'outputs', i, 'target'], message: `output ${o.name} predicts ${target}, which is not a target`, hint: `targets: ${names}` });
    if (boundBy.has(target)) return problems.push({ code: 'graph-target', at: [...G, 'outputs', i, 'target'], message: `the target ${target} is predicted by two outputs (${boundBy.get(target)} and ${o.name})`, hint: 'bind each target to one output' });
    boundBy.set(target, o.name);
  });
  if (problems.length > 0) return problems;
  const where = data.targets ? 'targets' : 'target';
  targets.forEach((t, j) => {
    if (!boundBy.has(t.name)) problems.push({ code: 'graph-target', at: ['data', where, ...(data.targets ? [j] : [])], message: `the target ${t.name} is predicted by no output`, hint: `add an output with target: ${t.name}, or remove the target` });
  });
  return problems;
}

/** With several inputs each lists its features, and every feature feeds some input. */
function checkInputs(g: GraphSpec, features: FeatureEntrySpec[]): GraphProblem[] {
  if (g.inputs.length === 1 && !g.inputs[0]?.features) return [];
  const unlisted = g.inputs.flatMap((x, i) => (x.features ? [] : [{ code: 'graph-inputs', at: [...G, 'inputs', i], message: `input ${x.name} does not list its features, and the graph has ${g.inputs.length} inputs`, hint: 'give each input features: [...] (names from data.features)' }]));
  if (unlisted.length > 0) return unlisted;
  const used = new Set(g.inputs.flatMap((x) => x.features ?? []));
  return features.flatMap((f, j) =>
    f.name !== undefined && used.has(f.name) ? [] : [{ code: 'graph-inputs', at: ['data', 'features', j], message: `the feature ${featureLabel(f)} feeds no model input`, hint: f.name === undefined ? 'a group of columns can feed a graph with one input that lists no features; with several inputs, name its columns one by one' : 'list it in the features of a model.graph input, or remove it' }],
  );
}

/** Node indices in an order where every node comes after what it takes, or the cycle found. */
function order(g: GraphSpec): number[] | { cycle: string[]; index: number } {
  const index = new Map(g.nodes.map((n, i) => [n.name, i]));
  const state = new Array<0 | 1 | 2>(g.nodes.length).fill(0);
  const out: number[] = [];
  const stack: string[] = [];
  const visit = (i: number): string[] | undefined => {
    const node = g.nodes[i];
    if (node === undefined || state[i] === 2) return undefined;
    if (state[i] === 1) return [...stack.slice(stack.indexOf(node.name)), node.name];
    state[i] = 1;
    stack.push(node.name);
    for (const s of sources(node)) {
      const j = index.get(s);
      const cycle = j === undefined ? undefined : visit(j);
      if (cycle) return cycle;
    }
    stack.pop();
    state[i] = 2;
    out.push(i);
    return undefined;
  };
  for (const i of g.nodes.keys()) {
    const cycle = visit(i);
    if (cycle) return { cycle, index: must(index.get(must(cycle[0], 'a cycle has a node')), 'cycle nodes are graph nodes') };
  }
  return out;
}

/** The shape after merging `shapes`, or why they cannot merge. */
function merged(shapes: Shape[], how: Node['merge'], names: string[]): Shape | string {
  const list = shapes.map((s, k) => `${names[k]} ${show(s)}`).join(', ');
  if (shapes.some((s) => s.ids)) return `cannot merge token ids (${list}); put an embedding layer in each branch first`;
  const [first] = shapes;
  if (first === undefined) return 'nothing to merge';
  const rank = first.dims.length;
  if (shapes.some((s) => s.dims.length !== rank)) return `${how} needs inputs of the same rank, but gets ${list}`;
  const fixed = how === 'add' ? rank : rank - 1;
  for (let a = 0; a < fixed; a++) {
    const sizes = shapes.map((s) => s.dims[a]);
    if (sizes.some((d) => d !== null && sizes[0] !== null && d !== sizes[0]))
      return how === 'add' ? `add needs equal shapes, but gets ${list}` : `concatenate joins the last axis, so the others must agree, but gets ${list}`;
  }
  if (how === 'add') return first;
  const last = shapes.map((s) => s.dims[rank - 1] ?? null);
  const known = last.filter((d): d is number => d !== null);
  return { dims: [...first.dims.slice(0, -1), known.length < last.length ? null : known.reduce((x, y) => x + y, 0)], ids: false };
}

/** Every check of a graph model; [] when it is sound. Shapes are walked only once names and order are sound. */
export function checkGraph(g: GraphSpec, data: DataSpec): GraphProblem[] {
  const features = data.features;
  const named = [...checkNames(g, features), ...checkOutputs(g, data), ...checkInputs(g, features)];
  if (named.length > 0) return named;
  const sorted = order(g);
  if (!Array.isArray(sorted)) {
    const name = g.nodes[sorted.index]?.name;
    return [{ code: 'graph-cycle', at: [...G, 'nodes', sorted.index, 'from'], message: `the nodes form a cycle (each takes the next): ${sorted.cycle.join(' -> ')}`, hint: `a node cannot take, directly or through others, its own result (${name})` }];
  }
  const shapes = new Map<string, Shape>();
  for (const [i, x] of g.inputs.entries()) {
    const picked = x.features ? x.features.map((name) => must(features.find((f) => f.name === name), 'checkNames rejected unknown features')) : features;
    const s = stackInput(picked);
    if (typeof s === 'string') return [{ code: 'features', at: [...G, 'inputs', i], message: s }];
    shapes.set(x.name, s);
  }
  for (const i of sorted) {
    const n = must(g.nodes[i], 'order() returns node indices');
    const ins = sources(n);
    // In topological order every source's shape is known (checkNames rejected unknown names).
    const shapeOf = (s: string) => must(shapes.get(s), `the shape of ${s} is known before ${n.name}`);
    let shape = ins.length === 1 ? shapeOf(must(ins[0], 'one source')) : merged(ins.map(shapeOf), n.merge, ins);
    if (typeof shape === 'string') return [{ code: 'graph-merge', at: [...G, 'nodes', i, 'from'], message: `node ${n.name}: ${shape}`, hint: 'reshape, pool or project the branches so their shapes agree' }];
    for (const [k, layer] of n.layers.entries()) {
      const next = layerOutput(shape, layer);
      if (typeof next === 'string') return [{ code: 'shape', at: [...G, 'nodes', i, 'layers', k], message: next }];
      shape = next;
    }
    shapes.set(n.name, shape);
  }
  return [];
}
