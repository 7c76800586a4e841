/** Loss functions by spec name; each takes the target tensor as the loop builds it and the model output. */
import { must } from '@kiln/core/errors';
import * as tf from '@tensorflow/tfjs-core';
import type { LossName } from '@kiln/core/catalog';

/** Mean loss over the batch. `yTrue`: class ids (int32, [b]) for multiclass, [b, 1] float for binary and regression. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** Keras' epsilon: probabilities are clipped to [eps, 1 - eps] so log never sees 0. */
const EPS = 1e-7;

/**
 * Clips to [EPS, 1 - EPS] while letting NaN through, so a diverged model still shows a NaN loss:
 * the wasm backend's clipByValue maps NaN to the lower bound; maximum/minimum propagate it.
 */
const clipProb = (p: tf.Tensor) => tf.minimum(tf.maximum(p, EPS), 1 - EPS);

const crossEntropyFromIds: LossFn = (yTrue, yPred) =>
  tf.tidy(() => {
    const classes = must(yPred.shape.at(-1), 'predictions have a class axis');
    const p = clipProb(yPred);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(tf.cast(yTrue, 'int32'), classes), tf.log(p)), -1))) as tf.Scalar;
  });

/** One entry per loss of core's LOSS_TABLE (a missing one is a compile error). */
export const LOSS_FNS: Record<LossName, LossFn> = {
  mse: (yTrue, yPred) => tf.tidy(() => tf.mean(tf.squaredDifference(yPred, yTrue))),
  mae: (yTrue, yPred) => tf.tidy(() => tf.mean(tf.abs(tf.sub(yPred, yTrue)))),
  // Huber with delta 1 (Keras' default): quadratic near 0, linear beyond.
  huber: (yTrue, yPred) =>
    tf.tidy(() => {
      const err = tf.abs(tf.sub(yPred, yTrue));
      const quad = tf.minimum(err, 1);
      return tf.mean(tf.add(tf.mul(0.5, tf.square(quad)), tf.sub(err, quad)));
    }),
  binaryCrossentropy: (yTrue, yPred) =>
    tf.tidy(() => {
      const p = clipProb(yPred);
      return tf.neg(tf.mean(tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p)))))) as tf.Scalar;
    }),
  // The data stage gives class ids, so categorical cross-entropy one-hots them: the same maths as the sparse form.
  categoricalCrossentropy: crossEntropyFromIds,
  sparseCategoricalCrossentropy: crossEntropyFromIds,
};
