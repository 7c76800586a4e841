/** Shape inference over a layer stack: each layer type's rule lives with its schema in ../layers; this applies them. */
import type { FeatureEntrySpec } from './schema/data.ts';
import { isColumnGroup } from './schema/columns.ts';
import type { LayerSpec } from './schema/layers.ts';
import { LAYERS, rulesOf, type LayerOf, type LayerType, type Shape } from './layers/index.ts';

export type { Shape } from './layers/index.ts';

type Rule<K extends LayerType> = (input: Shape, layer: LayerOf<K>) => Shape | string;

/** How each layer type transforms its input shape, or why it cannot take it: one entry per type. */
// fromEntries loses the per-key types; each rule was checked against its own schema in defineLayer.
export const SHAPE_RULES = Object.fromEntries(Object.entries(LAYERS).map(([type, def]) => [type, def.shape])) as { [K in LayerType]: Rule<K> };

/** Applies one layer's rule. */
export function layerOutput(input: Shape, layer: LayerSpec): Shape | string {
  return rulesOf(layer).shape(input, layer);
}

/** The input shape a stack model sees, or why the features cannot feed one stack. */
export function stackInput(features: readonly FeatureEntrySpec[]): Shape | string {
  const kinds = new Set(features.map((f) => f.type));
  const single = features.length === 1 ? features[0] : undefined;
  if (single?.type === 'text') return { dims: [single.maxLength], ids: true };
  if (single?.type === 'image') return { dims: [...single.shape], ids: false };
  if (kinds.has('text') || kinds.has('image'))
    return 'a layer stack takes one text feature, one image feature, or any number of numeric and category features; these cannot be mixed in one stack';
  const indexed = features.filter((f) => f.type === 'category' && f.encoding === 'index');
  if (indexed.length > 0 && indexed.length !== features.length)
    return 'category features with encoding: index (token ids for an embedding) cannot be mixed with other features in one stack; use encoding: oneHot';
  // A group's column count is known only once the data is read.
  return indexed.length > 0 ? { dims: [features.some(isColumnGroup) ? null : features.length], ids: true } : { dims: [null], ids: false };
}
