/** Forward passes in inference mode over a whole split: predictions and the loss. */
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { SplitArrays } from '../data/types.ts';
import { targetArray, targetTensor, type Task } from './batches.ts';
import type { LossFn } from './losses.ts';
import type { Predictions } from './metrics.ts';

/** Rows per forward pass when evaluating; fixed so results never depend on the training batch size. */
export const EVAL_BATCH = 512;

/** The model's outputs for n rows of `x`, in chunks, as one [n, width] tensor. */
export function predictTensor(model: LayersModel, x: Float32Array | Int32Array, n: number, inputShape: number[], dtype: 'float32' | 'int32'): tf.Tensor2D {
  const rowSize = inputShape.reduce((a, b) => a * b, 1);
  return tf.tidy(() => {
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < n; start += EVAL_BATCH) {
      const end = Math.min(n, start + EVAL_BATCH);
      const xs = tf.tensor(x.subarray(start * rowSize, end * rowSize), [end - start, ...inputShape], dtype);
      parts.push(model.apply(xs, { training: false }) as tf.Tensor);
    }
    const all = parts.length === 1 ? parts[0] : tf.concat(parts, 0);
    return tf.reshape(all, [n, all.size / Math.max(n, 1)]) as tf.Tensor2D;
  });
}

/** Sum of the model's weight penalties (0 when it has none). */
export function regularization(model: LayersModel): tf.Scalar {
  return tf.tidy(() => model.calculateLosses().reduce<tf.Scalar>((acc, l) => tf.add(acc, l), tf.scalar(0)));
}

/** Predictions and loss (including weight penalties, as the training loss) for one split. */
export function evaluateSplit(model: LayersModel, split: SplitArrays, inputShape: number[], dtype: 'float32' | 'int32', task: Task, lossFn: LossFn): { loss: number; predictions: Predictions } {
  const y = targetArray(split.y, task);
  if (split.n === 0) return { loss: Number.NaN, predictions: { task, n: 0, width: 1, pred: new Float32Array(0), y } };
  const pred = predictTensor(model, split.x, split.n, inputShape, dtype);
  const loss = tf.tidy(() => tf.add(lossFn(targetTensor(y, task), pred), regularization(model)));
  const [lossValue] = loss.dataSync();
  const values = pred.dataSync() as Float32Array;
  const width = pred.shape[1];
  tf.dispose([pred, loss]);
  return { loss: lossValue, predictions: { task, n: split.n, width, pred: values, y } };
}
