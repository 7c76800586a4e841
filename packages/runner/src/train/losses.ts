/** Loss functions by spec name; each takes the target tensor as the loop builds it and the model output. */
import { must } from '@kiln/core/errors';
import * as tf from '@tensorflow/tfjs-core';
import type { LossName } from '@kiln/core/catalog';
import type { TargetScale } from '../data/types.ts';

/** Mean loss over the batch. `yTrue`: class ids (int32, [b]) for multiclass, [b, 1] float for binary and regression. */
export type LossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/** One loss per example ([b]), from the same targets and outputs as LossFn. */
type ExampleLossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor1D;

/** Keras' epsilon: probabilities are clipped to [eps, 1 - eps] so log never sees 0. */
const EPS = 1e-7;

/**
 * Clips to [EPS, 1 - EPS] while letting NaN through, so a diverged model still shows a NaN loss:
 * the wasm backend's clipByValue maps NaN to the lower bound; maximum/minimum propagate it.
 */
const clipProb = (p: tf.Tensor) => tf.minimum(tf.maximum(p, EPS), 1 - EPS);

/** [b, 1] (or [b, w]) per-element losses as one value per example. */
const perRow = (t: tf.Tensor): tf.Tensor1D => tf.mean(tf.reshape(t, [t.shape[0] ?? -1, -1]), -1) as tf.Tensor1D;

const crossEntropyFromIds: ExampleLossFn = (yTrue, yPred) => {
  const classes = must(yPred.shape.at(-1), 'predictions have a class axis');
  return tf.neg(tf.sum(tf.mul(tf.oneHot(tf.cast(yTrue, 'int32'), classes), tf.log(clipProb(yPred))), -1)) as tf.Tensor1D;
};

/** Per-example losses, one entry per loss of core's LOSS_TABLE (a missing one is a compile error). */
export const EXAMPLE_LOSSES: Record<LossName, ExampleLossFn> = {
  mse: (yTrue, yPred) => perRow(tf.squaredDifference(yPred, yTrue)),
  mae: (yTrue, yPred) => perRow(tf.abs(tf.sub(yPred, yTrue))),
  // Huber with delta 1 (Keras' default): quadratic near 0, linear beyond.
  huber: (yTrue, yPred) => {
    const err = tf.abs(tf.sub(yPred, yTrue));
    const quad = tf.minimum(err, 1);
    return perRow(tf.add(tf.mul(0.5, tf.square(quad)), tf.sub(err, quad)));
  },
  binaryCrossentropy: (yTrue, yPred) => {
    const p = clipProb(yPred);
    return tf.neg(perRow(tf.add(tf.mul(yTrue, tf.log(p)), tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p)))))) as tf.Tensor1D;
  },
  // The data stage gives class ids, so categorical cross-entropy one-hots them: the same maths as the sparse form.
  categoricalCrossentropy: crossEntropyFromIds,
  sparseCategoricalCrossentropy: crossEntropyFromIds,
};

/** Mean loss over the batch, one entry per loss of core's LOSS_TABLE. */
export const LOSS_FNS = Object.fromEntries(Object.entries(EXAMPLE_LOSSES).map(([name, fn]) => [name, (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.tidy(() => tf.mean(fn(yTrue, yPred)) as tf.Scalar)])) as Record<LossName, LossFn>;

/** Each example's weight from its class: class ids ([b], multiclass) or 0/1 values ([b, 1], binary) index `weights`. */
export function exampleWeights(yTrue: tf.Tensor, weights: readonly number[]): tf.Tensor1D {
  return tf.gather(tf.tensor1d(weights.slice(), 'float32'), tf.reshape(tf.cast(yTrue, 'int32'), [-1])) as tf.Tensor1D;
}

/**
 * The loss's value scaled into the target's own units while its gradient stays that of the loss the model trains on:
 * with a standardized target, mse * std² is the mse in the target's units (mae * std, huber * std² likewise), but
 * optimizing the scaled loss is the point of scaling, so the factor must not reach the gradients.
 */
function reportedAs(factor: number, loss: tf.Scalar): tf.Scalar {
  if (factor === 1) return loss;
  const scaled = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x] = inputs;
    if (!(x instanceof tf.Tensor)) throw new TypeError('customGrad passes the loss first');
    return { value: tf.mul(x, factor), gradFunc: (dy: tf.Tensor) => dy };
  });
  return scaled(loss) as tf.Scalar;
}

/** The factor that turns a loss on a scaled target into the target's units (1 when there is no exact one, e.g. log scaling keeps log1p units). */
export function lossFactor(loss: LossName, scale: TargetScale | undefined): number {
  if (!scale) return 1;
  return loss === 'mae' ? scale.std : scale.std ** 2;
}

/** What a head's loss needs besides its name: the target's scaling and per-class weights. */
export interface HeadLoss {
  loss: LossName;
  scale?: TargetScale;
  /** One weight per class, in class order (binary: [negative, positive]). */
  classWeights?: readonly number[];
}

/** A head's loss function: per-example class weights (mean of weight * loss, Keras' convention), reported in the target's units. */
export function headLossFn({ loss, scale, classWeights }: HeadLoss): LossFn {
  const factor = lossFactor(loss, scale);
  if (!classWeights && factor === 1) return LOSS_FNS[loss];
  return (yTrue, yPred) =>
    tf.tidy(() => {
      const each = EXAMPLE_LOSSES[loss](yTrue, yPred);
      const mean = classWeights ? (tf.mean(tf.mul(each, exampleWeights(yTrue, classWeights))) as tf.Scalar) : (tf.mean(each) as tf.Scalar);
      return reportedAs(factor, mean);
    });
}
