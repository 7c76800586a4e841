/** Forward passes in inference mode over a whole split: predictions and the loss, per head. */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { splitInputs, splitTargets } from '../data/inputs.ts';
import type { SplitArrays } from '../data/types.ts';
import { targetArray, targetTensor, type InputSpec } from './batches.ts';
import type { LoopHead } from './heads.ts';
import { LOSS_FNS } from './losses.ts';
import type { Predictions } from './metrics.ts';

/** Rows per forward pass when evaluating; fixed so results never depend on the training batch size. */
export const EVAL_BATCH = 512;

type Typed = Float32Array | Int32Array;

/** Runs the model on one batch: a single tensor for a one-input model, else the list; the outputs always as a list. */
export function applyModel(model: LayersModel, xs: tf.Tensor[], training: boolean): tf.Tensor[] {
  const out = model.apply(xs.length === 1 ? xs[0]! : xs, { training }) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

/** The model's outputs for n rows (one array per input), in chunks, as one [n, width] tensor per output. */
export function predictTensors(model: LayersModel, xs: Typed[], n: number, inputs: InputSpec[]): tf.Tensor2D[] {
  const rowSizes = inputs.map((x) => x.shape.reduce((a, b) => a * b, 1));
  return tf.tidy(() => {
    const parts: tf.Tensor[][] = [];
    for (let start = 0; start < n; start += EVAL_BATCH) {
      const end = Math.min(n, start + EVAL_BATCH);
      const batch = inputs.map((x, k) => tf.tensor(xs[k]!.subarray(start * rowSizes[k]!, end * rowSizes[k]!), [end - start, ...x.shape], x.dtype));
      applyModel(model, batch, false).forEach((out, h) => (parts[h] ??= []).push(out));
    }
    return parts.map((p) => {
      const all = p.length === 1 ? p[0]! : tf.concat(p, 0);
      return tf.reshape(all, [n, all.size / Math.max(n, 1)]) as tf.Tensor2D;
    });
  });
}

/** Sum of the model's weight penalties (0 when it has none). */
export function regularization(model: LayersModel): tf.Scalar {
  return tf.tidy(() => model.calculateLosses().reduce<tf.Scalar>((acc, l) => tf.add(acc, l), tf.scalar(0)));
}

/** One head's loss (without weight penalties) and predictions on a split. */
export interface HeadEvaluation {
  loss: number;
  predictions: Predictions;
}

/** Per head, predictions and loss; `loss` is the weighted sum of the heads' losses plus weight penalties, as in training. */
export function evaluateHeads(model: LayersModel, split: SplitArrays, inputs: InputSpec[], heads: LoopHead[]): { loss: number; heads: HeadEvaluation[] } {
  const ys = heads.map((h) => targetArray(splitTargets(split)[h.target]!, h.task));
  if (split.n === 0) return { loss: Number.NaN, heads: heads.map((h, k) => ({ loss: Number.NaN, predictions: { task: h.task, n: 0, width: 1, pred: new Float32Array(0), y: ys[k]! } })) };
  const preds = predictTensors(model, splitInputs(split), split.n, inputs);
  const losses = tf.tidy(() => {
    const each = heads.map((h, k) => LOSS_FNS[h.loss](targetTensor(ys[k]!, h.task), preds[k]!));
    const total = each.reduce<tf.Scalar>((acc, l, k) => tf.add(acc, tf.mul(l, heads[k]!.weight)), regularization(model));
    return tf.stack([total, ...each]);
  });
  const [total, ...each] = Array.from(losses.dataSync());
  const out = heads.map((h, k) => ({ loss: each[k]!, predictions: { task: h.task, n: split.n, width: preds[k]!.shape[1], pred: preds[k]!.dataSync() as Float32Array, y: ys[k]! } }));
  tf.dispose([...preds, losses]);
  return { loss: total!, heads: out };
}
