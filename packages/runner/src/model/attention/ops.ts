/** The math of multi-head self-attention and the encoder block's pieces, as plain tensor functions (autodiff gives the gradients). */
import * as tf from '@tensorflow/tfjs-core';

/** The weights of one multi-head attention: projections to queries, keys, values ([d, heads*keyDim]) and back ([heads*keyDim, d]). */
export interface AttentionWeights {
  query: tf.Tensor2D;
  key: tf.Tensor2D;
  value: tf.Tensor2D;
  output: tf.Tensor2D;
  queryBias?: tf.Tensor1D;
  keyBias?: tf.Tensor1D;
  valueBias?: tf.Tensor1D;
  outputBias?: tf.Tensor1D;
}

export interface AttentionOptions {
  numHeads: number;
  keyDim: number;
  causal: boolean;
  /** Dropout rate on the attention weights, applied only when training. */
  dropout: number;
  training: boolean;
}

/** x [batch, steps, d] times w [d, units] (+ bias): [batch, steps, units]. */
export function project(x: tf.Tensor3D, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor3D {
  const [b, t, d] = x.shape;
  const flat = tf.matMul(tf.reshape(x, [b * t, d]), w);
  const out = bias ? tf.add(flat, bias) : flat;
  return tf.reshape(out, [b, t, w.shape[1]]);
}

/** [batch, steps, heads*k] -> [batch, heads, steps, k]. */
const splitHeads = (x: tf.Tensor3D, heads: number, k: number): tf.Tensor4D => tf.transpose(tf.reshape(x, [x.shape[0], x.shape[1], heads, k]), [0, 2, 1, 3]);

/** A [steps, steps] additive mask: 0 where step i may see step j (j <= i), a large negative number elsewhere. */
export function causalMask(steps: number): tf.Tensor2D {
  return tf.tidy(() => {
    const lower = tf.linalg.bandPart(tf.ones([steps, steps]), -1, 0);
    return tf.mul(tf.sub(1, lower), -1e9) as tf.Tensor2D;
  });
}

/** Scaled dot-product self-attention over x in `numHeads` heads, projected back to x's feature size. */
export function multiHeadSelfAttention(x: tf.Tensor3D, w: AttentionWeights, opts: AttentionOptions): tf.Tensor3D {
  const [b, t] = x.shape;
  const { numHeads: h, keyDim: k } = opts;
  const q = splitHeads(project(x, w.query, w.queryBias), h, k);
  const key = splitHeads(project(x, w.key, w.keyBias), h, k);
  const v = splitHeads(project(x, w.value, w.valueBias), h, k);
  let scores: tf.Tensor = tf.div(tf.matMul(q, key, false, true), Math.sqrt(k));
  if (opts.causal) scores = tf.add(scores, causalMask(t));
  let weights: tf.Tensor = tf.softmax(scores);
  if (opts.training && opts.dropout > 0) weights = tf.dropout(weights, opts.dropout);
  const context = tf.reshape(tf.transpose(tf.matMul(weights as tf.Tensor4D, v), [0, 2, 1, 3]), [b, t, h * k]) as tf.Tensor3D;
  return project(context, w.output, w.outputBias);
}

/** Layer normalization over the last axis with a learned scale and shift. */
export function layerNorm(x: tf.Tensor3D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): tf.Tensor3D {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma), beta);
}
