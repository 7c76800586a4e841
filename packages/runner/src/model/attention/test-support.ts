/** Shared helpers of the attention tests: a plain-loop reference, a layer with known weights, a finite-difference gradient check. */
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { must } from '@kiln/core/errors';
import { MultiHeadAttention, TransformerEncoder } from './layers.ts';

/** Deterministic small numbers. */
export const fill = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + k) * 0.5);

/** Row i of a list; a missing row is a bug in the test. */
export const rowOf = <T>(m: readonly T[], i: number): T => must(m[i], `no row ${i}`);

/** Element [i][j] of a matrix; a missing element is a bug in the test. */
export const at = (m: readonly (readonly number[])[], i: number, j: number): number => must(m[i]?.[j], `no element [${i}][${j}]`);

/** Asserts two matrices have the same shape and agree elementwise to `digits` decimals. */
export function expectRowsClose(got: readonly (readonly number[])[], want: readonly (readonly number[])[], digits = 4): void {
  expect(got.map((row) => row.length)).toEqual(want.map((row) => row.length));
  got.forEach((row, i) => row.forEach((v, j) => expect(v, `step ${i} feature ${j}`).toBeCloseTo(at(want, i, j), digits)));
}

/** Plain-loop multi-head self-attention on one example: the reference the layer must match. Keys where `real` is false are skipped. */
export function reference(x: number[][], w: number[][][], b: number[][], heads: number, k: number, causal: boolean, real?: boolean[]): number[][] {
  const mm = (a: number[][], m: number[][], bias: number[]) =>
    a.map((row) => rowOf(m, 0).map((_, j) => row.reduce((s, v, i) => s + v * at(m, i, j), rowOf(bias, j))));
  const project = (r: number) => mm(x, rowOf(w, r), rowOf(b, r));
  const [q, key, v] = [project(0), project(1), project(2)];
  const t = x.length;
  const context = x.map(() => new Array<number>(heads * k).fill(0));
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < t; i++) {
      const scores = Array.from({ length: t }, (_, j) => ((causal && j > i) || real?.[j] === false ? -Infinity : Array.from({ length: k }, (_, c) => at(q, i, h * k + c) * at(key, j, h * k + c)).reduce((s, z) => s + z, 0) / Math.sqrt(k)));
      const max = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - max));
      const sum = e.reduce((s, z) => s + z, 0);
      const out = rowOf(context, i);
      e.forEach((ej, j) => {
        for (let c = 0; c < k; c++) out[h * k + c] = at(context, i, h * k + c) + (ej / sum) * at(v, j, h * k + c);
      });
    }
  }
  return mm(context, rowOf(w, 3), rowOf(b, 3));
}

/** A built MultiHeadAttention on input [1, t, d] with known weights, and those weights as arrays. */
export function knownAttention(t: number, d: number, heads: number, k: number, causal: boolean) {
  const layer = new MultiHeadAttention({ numHeads: heads, keyDim: k, causal, seed: 1 });
  layer.build([null, t, d]);
  const shapes = [[d, heads * k], [heads * k], [d, heads * k], [heads * k], [d, heads * k], [heads * k], [heads * k, d], [d]];
  const values = shapes.map((s, i) => fill(s.reduce((a, z) => a * z, 1), i));
  layer.setWeights(values.map((v, i) => tf.tensor(v, shapes[i])));
  const as2d = (v: number[], rows: number, cols: number) => Array.from({ length: rows }, (_, r) => v.slice(r * cols, (r + 1) * cols));
  const w = [0, 2, 4].map((i) => as2d(rowOf(values, i), d, heads * k)).concat([as2d(rowOf(values, 6), heads * k, d)]);
  const b = [1, 3, 5, 7].map((i) => rowOf(values, i));
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
  const scalar = (s: tf.Tensor) => must(s.dataSync()[0], 'a loss is one value');
  for (const i of [0, 3, t * d - 1]) {
    const nudged = (delta: number) => {
      const copy = Float32Array.from(xv);
      copy[i] = must(xv[i], 'i < t * d') + delta;
      return tf.tensor(copy, x.shape);
    };
    const numeric = (scalar(f(nudged(eps))) - scalar(f(nudged(-eps)))) / (2 * eps);
    expect(Math.abs(must(dx[i], 'dx has the input shape') - numeric)).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
  }
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => f(x), vars);
  for (const v of vars) {
    const g = must(grads[v.name], 'variableGrads gives every variable a gradient').dataSync();
    const orig = v.dataSync().slice();
    const i = orig.length - 1;
    const lossWith = (delta: number) => {
      const copy = Float32Array.from(orig);
      copy[i] = must(orig[i], 'i is the last index') + delta;
      v.assign(tf.tensor(copy, v.shape));
      return scalar(f(x));
    };
    const numeric = (lossWith(eps) - lossWith(-eps)) / (2 * eps);
    v.assign(tf.tensor(orig, v.shape));
    expect(Math.abs(must(g[i], 'the gradient has the variable shape') - numeric), v.name).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
  }
  expect(vars.length).toBeGreaterThan(0);
}
