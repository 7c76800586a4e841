/** Forward passes in inference mode over a whole split: predictions and the loss, per head. */
import * as tf from '@tensorflow/tfjs-core';
import { must } from '@kiln/core/errors';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { splitInputs, splitTargets } from '../data/inputs.ts';
import type { SplitArrays } from '../data/types.ts';
import { targetArray, targetTensor, type InputSpec } from './batches.ts';
import type { LoopHead } from './heads.ts';
import { headLossFn } from './losses.ts';
import type { Predictions } from './metrics.ts';

/** Rows per forward pass when evaluating; fixed so results never depend on the training batch size. */
export const EVAL_BATCH = 512;

type Typed = Float32Array | Int32Array;

/** Runs the model on one batch: a single tensor for a one-input model, else the list; the outputs always as a list. */
export function applyModel(model: LayersModel, xs: tf.Tensor[], training: boolean): tf.Tensor[] {
  const [first, ...rest] = xs;
  const out = model.apply(first !== undefined && rest.length === 0 ? first : xs, { training }) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

/** The model's outputs for n rows (one array per input), in chunks, as one [n, width] tensor per output. */
export function predictTensors(model: LayersModel, xs: Typed[], n: number, inputs: InputSpec[]): tf.Tensor2D[] {
  const layout = inputs.map((x, k) => ({ x, rowSize: x.shape.reduce((a, b) => a * b, 1), data: must(xs[k], 'one array per model input') }));
  return tf.tidy(() => {
    const parts: tf.Tensor[][] = [];
    for (let start = 0; start < n; start += EVAL_BATCH) {
      const end = Math.min(n, start + EVAL_BATCH);
      const batch = layout.map(({ x, rowSize, data }) => tf.tensor(data.subarray(start * rowSize, end * rowSize), [end - start, ...x.shape], x.dtype));
      applyModel(model, batch, false).forEach((out, h) => (parts[h] ??= []).push(out));
    }
    return parts.map((p) => {
      const all = p.length === 1 ? must(p[0], 'one part') : tf.concat(p, 0);
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
  const targets = splitTargets(split);
  const withY = heads.map((head) => ({ head, y: targetArray(must(targets[head.target], "a head's target is one of the split's targets"), head.task) }));
  if (split.n === 0) return { loss: Number.NaN, heads: withY.map(({ head, y }) => ({ loss: Number.NaN, predictions: { task: head.task, n: 0, width: 1, pred: new Float32Array(0), y } })) };
  const preds = predictTensors(model, splitInputs(split), split.n, inputs);
  const perHead = withY.map((h, k) => ({ ...h, pred: must(preds[k], 'the model has one output per head') }));
  const losses = tf.tidy(() => {
    const each = perHead.map(({ head, y, pred }) => ({ loss: headLossFn(head)(targetTensor(y, head.task), pred), weight: head.weight }));
    const total = each.reduce<tf.Scalar>((acc, { loss, weight }) => tf.add(acc, tf.mul(loss, weight)), regularization(model));
    return tf.stack([total, ...each.map((e) => e.loss)]);
  });
  const [total, ...each] = Array.from(losses.dataSync());
  const out = perHead.map(({ head, y, pred }, k) => ({ loss: must(each[k], 'one loss per head'), predictions: { task: head.task, n: split.n, width: pred.shape[1], pred: pred.dataSync() as Float32Array, y } }));
  tf.dispose([...preds, losses]);
  return { loss: must(total, 'the stacked losses start with the total'), heads: out };
}
