/** Building the tfjs model for a spec's layer stack, sized from the prepared data. */
import { input, model as functionalModel, type LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '@kiln/core';
import { buildGraph } from './graph.ts';
import { applyStack, type ModelData } from './stack.ts';

export type { ModelData } from './stack.ts';

/** Builds the model: input shape from the data, every weight initialized from a seed derived from `seed`. */
export function buildModel(spec: ModelSpec, data: ModelData, seed: number): LayersModel {
  if (spec.graph) return buildGraph(spec.graph, data, seed);
  const x = input({ shape: data.inputShape, dtype: data.inputDtype, name: 'input' });
  const out = applyStack(spec.layers ?? [], x, data, seed, { path: 'model.layers', seedLabels: (i) => ['layer', i], target: data.target });
  return functionalModel({ inputs: x, outputs: out });
}
