/** Shared helpers of the attention tests: a plain-loop reference, a layer with known weights, a finite-difference gradient check. */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { MultiHeadAttention, TransformerEncoder } from './layers.ts';

/** Deterministic small numbers. */
export const fill = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + k) * 0.5);

/** Plain-loop multi-head self-attention on one example: the reference the layer must match. Keys where `real` is false are skipped. */
export function reference(x: number[][], w: number[][][], b: number[][], heads: number, k: number, causal: boolean, real?: boolean[]): number[][] {
  const mm = (a: number[][], m: number[][], bias: number[]) => a.map((row) => m[0].map((_, j) => row.reduce((s, v, i) => s + v * m[i][j], bias[j])));
  const [q, key, v] = [0, 1, 2].map((r) => mm(x, w[r], b[r]));
  const t = x.length;
  const context = x.map(() => new Array<number>(heads * k).fill(0));
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < t; i++) {
      const scores = Array.from({ length: t }, (_, j) => ((causal && j > i) || real?.[j] === false ? -Infinity : Array.from({ length: k }, (_, c) => q[i][h * k + c] * key[j][h * k + c]).reduce((s, z) => s + z, 0) / Math.sqrt(k)));
      const max = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - max));
      const sum = e.reduce((s, z) => s + z, 0);
      for (let j = 0; j < t; j++) for (let c = 0; c < k; c++) context[i][h * k + c] += (e[j] / sum) * v[j][h * k + c];
    }
  }
  return mm(context, w[3], b[3]);
}

/** A built MultiHeadAttention on input [1, t, d] with known weights, and those weights as arrays. */
export function knownAttention(t: number, d: number, heads: number, k: number, causal: boolean) {
  const layer = new MultiHeadAttention({ numHeads: heads, keyDim: k, causal, seed: 1 });
  layer.build([null, t, d]);
  const shapes = [[d, heads * k], [heads * k], [d, heads * k], [heads * k], [d, heads * k], [heads * k], [heads * k, d], [d]];
  const values = shapes.map((s, i) => fill(s.reduce((a, z) => a * z, 1), i));
  layer.setWeights(values.map((v, i) => tf.tensor(v, shapes[i])));
  const as2d = (v: number[], rows: number, cols: number) => Array.from({ length: rows }, (_, r) => v.slice(r * cols, (r + 1) * cols));
  const w = [0, 2, 4].map((i) => as2d(values[i], d, heads * k)).concat([as2d(values[6], heads * k, d)]);
  const b = [1, 3, 5, 7].map((i) => values[i]);
  return { layer, w, b };
}

/** Autodiff gradient of sum(out * r) against central finite differences of step `eps`, for the input and every weight (with a padding mask if given). */
export function checkGradients(layer: MultiHeadAttention | TransformerEncoder, t: number, d: number, mask?: tf.Tensor2D, eps = 1e-2): void {
  const x = tf.tensor3d([Array.from({ length: t }, (_, i) => fill(d, 20 + i))]);
  const kwargs = mask ? { mask } : {};
  layer.apply(x, kwargs);
  const r = tf.tensor(fill(t * d, 99), [1, t, d]);
  const f = (xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx, kwargs) as tf.Tensor, r)) as tf.Scalar;
  const dx = tf.grad(f)(x).dataSync();
  const xv = x.dataSync();
  for (const i of [0, 3, t * d - 1]) {
    const plus = Float32Array.from(xv);
    const minus = Float32Array.from(xv);
    plus[i] += eps;
    minus[i] -= eps;
    const numeric = (f(tf.tensor(plus, x.shape)).dataSync()[0] - f(tf.tensor(minus, x.shape)).dataSync()[0]) / (2 * eps);
    expect(Math.abs(dx[i] - numeric)).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
  }
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => f(x), vars);
  for (const v of vars) {
    const g = grads[v.name].dataSync();
    const orig = v.dataSync().slice();
    const i = orig.length - 1;
    const at = (delta: number) => {
      const copy = Float32Array.from(orig);
      copy[i] += delta;
      v.assign(tf.tensor(copy, v.shape));
      return f(x).dataSync()[0];
    };
    const numeric = (at(eps) - at(-eps)) / (2 * eps);
    v.assign(tf.tensor(orig, v.shape));
    expect(Math.abs(g[i] - numeric), v.name).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
  }
  expect(vars.length).toBeGreaterThan(0);
}
