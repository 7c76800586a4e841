/** The padding mask tfjs hands a layer: one tensor, or one per input (the executor passes a list even for one input). */
import type * as tf from '@tensorflow/tfjs-core';

export type MaskArg = tf.Tensor | (tf.Tensor | null | undefined)[] | null | undefined;

/** The [batch, steps] padding mask of a single-input layer, if one came with the input. */
export function paddingOf(mask: MaskArg): tf.Tensor2D | undefined {
  const m = Array.isArray(mask) ? mask[0] : mask;
  return (m ?? undefined) as tf.Tensor2D | undefined;
}

/** computeMask of a layer whose output keeps its input's steps: the input's padding mask, unchanged. */
export function carryMask(mask: MaskArg): tf.Tensor {
  // tfjs' own signature says Tensor, but null (no mask) is what its layers return too.
  return paddingOf(mask) ?? (null as unknown as tf.Tensor);
}
