/** Turning a split's typed arrays into batch tensors, with a seeded reshuffle per epoch and no per-batch copies in JS. */
import * as tf from '@tensorflow/tfjs-core';
import { splitInputs, splitTargets } from '../data/inputs.ts';
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
    // Both indexes are below n, filled just above.
    const [a = 0, b = 0] = [out[i], out[j]];
    out[i] = b;
    out[j] = a;
  }
  return out;
}

/** Shape and dtype of one model input (one example, no batch dimension). */
export interface InputSpec {
  shape: number[];
  dtype: 'float32' | 'int32';
}

type Typed = Float32Array | Int32Array;
const rowSizeOf = (x: InputSpec) => x.shape.reduce((a, b) => a * b, 1);

/**
 * One split laid out for an epoch: rows copied once per epoch into reused buffers in shuffled
 * order, so each batch is a contiguous subarray handed to tf.tensor without a JS copy. One buffer
 * per model input and one per head.
 */
export class EpochBuffers {
  readonly xs: Typed[];
  readonly ys: Typed[];
  private readonly rowSizes: number[];
  private readonly order: Int32Array;
  private readonly sourceXs: Typed[];
  private readonly sourceYs: Typed[];

  constructor(
    private readonly split: SplitArrays,
    private readonly inputs: InputSpec[],
    private readonly heads: { task: Task; target: number }[],
  ) {
    const n = split.n;
    this.rowSizes = inputs.map(rowSizeOf);
    this.sourceXs = splitInputs(split);
    this.xs = inputs.map((x, i) => (x.dtype === 'int32' ? new Int32Array(n * this.rowSizes[i]!) : new Float32Array(n * this.rowSizes[i]!)));
    this.sourceYs = heads.map((h) => targetArray(splitTargets(split)[h.target]!, h.task));
    this.ys = this.sourceYs.map((y) => (y instanceof Int32Array ? new Int32Array(n) : new Float32Array(n)));
    this.order = new Int32Array(n);
  }

  /** The first input's buffer (the only one of a single-input model). */
  get x(): Typed {
    return this.xs[0]!;
  }

  /** Lays the rows out in a fresh seeded order (or the source order when `random` is null). */
  arrange(random: (() => number) | null): void {
    const { n } = this.split;
    if (random) permutation(n, random, this.order);
    else for (let i = 0; i < n; i++) this.order[i] = i;
    this.xs.forEach((out, k) => {
      const x = this.sourceXs[k]!;
      const f = this.rowSizes[k]!;
      for (let i = 0; i < n; i++) {
        const o = this.order[i]!;
        out.set(x.subarray(o * f, (o + 1) * f), i * f);
      }
    });
    this.ys.forEach((out, k) => {
      const y = this.sourceYs[k]!;
      for (let i = 0; i < n; i++) out[i] = y[this.order[i]!]!;
    });
  }

  /** The input and target tensors (one per input, one per head) for rows [start, end) of the current order. */
  batch(start: number, end: number): { xs: tf.Tensor[]; ys: tf.Tensor[] } {
    const xs = this.inputs.map((x, k) => tf.tensor(this.xs[k]!.subarray(start * this.rowSizes[k]!, end * this.rowSizes[k]!), [end - start, ...x.shape], x.dtype));
    return { xs, ys: this.heads.map((h, k) => targetTensor(this.ys[k]!.subarray(start, end), h.task)) };
  }
}
