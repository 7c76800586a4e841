/** Turning a split's typed arrays into batch tensors, with a seeded reshuffle per epoch and no per-batch copies in JS. */
import * as tf from '@tensorflow/tfjs-core';
import type { SplitArrays } from '../data/types.ts';

export type Task = 'binary' | 'multiclass' | 'regression';

/** Targets as the losses take them: class ids for multiclass, one float column for binary and regression. */
export function targetArray(y: Float32Array | Int32Array, task: Task): Float32Array | Int32Array {
  if (task === 'multiclass') return y instanceof Int32Array ? y : Int32Array.from(y);
  return y instanceof Float32Array ? y : Float32Array.from(y);
}

/** The target tensor for `count` rows of a target array. */
export function targetTensor(y: Float32Array | Int32Array, task: Task): tf.Tensor {
  return task === 'multiclass' ? tf.tensor1d(y, 'int32') : tf.tensor2d(y, [y.length, 1], 'float32');
}

/** Fisher-Yates permutation of 0..n-1, drawn from `random`. */
export function permutation(n: number, random: () => number, out: Int32Array = new Int32Array(n)): Int32Array {
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

/**
 * One split laid out for an epoch: rows copied once per epoch into reused buffers in shuffled
 * order, so each batch is a contiguous subarray handed to tf.tensor without a JS copy.
 */
export class EpochBuffers {
  readonly rowSize: number;
  readonly x: Float32Array | Int32Array;
  readonly y: Float32Array | Int32Array;
  private readonly order: Int32Array;
  private readonly sourceY: Float32Array | Int32Array;

  constructor(
    private readonly split: SplitArrays,
    private readonly inputShape: number[],
    private readonly dtype: 'float32' | 'int32',
    private readonly task: Task,
  ) {
    this.rowSize = inputShape.reduce((a, b) => a * b, 1);
    this.x = dtype === 'int32' ? new Int32Array(split.n * this.rowSize) : new Float32Array(split.n * this.rowSize);
    this.sourceY = targetArray(split.y, task);
    this.y = this.sourceY instanceof Int32Array ? new Int32Array(split.n) : new Float32Array(split.n);
    this.order = new Int32Array(split.n);
  }

  /** Lays the rows out in a fresh seeded order (or the source order when `random` is null). */
  arrange(random: (() => number) | null): void {
    const { n, x } = this.split;
    if (random) permutation(n, random, this.order);
    else for (let i = 0; i < n; i++) this.order[i] = i;
    const f = this.rowSize;
    for (let i = 0; i < n; i++) {
      const o = this.order[i];
      this.x.set(x.subarray(o * f, (o + 1) * f), i * f);
      this.y[i] = this.sourceY[o];
    }
  }

  /** The input and target tensors for rows [start, end) of the current order. */
  batch(start: number, end: number): { xs: tf.Tensor; ys: tf.Tensor } {
    const xs = tf.tensor(this.x.subarray(start * this.rowSize, end * this.rowSize), [end - start, ...this.inputShape], this.dtype);
    return { xs, ys: targetTensor(this.y.subarray(start, end), this.task) };
  }
}
