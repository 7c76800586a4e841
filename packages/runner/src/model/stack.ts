/**
 * The one place a list of spec layers becomes tfjs layers: the stack form, every graph node and the
 * layers added on top of a transferred model all go through applyStack, so naming, seeding, the
 * bidirectional re-seed and the fit checks cannot drift apart between them.
 */
import type { SymbolicTensor } from '@tensorflow/tfjs-layers';
import { KilnFailure, type LayerSpec } from '@kiln/core';
import type { PreparedData, TargetInfo } from '../data/types.ts';
import { deriveSeed } from '../random/seeds.ts';
import { makeInitializer } from './initializers.ts';
import { buildLayer, type TfLayer } from './layers.ts';

/** The data facts a model needs: input shape and dtype, target, and the fitted feature state. */
export type ModelData = Pick<PreparedData, 'inputShape' | 'inputDtype' | 'target' | 'state'> & Partial<Pick<PreparedData, 'inputs' | 'targets'>>;

/** Where a stack sits in the spec and in the model. */
export interface StackPlace {
  /** The spec path of the layer list, e.g. `model.layers` or `model.graph.nodes[2].layers`. */
  path: string;
  /** Seed labels of layer k, before the weight's role: ['layer', k] or ['node', name, k]. */
  seedLabels: (k: number) => (string | number)[];
  /** The name of an unnamed layer k; undefined lets tfjs number it. */
  defaultName?: (k: number, type: LayerSpec['type']) => string | undefined;
  /** Names already in the model (a transferred parent's): a clashing name gets `_` appended until free. */
  taken?: Set<string>;
  /** The target the last layer predicts, when this stack ends in an output. */
  target?: TargetInfo;
}

/** The vocabulary an embedding indexes into: the text feature's, or the largest index category's. */
export function vocabularySize(data: ModelData): number | undefined {
  const sizes = data.state.features.flatMap((f) => (f.type === 'text' ? [f.vocab.length] : f.type === 'category' && f.encoding === 'index' ? [f.categories.length] : []));
  return sizes.length > 0 ? Math.max(...sizes) : undefined;
}

/** Fails early, with the spec path, when the output layer does not fit the target's classes or an embedding is too small. */
export function checkStack(specs: readonly LayerSpec[], data: ModelData, place: Pick<StackPlace, 'path' | 'target'>): void {
  const last = specs.length - 1;
  const head = specs[last];
  const target = place.target;
  const classes = target?.classes ?? [];
  if (target?.type === 'multiclass' && head?.type === 'dense' && head.units !== classes.length) {
    throw new KilnFailure({
      code: 'model/output-units',
      path: `${place.path}[${last}].units`,
      message: `the output layer has ${head.units} units, but the target ${target.name} has ${classes.length} classes (${classes.slice(0, 10).join(', ')})`,
      hint: `set ${place.path}[${last}].units to ${classes.length}`,
    });
  }
  const vocab = vocabularySize(data);
  specs.forEach((layer, i) => {
    if (layer.type === 'embedding' && layer.inputDim !== undefined && vocab !== undefined && layer.inputDim < vocab) {
      throw new KilnFailure({
        code: 'model/embedding-too-small',
        path: `${place.path}[${i}].inputDim`,
        message: `embedding inputDim ${layer.inputDim} is smaller than the vocabulary (${vocab} ids); larger ids would index past the table`,
        hint: `leave inputDim out to use ${vocab}, or lower the text feature's vocabSize`,
      });
    }
  });
}

/** The layer's name: its own, else the place's default, made unique among `taken` when given. */
function nameOf(spec: LayerSpec, k: number, place: StackPlace): string | undefined {
  let name = spec.name ?? place.defaultName?.(k, spec.type);
  if (name === undefined || !place.taken) return name;
  while (place.taken.has(name)) name = `${name}_`;
  place.taken.add(name);
  return name;
}

/** Builds the layers of `specs` on `input` (checked first), each seeded from `seed` and its place; returns the last output. */
export function applyStack(specs: readonly LayerSpec[], input: SymbolicTensor, data: ModelData, seed: number, place: StackPlace): SymbolicTensor {
  checkStack(specs, data, place);
  const vocabSize = vocabularySize(data);
  let out = input;
  specs.forEach((spec, k) => {
    const layerSeed = (role: string) => deriveSeed(seed, ...place.seedLabels(k), role);
    const name = nameOf(spec, k, place);
    const layer = buildLayer(name === undefined ? spec : { ...spec, name }, { seed: layerSeed, vocabSize });
    out = layer.apply(out) as SymbolicTensor;
    if (spec.type === 'bidirectional') reseedBackward(layer, spec.layer.kernelInitializer, layerSeed);
  });
  return out;
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
  if (!kernel || !recurrent) throw new Error(`bidirectional layer ${layer.name} has ${weights.length} weights; expected a kernel and a recurrent kernel per direction`);
  const fresh = [makeInitializer(kernelInit, 'glorotUniform', layerSeed('backward-kernel')).apply(kernel.shape), makeInitializer(undefined, 'orthogonal', layerSeed('backward-recurrent')).apply(recurrent.shape)];
  layer.setWeights([...weights.slice(0, half), ...fresh, ...weights.slice(half + 2)]);
  fresh.forEach((t) => t.dispose());
}
