/** Turning a split's typed arrays into batch tensors, with a seeded reshuffle per epoch and no per-batch copies in JS. */
import * as tf from '@tensorflow/tfjs-core';
import { must } from '@kiln/core/errors';
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

/** One model input: its layout, the split's rows in source order, and the epoch buffer they are copied into. */
interface InputBuffer {
  spec: InputSpec;
  rowSize: number;
  source: Typed;
  out: Typed;
}

/** One head: its task, the split's targets in source order, and the epoch buffer they are copied into. */
interface HeadBuffer {
  task: Task;
  source: Typed;
  out: Typed;
}

/**
 * One split laid out for an epoch: rows copied once per epoch into reused buffers in shuffled
 * order, so each batch is a contiguous subarray handed to tf.tensor without a JS copy. One buffer
 * per model input and one per head.
 */
export class EpochBuffers {
  readonly xs: Typed[];
  readonly ys: Typed[];
  private readonly inputBuffers: InputBuffer[];
  private readonly headBuffers: HeadBuffer[];
  private readonly order: Int32Array;

  constructor(
    private readonly split: SplitArrays,
    inputs: InputSpec[],
    heads: { task: Task; target: number }[],
  ) {
    const n = split.n;
    const sources = splitInputs(split);
    const targets = splitTargets(split);
    this.inputBuffers = inputs.map((spec, i) => {
      const rowSize = rowSizeOf(spec);
      const out = spec.dtype === 'int32' ? new Int32Array(n * rowSize) : new Float32Array(n * rowSize);
      return { spec, rowSize, source: must(sources[i], 'the split holds one array per model input'), out };
    });
    this.headBuffers = heads.map((h) => {
      const source = targetArray(must(targets[h.target], "a head's target is one of the split's targets"), h.task);
      return { task: h.task, source, out: source instanceof Int32Array ? new Int32Array(n) : new Float32Array(n) };
    });
    this.xs = this.inputBuffers.map((b) => b.out);
    this.ys = this.headBuffers.map((b) => b.out);
    this.order = new Int32Array(n);
  }

  /** The first input's buffer (the only one of a single-input model). */
  get x(): Typed {
    return must(this.xs[0], 'a model has at least one input');
  }

  /** Lays the rows out in a fresh seeded order (or the source order when `random` is null). */
  arrange(random: (() => number) | null): void {
    const { n } = this.split;
    if (random) permutation(n, random, this.order);
    else for (let i = 0; i < n; i++) this.order[i] = i;
    for (const { rowSize: f, source, out } of this.inputBuffers) {
      this.order.forEach((o, i) => out.set(source.subarray(o * f, (o + 1) * f), i * f));
    }
    for (const { source, out } of this.headBuffers) {
      this.order.forEach((o, i) => {
        out[i] = must(source[o], 'the order is a permutation of the split rows');
      });
    }
  }

  /** The input and target tensors (one per input, one per head) for rows [start, end) of the current order. */
  batch(start: number, end: number): { xs: tf.Tensor[]; ys: tf.Tensor[] } {
    const xs = this.inputBuffers.map(({ spec, rowSize, out }) => tf.tensor(out.subarray(start * rowSize, end * rowSize), [end - start, ...spec.shape], spec.dtype));
    return { xs, ys: this.headBuffers.map(({ task, out }) => targetTensor(out.subarray(start, end), task)) };
  }
}
