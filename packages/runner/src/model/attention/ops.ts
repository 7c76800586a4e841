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
  /** [batch, steps], true/1 at real tokens and false/0 at padding: padded steps are never attended to. */
  padding?: tf.Tensor2D;
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

/** [1, 1, steps, steps]: true where step i may attend to step j (j <= i). */
function causalAllowed(steps: number): tf.Tensor4D {
  return tf.tidy(() => tf.cast(tf.reshape(tf.linalg.bandPart(tf.ones([steps, steps]), -1, 0), [1, 1, steps, steps]), 'bool') as tf.Tensor4D);
}

/**
 * Scores of disallowed keys replaced by -1e9: score * keep + (keep - 1) * 1e9. Replaced, not added
 * to: an added -1e9 keeps a gradient that the float32 forward pass has rounded away, and a row with
 * no allowed key would still vary; such a row (a padded query under a causal mask) gets uniform
 * weights rather than NaN.
 */
function maskScores(scores: tf.Tensor4D, allowed: tf.Tensor4D): tf.Tensor4D {
  const keep = tf.cast(allowed, 'float32');
  return tf.add(tf.mul(scores, keep), tf.mul(tf.sub(keep, 1), 1e9));
}

/**
 * The same replacement for padded keys, folded into the score product so no [steps, steps]-sized
 * op is added (broadcast element-wise ops over the scores cost about 40% of a training step on
 * wasm): padded keys are zeroed and given one extra component, -1e9, that meets an extra 1 in every
 * query, so q'.k' = q.k * keep + (keep - 1) * 1e9. q and key are [batch, heads, steps, k].
 */
function withKeyPadding(q: tf.Tensor4D, key: tf.Tensor4D, padding: tf.Tensor2D): [tf.Tensor4D, tf.Tensor4D] {
  const [b, h, t] = key.shape;
  const keep = tf.reshape(tf.cast(padding, 'float32'), [b, 1, t, 1]);
  const bias = tf.tile(tf.mul(tf.sub(keep, 1), 1e9), [1, h, 1, 1]) as tf.Tensor4D;
  return [tf.concat([q, tf.ones([b, h, t, 1])], 3), tf.concat([tf.mul(key, keep) as tf.Tensor4D, bias], 3)];
}

/** Scaled dot-product self-attention over x in `numHeads` heads, projected back to x's feature size. */
export function multiHeadSelfAttention(x: tf.Tensor3D, w: AttentionWeights, opts: AttentionOptions): tf.Tensor3D {
  const [b, t] = x.shape;
  const { numHeads: h, keyDim: k } = opts;
  // Scaling the queries ([batch, heads, steps, k]) rather than the scores ([..., steps, steps]) is the same product, steps/k times cheaper.
  const q = tf.div(splitHeads(project(x, w.query, w.queryBias), h, k), Math.sqrt(k)) as tf.Tensor4D;
  const key = splitHeads(project(x, w.key, w.keyBias), h, k);
  const v = splitHeads(project(x, w.value, w.valueBias), h, k);
  const [qs, ks] = opts.padding ? withKeyPadding(q, key, opts.padding) : [q, key];
  let scores = tf.matMul(qs, ks, false, true) as tf.Tensor4D;
  if (opts.causal) scores = maskScores(scores, causalAllowed(t));
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

/** Mean over the steps of x [batch, steps, d] counting only real steps of `padding` [batch, steps] (all steps when absent). */
export function maskedMean(x: tf.Tensor3D, padding?: tf.Tensor2D): tf.Tensor2D {
  if (!padding) return tf.mean(x, 1);
  const m = tf.expandDims(tf.cast(padding, 'float32'), 2);
  return tf.div(tf.sum(tf.mul(x, m), 1), tf.maximum(tf.sum(m, 1), 1)) as tf.Tensor2D;
}

/** Max over the real steps of x [batch, steps, d] (all steps when `padding` is absent). */
export function maskedMax(x: tf.Tensor3D, padding?: tf.Tensor2D): tf.Tensor2D {
  if (!padding) return tf.max(x, 1);
  const m = tf.expandDims(tf.cast(padding, 'float32'), 2);
  const max = tf.max(tf.add(x, tf.mul(tf.sub(1, m), -1e9)), 1);
  // A sequence of only padding has no max; 0 keeps -1e9 out of the next layer.
  return tf.where(tf.greater(tf.sum(m, 1), 0), max, tf.zerosLike(max)) as tf.Tensor2D;
}
