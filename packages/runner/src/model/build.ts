/** Building the tfjs model for a spec's layer stack, sized from the prepared data. */
import { input, model as functionalModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { KilnFailure, type ModelSpec } from '@kiln/core';
import type { PreparedData } from '../data/types.ts';
import { buildGraph } from './graph.ts';
import { makeInitializer } from './initializers.ts';
import { buildLayer, type TfLayer } from './layers.ts';
import { deriveSeed } from '../random/seeds.ts';

/** The data facts a model needs: input shape and dtype, target, and the fitted feature state. */
export type ModelData = Pick<PreparedData, 'inputShape' | 'inputDtype' | 'target' | 'state'> & Partial<Pick<PreparedData, 'inputs' | 'targets'>>;

/** The vocabulary an embedding indexes into: the text feature's, or the largest index category's. */
export function vocabularySize(data: ModelData): number | undefined {
  const sizes = data.state.features.flatMap((f) => (f.type === 'text' ? [f.vocab.length] : f.type === 'category' && f.encoding === 'index' ? [f.categories.length] : []));
  return sizes.length > 0 ? Math.max(...sizes) : undefined;
}

/** Fails early, with the spec path, when the output layer does not fit the classes or an embedding is too small. */
export function checkModelFitsData(spec: ModelSpec, data: ModelData): void {
  const stack = spec.layers ?? [];
  const last = stack.length - 1;
  const head = stack[last];
  const classes = data.target.classes?.length ?? 0;
  if (data.target.type === 'multiclass' && head?.type === 'dense' && head.units !== classes) {
    throw new KilnFailure({
      code: 'model/output-units',
      path: `model.layers[${last}].units`,
      message: `the output layer has ${head.units} units, but the target ${data.target.name} has ${classes} classes (${(data.target.classes ?? []).slice(0, 10).join(', ')})`,
      hint: `set model.layers[${last}].units to ${classes}`,
    });
  }
  const vocab = vocabularySize(data);
  stack.forEach((layer, i) => {
    if (layer.type === 'embedding' && layer.inputDim !== undefined && vocab !== undefined && layer.inputDim < vocab) {
      throw new KilnFailure({
        code: 'model/embedding-too-small',
        path: `model.layers[${i}].inputDim`,
        message: `embedding inputDim ${layer.inputDim} is smaller than the vocabulary (${vocab} ids); larger ids would index past the table`,
        hint: `leave inputDim out to use ${vocab}, or lower the text feature's vocabSize`,
      });
    }
  });
}

/** Builds the model: input shape from the data, every weight initialized from a seed derived from `seed`. */
export function buildModel(spec: ModelSpec, data: ModelData, seed: number): LayersModel {
  if (spec.graph) return buildGraph(spec.graph, data, seed);
  checkModelFitsData(spec, data);
  const vocabSize = vocabularySize(data);
  const x = input({ shape: data.inputShape, dtype: data.inputDtype, name: 'input' });
  let out = x;
  (spec.layers ?? []).forEach((layerSpec, i) => {
    const layerSeed = (role: string) => deriveSeed(seed, 'layer', i, role);
    const layer = buildLayer(layerSpec, { seed: layerSeed, vocabSize });
    out = layer.apply(out) as typeof x;
    if (layerSpec.type === 'bidirectional') reseedBackward(layer, layerSpec.layer.kernelInitializer, layerSeed);
  });
  return functionalModel({ inputs: x, outputs: out });
}

/**
 * tfjs builds a bidirectional layer's backward half from the forward layer's config, seeds included,
 * so both directions would start from identical weights; this redraws the backward kernel and
 * recurrent kernel from their own seeds (its bias init is not random and stays).
 */
function reseedBackward(layer: TfLayer, kernelInit: Parameters<typeof makeInitializer>[0], layerSeed: (role: string) => number): void {
  const weights = layer.getWeights();
  const half = weights.length / 2;
  const [kernel, recurrent] = [weights[half], weights[half + 1]];
  const fresh = [makeInitializer(kernelInit, 'glorotUniform', layerSeed('backward-kernel')).apply(kernel.shape), makeInitializer(undefined, 'orthogonal', layerSeed('backward-recurrent')).apply(recurrent.shape)];
  layer.setWeights([...weights.slice(0, half), ...fresh, ...weights.slice(half + 2)]);
  fresh.forEach((t) => t.dispose());
}
