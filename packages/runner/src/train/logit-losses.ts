/**
 * Cross-entropies on logits, fused with the output's softmax or sigmoid, for training steps. They
 * equal losses.ts' probability forms, value and gradient, including its clip of probabilities to
 * [1e-7, 1 - 1e-7] (an example whose true-class probability is below 1e-7 counts -log 1e-7 and sends
 * no gradient), but the step skips the activation's backward pass, the clip's and the log's: the
 * gradient is (p - y) from probabilities computed once in the forward pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import { must } from '@kiln/core/errors';
import type { LossName } from '@kiln/core/catalog';
import { exampleWeights, headLossFn, type HeadLoss, type LossFn } from './losses.ts';

/** The output activations a loss can take over. */
export type OutputActivation = 'softmax' | 'sigmoid';

/** The largest loss one probability can give after losses.ts' clip: -log(1e-7), in float32. */
const CAP = -Math.log(Math.fround(1e-7));
/** The largest -log(1 - p) after the clip: 1 - float32(1 - 1e-7) is 2^-23. */
const CAP_NEGATIVE = -Math.log(1 - Math.fround(1 - 1e-7));

/**
 * Per element: the loss ([b, w]), the gradient's direction (p - y) and the most the loss can be after
 * the clip; `ids` are class ids ([b], multiclass) or 0/1 targets ([b, w], binary).
 */
type Parts = (logits: tf.Tensor, ids: tf.Tensor) => { nll: tf.Tensor2D; direction: tf.Tensor; cap: number | tf.Tensor };

const softmaxParts: Parts = (logits, ids) => {
  const classes = must(logits.shape.at(-1), 'logits have a class axis');
  const shifted = tf.sub(logits, tf.max(logits, -1, true));
  const e = tf.exp(shifted);
  const total = tf.sum(e, -1, true);
  // wasm's OneHot writes the integer bits of 1 into a float32 output (a denormal), so it is made int32 and cast.
  const oneHot = tf.cast(tf.oneHot(ids.rank === 1 ? ids : tf.reshape(ids, [-1]), classes), 'float32');
  // -log p_y = log(sum exp) - (z_y - max): shifted logits keep exp from overflowing.
  const nll = tf.sub(tf.log(total), tf.sum(tf.mul(shifted, oneHot), -1, true)) as tf.Tensor2D;
  return { nll, direction: tf.sub(tf.div(e, total), oneHot), cap: CAP };
};

const sigmoidParts: Parts = (logits, y) => {
  // -log p = softplus(-z) and -log(1 - p) = softplus(z), so the loss is softplus(z) - z*y for 0/1 targets.
  const nll = tf.reshape<tf.Rank.R2>(tf.sub(tf.softplus(logits), tf.mul(logits, y)), [logits.shape[0] ?? -1, -1]);
  // The clip of p to 1 - 1e-7 is 1 - 2^-23 in float32, so -log(1 - p) stops lower than -log p does.
  const cap = tf.add(tf.mul(tf.reshape(y, nll.shape), CAP - CAP_NEGATIVE), CAP_NEGATIVE);
  return { nll, direction: tf.sub(tf.sigmoid(logits), y), cap };
};

const PARTS: Record<OutputActivation, Parts> = { softmax: softmaxParts, sigmoid: sigmoidParts };

/** Which output activation each cross-entropy fuses with (others keep probabilities). */
export const FUSED_ACTIVATION: Partial<Record<LossName, OutputActivation>> = {
  categoricalCrossentropy: 'softmax',
  sparseCategoricalCrossentropy: 'softmax',
  binaryCrossentropy: 'sigmoid',
};

/**
 * The loss of `activation`'s probabilities on the logits it would get: the mean over rows of
 * weight * (the row's mean capped loss), `weights` giving each example's weight ([b]) or none.
 */
export function logitLoss(activation: OutputActivation, weights?: (yTrue: tf.Tensor) => tf.Tensor1D): LossFn {
  return (yTrue, logits) => {
    const fused = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [z, save] = args;
      if (!(z instanceof tf.Tensor) || typeof save !== 'function') throw new TypeError('customGrad passes the logits, then save');
      const { nll, direction, cap } = PARTS[activation](z, yTrue);
      const [rows = 1, width = 1] = nll.shape;
      const capped = tf.minimum(nll, cap);
      // Each element's share of the mean, 0 where the clip holds the loss (the clip's gradient is 0 there).
      const held = tf.step(tf.sub(cap, nll));
      const scale = weights ? tf.reshape(tf.div(weights(yTrue), rows * width), [-1, 1]) : null;
      const value = scale ? tf.sum(tf.mul(capped, scale)) : tf.mean(capped);
      const share = tf.mul(held, scale ?? 1 / (rows * width));
      save([direction, share]);
      return {
        value,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [d, s] = saved;
          if (!d || !s) throw new TypeError('the forward pass saves the direction and the shares');
          return tf.mul(d, tf.mul(s, dy));
        },
      };
    });
    return fused(logits) as tf.Scalar;
  };
}

/** Whether `head`'s loss can take over `activation` (a cross-entropy of its probabilities, on an unscaled target). */
export function fusesWith(head: HeadLoss, activation: OutputActivation | undefined): activation is OutputActivation {
  return activation !== undefined && FUSED_ACTIVATION[head.loss] === activation && head.scale === undefined;
}

/**
 * A head's training loss: on logits, fused with `activation`, when its outputs are the logits of that
 * activation (LogitOutputs decided so with fusesWith), else losses.ts' form on the outputs.
 */
export function trainingLossFn(head: HeadLoss, activation: OutputActivation | undefined): LossFn {
  if (activation === undefined) return headLossFn(head);
  if (!fusesWith(head, activation)) throw new Error(`${head.loss} cannot take over a ${activation} output`);
  const { classWeights } = head;
  return logitLoss(activation, classWeights ? (y) => exampleWeights(y, classWeights) : undefined);
}
