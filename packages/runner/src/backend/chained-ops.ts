import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-core's node bundle ships no chained ops (tensor.flatten(), x.add(y), ...), yet tfjs-layers
 * calls them (orthogonal init for LSTM/GRU, among others) and tfjs-core's types declare them.
 * This restores them as the browser bundle defines them: nearly all are `op(this, ...args)`.
 */
const plainOps = `abs acos acosh add all any argMax argMin asin asinh atan atan2 atanh avgPool batchToSpaceND
  batchNorm broadcastTo cast ceil clipByValue conv1d conv2d conv2dTranspose cos cosh cumprod cumsum
  depthToSpace depthwiseConv2d dilation2d div divNoNan dot elu equal erf euclideanNorm exp expandDims
  expm1 fft floor floorDiv gather greater greaterEqual ifft irfft isFinite isInf isNaN leakyRelu less
  lessEqual localResponseNormalization log log1p logSigmoid logSoftmax logSumExp logicalAnd logicalNot
  logicalOr logicalXor matMul max maxPool maximum mean min minimum mirrorPad mod mul neg norm notEqual
  oneHot onesLike pad pool pow prelu prod reciprocal relu relu6 reshape resizeBilinear resizeNearestNeighbor
  reverse rfft round rsqrt selu separableConv2d sigmoid sign sin sinh slice softmax softplus spaceToBatchND
  split sqrt square squaredDifference squeeze step stridedSlice sub sum tan tanh tile topk transpose
  unique unsortedSegmentSum unstack zerosLike`.split(/\s+/);

type Method = (this: tf.Tensor, ...args: never[]) => unknown;
const asList = (x: tf.Tensor | tf.Tensor[]) => (x instanceof tf.Tensor ? [x] : x);

/** The chained ops whose body is not simply `op(this, ...args)`. */
const specialOps: Record<string, Method> = {
  as1D() { return tf.reshape(this, [this.size]); },
  as2D(rows: number, cols: number) { return tf.reshape(this, [rows, cols]); },
  as3D(a: number, b: number, c: number) { return tf.reshape(this, [a, b, c]); },
  as4D(a: number, b: number, c: number, d: number) { return tf.reshape(this, [a, b, c, d]); },
  as5D(a: number, b: number, c: number, d: number, e: number) { return tf.reshape(this, [a, b, c, d, e]); },
  asScalar() {
    if (this.size !== 1) throw new Error('The array must have only 1 element.');
    return tf.reshape(this, []);
  },
  asType(dtype: tf.DataType) { return tf.cast(this, dtype); },
  flatten() { return tf.reshape(this, [this.size]); },
  reshapeAs(x: tf.Tensor) { return tf.reshape(this, x.shape); },
  toBool() { return tf.cast(this, 'bool'); },
  toFloat() { return tf.cast(this, 'float32'); },
  toInt() { return tf.cast(this, 'int32'); },
  concat(x: tf.Tensor | tf.Tensor[], axis?: number) { return tf.concat([this, ...asList(x)], axis); },
  stack(x: tf.Tensor | tf.Tensor[], axis?: number) { return tf.stack([this, ...asList(x)], axis); },
  where(condition: tf.Tensor, x: tf.Tensor) { return tf.where(condition, this, x); },
};

/** Adds the chained ops tfjs-core's node bundle leaves out; never overrides existing methods. */
export function registerChainedOps(): void {
  const proto = tf.Tensor.prototype as unknown as Record<string, unknown>;
  const ops = tf as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of plainOps) {
    const op = ops[name];
    // An op this tfjs-core version lacks gets no method, as in its browser bundle.
    if (typeof proto[name] === 'function' || typeof op !== 'function') continue;
    proto[name] = function (this: tf.Tensor, ...args: unknown[]) {
      this.throwIfDisposed();
      return op(this, ...args);
    };
  }
  for (const [name, method] of Object.entries(specialOps)) {
    if (typeof proto[name] !== 'function') proto[name] = method;
  }
}
