/**
 * Every layer type of the spec, keyed by its `type`: the schema union, the shape rules and (in the
 * runner) the builders are all derived from or checked against this one table. The order is the
 * order of the spec's union and its docs.
 */
import type { Static, TLiteral } from '@sinclair/typebox';
import type { CostContext, Shape } from './define.ts';
import { activationLayer, batchNormalization, dense, dropout, layerNormalization } from './basic.ts';
import { conv1d, conv2d } from './conv.ts';
import { embedding } from './embedding.ts';
import { averagePooling1d, averagePooling2d, globalAveragePooling1d, globalAveragePooling2d, globalMaxPooling1d, maxPooling1d, maxPooling2d } from './pooling.ts';
import { bidirectional, gru, lstm, simpleRNN } from './recurrent.ts';
import { flatten, reshape } from './reshape.ts';
import { multiHeadAttention, transformerEncoder } from './attention.ts';

/** Each entry's key must be its schema's `type` tag: a layer filed under another key would validate as one type and build as another. */
const keyedByType = <T extends { [K in keyof T]: { schema: { properties: { type: TLiteral<K & string> } } } }>(table: T): T => table;

export const LAYERS = keyedByType({
  dense,
  dropout,
  activation: activationLayer,
  batchNormalization,
  layerNormalization,
  conv1d,
  conv2d,
  maxPooling1d,
  maxPooling2d,
  averagePooling1d,
  averagePooling2d,
  globalAveragePooling1d,
  globalAveragePooling2d,
  globalMaxPooling1d,
  flatten,
  reshape,
  embedding,
  lstm,
  gru,
  simpleRNN,
  bidirectional,
  multiHeadAttention,
  transformerEncoder,
});

export type LayerType = keyof typeof LAYERS;
/** The schema of each layer type. */
export type LayerSchemas = { [K in LayerType]: (typeof LAYERS)[K]['schema'] };
/** The spec of one layer type, e.g. `LayerOf<'dense'>`. */
export type LayerOf<K extends LayerType> = Static<LayerSchemas[K]>;
type AnyLayer = LayerOf<LayerType>;

/** A layer type's rules as code that dispatches on `type` calls them (method syntax: each rule was checked against its own schema in defineLayer). */
export interface LayerRules {
  shape(input: Shape, layer: AnyLayer): Shape | string;
  params(input: number[], layer: AnyLayer, ctx: CostContext): number;
  kept?(input: number[], layer: AnyLayer): number;
}

/** The rules of a layer's type. */
export function rulesOf(layer: AnyLayer): LayerRules {
  return LAYERS[layer.type];
}

export { ACTIVATIONS, INITIALIZERS, type CostContext, type LayerDef, type Shape } from './define.ts';
export { RecurrentLayer } from './recurrent.ts';
