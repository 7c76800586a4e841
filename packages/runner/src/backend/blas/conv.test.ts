import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomValues } from '../wasm-kernels/test-support.ts';
import { setConvChunkFloats, setConvMethod, type ConvMethod } from './conv.ts';
import { expectBlasMatches, setupBlasBackends, type CountingBlas } from './test-support.ts';

let blas: CountingBlas;
beforeAll(async () => {
  blas = await setupBlasBackends();
});
afterEach(() => {
  setConvChunkFloats();
  setConvMethod();
});

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | number;
interface Case {
  x: Shape4;
  f: Shape4;
  stride: number | [number, number];
  pad: Pad;
}

const tensor4 = (shape: Shape4, seed: number) => tf.tensor4d(randomValues(shape.reduce((a, b) => a * b), seed), shape);

const cases: Case[] = [];
for (const stride of [1, 2])
  for (const pad of ['valid', 'same'] as const) {
    cases.push({ x: [1, 5, 5, 1], f: [3, 3, 1, 1], stride, pad });
    cases.push({ x: [3, 7, 6, 2], f: [3, 3, 2, 4], stride, pad });
    cases.push({ x: [2, 9, 5, 9], f: [2, 4, 9, 5], stride, pad });
    cases.push({ x: [2, 6, 6, 3], f: [1, 1, 3, 4], stride, pad });
  }
cases.push({ x: [2, 9, 7, 3], f: [3, 2, 3, 2], stride: [2, 1], pad: 'same' });
cases.push({ x: [2, 6, 5, 2], f: [2, 2, 2, 3], stride: 1, pad: 3 });
cases.push({ x: [2, 8, 7, 2], f: [3, 3, 2, 3], stride: 3, pad: 1 });
// One input channel, stride 1 along the width: the transposed heap patch matrix, with padding on every side.
cases.push({ x: [2, 9, 8, 1], f: [3, 2, 1, 4], stride: [2, 1], pad: 'same' });
cases.push({ x: [2, 6, 5, 1], f: [3, 3, 1, 3], stride: 1, pad: 2 });
cases.push({ x: [3, 11, 10, 1], f: [3, 3, 1, 5], stride: 1, pad: 'valid' });

/** The convolution, and the gradients of a weighted sum of it w.r.t. input and filter (Conv2DBackpropInput / Filter). */
function convAndGrads({ x, f, stride, pad }: Case): tf.Tensor[] {
  const [input, filter] = [tensor4(x, 31), tensor4(f, 32)];
  const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad);
  const out = conv(input, filter);
  const weights = tf.tensor(randomValues(out.size, 33), out.shape);
  return [out, ...tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), weights)))([input, filter])];
}

// Cases run on the heap patch matrix (any stride), shifted (one sgemm per tap), on the grid patch matrix or through the JS patch matrix as asked (strided ones: patch matrix), auto by channels and direction.
describe.each(['auto', 'patches', 'shifted', 'grid', 'im2col'] as ConvMethod[])('Conv2D and its backprops through BLAS (%s)', (method) => {
  it.each(cases)('values and gradients match cpu and XNNPACK: x=$x f=$f stride=$stride pad=$pad', async (c) => {
    setConvMethod(method);
    await expectBlasMatches(blas, () => convAndGrads(c));
  });

  it('gives the same results in chunks of images as in one piece', async () => {
    setConvMethod(method);
    // a few dozen floats per chunk: a chunk is one image here, the filter gradient accumulates over four
    setConvChunkFloats(3 * 36);
    await expectBlasMatches(blas, () => convAndGrads({ x: [4, 6, 6, 2], f: [3, 3, 2, 3], stride: 1, pad: 'same' }));
  });
});

describe('Conv2D on the grid patch matrix without cblas_somatcopy (a CBLAS other than OpenBLAS)', () => {
  it.each(cases.filter((c) => c.stride === 1))('values and gradients match cpu and XNNPACK: x=$x f=$f pad=$pad', async (c) => {
    setConvMethod('grid');
    const { omatcopy, ...withoutCopy } = blas.blas;
    expect(omatcopy).toBeDefined();
    await expectBlasMatches({ blas: withoutCopy, calls: blas.calls }, () => convAndGrads(c));
  });
});

describe('Conv2D through BLAS: dilation and fused epilogues', () => {
  it('takes dilations in the forward pass', async () => {
    await expectBlasMatches(blas, () => [tf.conv2d(tensor4([2, 9, 9, 3], 34), tensor4([3, 3, 3, 4], 35), 1, 'same', 'NHWC', 2)]);
  });

  it.each(['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu', 'prelu'] as const)('FusedConv2D: bias then %s, and its gradients, match cpu and XNNPACK', async (activation) => {
    await expectBlasMatches(blas, () => {
      const [x, filter, bias] = [tensor4([2, 7, 7, 3], 36), tensor4([3, 3, 3, 4], 37), tf.tensor1d(randomValues(4, 38))];
      const preluActivationWeights = activation === 'prelu' ? tf.tensor1d(randomValues(4, 39)) : undefined;
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.fused.conv2d({ x: a as tf.Tensor4D, filter: b as tf.Tensor4D, strides: 1, pad: 'same', bias: c, activation, preluActivationWeights, leakyreluAlpha: 0.3 });
      const out = f(tf.mul(x, 3), filter, bias);
      // tfjs differentiates only linear and relu fused activations
      if (activation !== 'linear' && activation !== 'relu') return [out];
      const w = tf.tensor(randomValues(out.size, 40), out.shape);
      return [out, ...tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(a, b, c), w)))([x, filter, bias])];
    });
  });
});
