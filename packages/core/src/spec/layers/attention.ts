/** Attention layers over sequences: multi-head self-attention and the transformer encoder block. */
import { bool, int, num, opt } from '../fields.ts';
import { defineLayer, dim, lastDim, layer, needRank, steps } from './define.ts';

/** Query, key, value and output projections with their biases. */
const attention = (d: number, heads: number, key: number) => 4 * d * heads * key + 3 * heads * key + d;
/** The attention scores, one steps x steps matrix per head. */
const scores = (input: number[], l: { numHeads: number }) => l.numHeads * steps(input) * steps(input);

const maskPadding = bool('Ignore padded steps (token id 0) when the input carries a padding mask, as the output of an embedding with maskZero: true does: padded keys get -1e9 before the softmax, and the mask passes on to later layers.', true);

export const multiHeadAttention = defineLayer({
  schema: layer('multiHeadAttention', 'Self-attention over a sequence: every step attends to every step (or only earlier ones when causal), in several heads.', {
    numHeads: int('Number of attention heads.', { minimum: 1 }),
    keyDim: int('Size of each head\'s queries and keys (and values).', { minimum: 1 }),
    dropout: num('Dropout on the attention weights.', { minimum: 0, exclusiveMaximum: 1, default: 0 }),
    causal: bool('Let each step attend only to itself and earlier steps.', false),
    useBias: bool('Add bias terms to the projections.', true),
    maskPadding,
  }),
  shape: (input) => needRank(input, 2, 'multiHeadAttention') ?? input,
  params: (input, l) => attention(lastDim(input), l.numHeads, l.keyDim),
  kept: scores,
});

export const transformerEncoder = defineLayer({
  schema: layer('transformerEncoder', 'A transformer encoder block: optional learned position embedding, then self-attention and a feed-forward network, each with dropout, a residual connection and layer normalization.', {
    numHeads: int('Number of attention heads.', { minimum: 1 }),
    keyDim: opt(int('Size of each head\'s queries and keys; defaults to the input features / numHeads.', { minimum: 1 })),
    ffDim: int('Hidden size of the feed-forward network.', { minimum: 1 }),
    dropout: num('Dropout after attention and after the feed-forward network.', { minimum: 0, exclusiveMaximum: 1, default: 0.1 }),
    positionalEmbedding: bool('Add a learned embedding of each step position to the input first (turn off on stacked blocks after the first).', true),
    causal: bool('Let each step attend only to itself and earlier steps.', false),
    epsilon: num('Added to the variance in the layer normalizations.', { exclusiveMinimum: 0, default: 0.000001 }),
    maskPadding,
  }),
  shape: (input, l) => {
    const bad = needRank(input, 2, 'transformerEncoder');
    if (bad) return bad;
    const features = dim(input, 1);
    if (l.keyDim === undefined && features !== null && features % l.numHeads !== 0)
      return `transformerEncoder: the input has ${features} features, which ${l.numHeads} heads cannot share evenly; set keyDim or change numHeads`;
    if (l.positionalEmbedding && input.dims[0] === null) return 'transformerEncoder positionalEmbedding needs a fixed sequence length';
    return input;
  },
  params: (input, l) => {
    const d = lastDim(input);
    const key = l.keyDim ?? Math.max(1, Math.floor(d / l.numHeads));
    return attention(d, l.numHeads, key) + 2 * d * l.ffDim + l.ffDim + d + 4 * d + (l.positionalEmbedding ? steps(input) * d : 0);
  },
  kept: scores,
});
