import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adamRule, fusedOptimizer } from '../fused-optimizers/index.ts';
import { randomValues } from '../wasm-kernels/test-support.ts';
import { setConvMethod } from './conv.ts';
import { setBlasThreshold } from './gemm.ts';
import { dropKeptPatches } from './heap-patches.ts';
import { useBlas } from './register.ts';
import { setupBlasBackends, type CountingBlas } from './test-support.ts';

let blas: CountingBlas;
beforeAll(async () => {
  blas = await setupBlasBackends();
});
afterEach(() => {
  useBlas(null);
  setBlasThreshold();
  setConvMethod();
  dropKeptPatches();
});

const X: [number, number, number, number] = [2, 7, 6, 4];
const F: [number, number, number, number] = [3, 3, 4, 5];

/** dW of sum(conv(x, w) · weights) w.r.t. w, on the active backend. */
const filterGrad = (x: tf.Tensor, w: tf.Tensor, weights: tf.Tensor) =>
  tf.grad((b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), weights)))(w);

describe('the heap patch matrix kept from the forward pass', () => {
  it('is not kept outside gradients: an inference conv leaves only its output on the heap', async () => {
    await tf.setBackend('wasm');
    useBlas(blas.blas);
    setBlasThreshold(0);
    setConvMethod('patches');
    const [x, w] = [tf.tensor4d(randomValues(2 * 7 * 6 * 4, 61), X), tf.tensor4d(randomValues(3 * 3 * 4 * 5, 62), F)];
    const before = tf.engine().backend.numDataIds();
    const out = tf.conv2d(x, w, 1, 'same');
    expect(tf.engine().backend.numDataIds()).toBe(before + 1);
    tf.dispose([x, w, out]);
  });

  it('gives dW of the values x holds now, after the fused optimizer updated x in place (same dataId) since an earlier forward pass', async () => {
    const xs = randomValues(2 * 7 * 6 * 4, 63);
    const ws = randomValues(3 * 3 * 4 * 5, 64);
    const weightValues = randomValues(2 * 7 * 6 * 5, 65);
    // cpu: dW at x - 0.1·(Adam's first step: sign of the gradient, ~lr), computed from x's values after that step
    await tf.setBackend('wasm');
    useBlas(blas.blas);
    setBlasThreshold(0);
    setConvMethod('patches');
    const init = tf.tensor4d(xs, X);
    const x = tf.variable(init, true, 'heap-patches-x');
    // The variable's buffer its own, so the optimizer writes it in place.
    init.dispose();
    const w = tf.tensor4d(ws, F);
    const weights = tf.tensor4d(weightValues, [2, 7, 6, 5]);
    // A forward pass under gradients whose dW is never asked for: its patches stay kept.
    const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, w, 1, 'same'), weights)))(x);
    const optimizer = fusedOptimizer(0.1, adamRule({ beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }));
    if (optimizer === null) throw new Error('the fused optimizer runs on wasm');
    const dataId = x.dataId;
    optimizer.applyGradients({ 'heap-patches-x': dx });
    expect(x.dataId).toBe(dataId);
    const updated = Array.from(x.dataSync());
    const dW = Array.from(filterGrad(x, w, weights).dataSync());
    await tf.setBackend('cpu');
    const expected = Array.from(tf.tidy(() => filterGrad(tf.tensor4d(updated, X), tf.tensor4d(ws, F), tf.tensor4d(weightValues, [2, 7, 6, 5]))).dataSync());
    const worst = dW.reduce((m, v, i) => Math.max(m, Math.abs(v - (expected[i] ?? Number.NaN)) / (1 + Math.abs(expected[i] ?? 0))), 0);
    expect(worst).toBeLessThan(1e-4);
    await tf.setBackend('wasm');
    tf.dispose([x, w, weights, dx]);
    optimizer.dispose();
  });
});
