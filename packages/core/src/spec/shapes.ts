import type { FeatureSpec } from './schema/data.ts';
import type { LayerOf, LayerSpec, LayerType } from './schema/layers.ts';

/** A tensor shape without the batch dimension; null where it depends on the data. `ids` marks token ids. */
export interface Shape {
  dims: (number | null)[];
  ids: boolean;
}

const RANK_NAMES = ['', 'a flat vector', 'a sequence (length x features)', 'an image (height x width x channels)'];

type Rule<K extends LayerType> = (input: Shape, layer: LayerOf<K>) => Shape | string;

const vec = (n: number | null): Shape => ({ dims: [n], ids: false });
const pair = (v: number | number[]): [number, number] => (Array.isArray(v) ? [v[0]!, v[1]!] : [v, v]);
const outLen = (n: number | null, k: number, s: number, padding: 'valid' | 'same') =>
  n === null ? null : padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
const needRank = (input: Shape, rank: number, what: string): string | undefined => {
  if (input.ids) return `${what} needs vectors, but gets token ids; put an embedding layer before it`;
  if (input.dims.length !== rank)
    return `${what} needs ${RANK_NAMES[rank]}, but its input is ${RANK_NAMES[input.dims.length] ?? 'a tensor'} [${input.dims.map((d) => d ?? '?').join(', ')}]`;
  return undefined;
};
const same: Rule<LayerType> = (input) => input;
const rnn: Rule<'lstm' | 'gru' | 'simpleRNN'> = (input, l) =>
  needRank(input, 2, l.type) ?? (l.returnSequences ? { dims: [input.dims[0]!, l.units], ids: false } : vec(l.units));

function pool2d(input: Shape, l: LayerOf<'maxPooling2d' | 'averagePooling2d'>): Shape | string {
  const bad = needRank(input, 3, l.type);
  if (bad) return bad;
  const [kh, kw] = pair(l.poolSize as number | number[]);
  const [sh, sw] = l.strides === undefined ? [kh, kw] : pair(l.strides as number | number[]);
  const dims = [outLen(input.dims[0]!, kh, sh, l.padding), outLen(input.dims[1]!, kw, sw, l.padding), input.dims[2]!];
  return dims.some((d) => d !== null && d < 1) ? `${l.type} window is larger than its input [${input.dims.join(', ')}]` : { dims, ids: false };
}

function pool1d(input: Shape, l: LayerOf<'maxPooling1d' | 'averagePooling1d'>): Shape | string {
  const bad = needRank(input, 2, l.type);
  if (bad) return bad;
  const size = Number(l.poolSize);
  const len = outLen(input.dims[0]!, size, l.strides === undefined ? size : Number(l.strides), l.padding);
  return len !== null && len < 1 ? `${l.type} window is larger than its input` : { dims: [len, input.dims[1]!], ids: false };
}

/** How each layer type transforms its input shape, or why it cannot take it: one entry per type. */
export const SHAPE_RULES: { [K in LayerType]: Rule<K> } = {
  dense: (input, l) =>
    input.dims.length > 1 ? `dense needs a flat vector, but the input has shape [${input.dims.map((d) => d ?? '?').join(', ')}]; add a flatten or a global pooling layer before it` : vec(l.units),
  dropout: same,
  activation: same,
  batchNormalization: same,
  layerNormalization: same,
  conv1d: (input, l) => needRank(input, 2, 'conv1d') ?? { dims: [outLen(input.dims[0]!, l.kernelSize, l.strides, l.padding), l.filters], ids: false },
  conv2d: (input, l) => {
    const bad = needRank(input, 3, 'conv2d');
    if (bad) return bad;
    const [kh, kw] = pair(l.kernelSize as number | number[]);
    const [sh, sw] = pair(l.strides as number | number[]);
    const dims = [outLen(input.dims[0]!, kh, sh, l.padding), outLen(input.dims[1]!, kw, sw, l.padding), l.filters];
    return dims.some((d) => d !== null && d < 1) ? `conv2d kernel is larger than its input [${input.dims.join(', ')}]` : { dims, ids: false };
  },
  maxPooling1d: pool1d,
  averagePooling1d: pool1d,
  maxPooling2d: pool2d,
  averagePooling2d: pool2d,
  globalAveragePooling1d: (input) => needRank(input, 2, 'globalAveragePooling1d') ?? vec(input.dims[1]!),
  globalMaxPooling1d: (input) => needRank(input, 2, 'globalMaxPooling1d') ?? vec(input.dims[1]!),
  globalAveragePooling2d: (input) => needRank(input, 3, 'globalAveragePooling2d') ?? vec(input.dims[2]!),
  flatten: (input) => vec(input.dims.some((d) => d === null) ? null : input.dims.reduce<number>((a, b) => a * b!, 1)),
  reshape: (input, l) => {
    const size = input.dims.every((d) => d !== null) ? input.dims.reduce<number>((a, b) => a * b!, 1) : null;
    const target = l.targetShape.reduce((a, b) => a * b, 1);
    return size !== null && size !== target ? `reshape to [${l.targetShape.join(', ')}] (${target} values) does not fit an input of ${size} values` : { dims: [...l.targetShape], ids: false };
  },
  embedding: (input, l) =>
    !input.ids || input.dims.length !== 1 ? 'embedding needs token ids: a text feature, or category features with encoding: index' : { dims: [input.dims[0]!, l.outputDim], ids: false },
  lstm: rnn,
  gru: rnn,
  simpleRNN: rnn,
  bidirectional: (input, l) => {
    const inner = rnn(input, l.layer as LayerOf<'lstm'>);
    if (typeof inner === 'string') return inner;
    const last = inner.dims.length - 1;
    return l.mergeMode === 'concat' ? { dims: inner.dims.map((d, i) => (i === last && d !== null ? d * 2 : d)), ids: false } : inner;
  },
  multiHeadAttention: (input) => needRank(input, 2, 'multiHeadAttention') ?? input,
  transformerEncoder: (input, l) => {
    const bad = needRank(input, 2, 'transformerEncoder');
    if (bad) return bad;
    const features = input.dims[1]!;
    if (l.keyDim === undefined && features !== null && features % l.numHeads !== 0)
      return `transformerEncoder: the input has ${features} features, which ${l.numHeads} heads cannot share evenly; set keyDim or change numHeads`;
    if (l.positionalEmbedding && input.dims[0] === null) return 'transformerEncoder positionalEmbedding needs a fixed sequence length';
    return input;
  },
};

/** Applies one layer's rule. */
export function layerOutput(input: Shape, layer: LayerSpec): Shape | string {
  return (SHAPE_RULES[layer.type] as Rule<LayerType>)(input, layer);
}

/** The input shape a stack model sees, or why the features cannot feed one stack. */
export function stackInput(features: FeatureSpec[]): Shape | string {
  const kinds = new Set(features.map((f) => f.type));
  const single = features.length === 1 ? features[0]! : undefined;
  if (single?.type === 'text') return { dims: [single.maxLength], ids: true };
  if (single?.type === 'image') return { dims: [...single.shape], ids: false };
  if (kinds.has('text') || kinds.has('image'))
    return 'a layer stack takes one text feature, one image feature, or any number of numeric and category features; these cannot be mixed in one stack';
  const indexed = features.filter((f) => f.type === 'category' && f.encoding === 'index');
  if (indexed.length > 0 && indexed.length !== features.length)
    return 'category features with encoding: index (token ids for an embedding) cannot be mixed with other features in one stack; use encoding: oneHot';
  return indexed.length > 0 ? { dims: [features.length], ids: true } : { dims: [null], ids: false };
}
