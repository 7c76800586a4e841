/** Gradient clipping, done on the backend so it never forces a sync. */
import * as tf from '@tensorflow/tfjs-core';

export interface ClipSpec {
  norm?: number;
  value?: number;
}

/** Clips a gradient map: each element to [-value, value], then the global L2 norm to `norm`. Disposes the inputs it replaces. */
export function clipGradients(grads: tf.NamedTensorMap, clip: ClipSpec | undefined): tf.NamedTensorMap {
  if (!clip || (clip.norm === undefined && clip.value === undefined)) return grads;
  const out = tf.tidy(() => {
    let g: tf.NamedTensorMap = { ...grads };
    if (clip.value !== undefined) {
      const v = clip.value;
      g = Object.fromEntries(Object.entries(g).map(([k, t]) => [k, tf.clipByValue(t, -v, v)]));
    }
    if (clip.norm !== undefined) {
      const max = clip.norm;
      const sq = Object.values(g).map((t) => tf.sum(tf.square(t)));
      const norm = tf.sqrt(tf.addN(sq));
      // scale = max / max(norm, max): 1 when the norm is within bounds, no branch, no read-back.
      const scale = tf.div(max, tf.maximum(norm, max));
      g = Object.fromEntries(Object.entries(g).map(([k, t]) => [k, tf.mul(t, scale)]));
    }
    return g;
  });
  tf.dispose(Object.values(grads));
  return out;
}
