import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeWithBlas, setupBlasBackends, type CountingBlas } from '../blas/test-support.ts';
import { useBlas } from '../blas/register.ts';
import { convBiasActivation, convBiasActivationFits, KILN_CONV_BIAS_ACTIVATION, KILN_RELU_BIAS_GRAD, type ConvActivation } from './conv-bias-activation.ts';
import { computeOn, expectSameResults, randomValues } from './test-support.ts';

let blas: CountingBlas;
beforeAll(async () => {
  blas = await setupBlasBackends();
});
afterAll(() => useBlas(null));

type Shape4 = [number, number, number, number];
interface Case {
  x: Shape4;
  f: Shape4;
  strides: [number, number];
  pad: 'valid' | 'same';
  activation: ConvActivation;
  bias: boolean;
}

const tensor = (shape: number[], seed: number) => tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);

/** The output, and the gradients of a weighted sum of it w.r.t. x, filter and bias: fused on wasm, tfjs' ops on cpu. */
function outputsAndGrads(c: Case, fused: boolean): tf.Tensor[] {
  const [x, w, b] = [tensor(c.x, 11), tensor(c.f, 12), tensor([c.f[3]], 13)] as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D];
  const forward = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) => {
    if (fused) return convBiasActivation(xs, ws, c.bias ? bs : null, c.strides, c.pad, c.activation);
    const conv = tf.conv2d(xs as tf.Tensor4D, ws as tf.Tensor4D, c.strides, c.pad);
    const biased = c.bias ? tf.add(conv, bs) : conv;
    return c.activation === 'relu' ? tf.relu(biased) : biased;
  };
  const y = forward(x, w, b);
  const weights = tensor(y.shape, 14);
  const loss = (xs: tf.Tensor, ws: tf.Tensor, bs?: tf.Tensor) => tf.sum(tf.mul(forward(xs, ws, bs ?? b), weights));
  // Without a bias, b does not reach the loss, and tf.grads refuses it.
  const grads = c.bias ? tf.grads(loss)([x, w, b]) : tf.grads((xs: tf.Tensor, ws: tf.Tensor) => loss(xs, ws))([x, w]);
  return [y, ...grads];
}

const cases: Case[] = [];
for (const activation of ['relu', 'linear'] as const)
  for (const pad of ['valid', 'same'] as const) {
    // MNIST conv1's shape class (one channel: the transposed heap patch matrix), conv2's (4+ channels: heap patches),
    // 3 channels (XNNPACK forward), strided, 5 output channels (the SIMD loops' scalar tail).
    cases.push({ x: [3, 9, 8, 1], f: [3, 3, 1, 4], strides: [1, 1], pad, activation, bias: true });
    cases.push({ x: [2, 7, 6, 8], f: [3, 3, 8, 5], strides: [1, 1], pad, activation, bias: true });
    cases.push({ x: [2, 7, 7, 3], f: [2, 3, 3, 6], strides: [2, 1], pad, activation, bias: activation === 'relu' });
  }

describe('convolution with its bias and activation in one wasm kernel', () => {
  it.each(cases)('matches tfjs on cpu, values and gradients, through BLAS and XNNPACK: %j', async (c) => {
    const expected = await computeOn('cpu', () => outputsAndGrads(c, false));
    useBlas(null);
    const xnnpack = await computeOn('wasm', () => outputsAndGrads(c, true));
    const { results: withBlas, calls } = await computeWithBlas(blas, () => outputsAndGrads(c, true));
    expect(calls).toBeGreaterThan(0);
    expectSameResults(xnnpack, expected, 1e-4);
    expectSameResults(withBlas, expected, 1e-4);
  });

  it('runs as one forward kernel and one activation-gradient pass, without the first input\'s gradient', async () => {
    await tf.setBackend('wasm');
    const [x, w, b] = [tensor([2, 6, 6, 1], 21), tensor([3, 3, 1, 4], 22), tensor([4], 23)];
    const wv = tf.variable(w);
    const bv = tf.variable(b);
    const profile = await tf.profile(() => tf.variableGrads(() => tf.sum(convBiasActivation(x, wv, bv, [1, 1], 'valid', 'relu')) as tf.Scalar, [wv, bv]).value);
    const names = profile.kernelNames;
    expect(names).toContain(KILN_CONV_BIAS_ACTIVATION);
    expect(names).toContain(KILN_RELU_BIAS_GRAD);
    expect(names).toContain('Conv2DBackpropFilter');
    for (const unfused of ['Add', 'Relu', 'Step', 'Conv2DBackpropInput', 'KilnReluGrad']) expect(names).not.toContain(unfused);
    tf.dispose([x, w, b, wv, bv]);
  });

  it('passes NaN, and gives tfjs\' step at 0 and NaN in the gradient, through the SIMD epilogue', async () => {
    const xs = [-1, 0, 2, NaN, 3, -Infinity, Infinity, 1e-30];
    const run = (fused: boolean) => () => {
      const x = tf.tensor4d(xs, [1, 2, 4, 1]);
      const w = tf.ones([1, 1, 1, 1]) as tf.Tensor4D;
      const f = (a: tf.Tensor) => (fused ? convBiasActivation(a, w, null, [1, 1], 'valid', 'relu') : tf.relu(tf.conv2d(a as tf.Tensor4D, w, 1, 'valid')));
      return [f(x), tf.grad((a: tf.Tensor) => tf.sum(f(a)))(x)];
    };
    const { results } = await computeWithBlas(blas, run(true));
    const cpu = await computeOn('cpu', run(false));
    expect(results.map((r) => r.values.map(String))).toEqual(cpu.map((r) => r.values.map(String)));
  });

  it('does not apply off wasm', async () => {
    await tf.setBackend('cpu');
    const x = tensor([1, 4, 4, 1], 31);
    expect(convBiasActivationFits(x)).toBe(false);
    await tf.setBackend('wasm');
    expect(convBiasActivationFits(x)).toBe(true);
    expect(convBiasActivationFits(tf.cast(x, 'int32'))).toBe(false);
    x.dispose();
  });
});
