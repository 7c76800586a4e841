import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.ts';
import { expectWasmMatchesCpu, randomValues, setupBackends } from './test-support.ts';

beforeAll(setupBackends);

type Shape4 = [number, number, number, number];
type Pad = 'valid' | 'same' | number;
const cases: { x: Shape4; f: Shape4; stride: number | [number, number]; pad: Pad }[] = [];
for (const stride of [1, 2]) {
  for (const pad of ['valid', 'same'] as const) {
    cases.push({ x: [1, 5, 5, 1], f: [3, 3, 1, 1], stride, pad });
    cases.push({ x: [3, 7, 6, 2], f: [3, 3, 2, 4], stride, pad });
    cases.push({ x: [2, 9, 5, 3], f: [2, 4, 3, 5], stride, pad });
    cases.push({ x: [4, 13, 13, 16], f: [3, 3, 16, 32], stride, pad });
  }
}
cases.push({ x: [2, 9, 7, 3], f: [3, 2, 3, 2], stride: [2, 1], pad: 'same' });
// Padding wider than the kernel makes the kernel crop dy instead of padding it.
cases.push({ x: [2, 6, 5, 2], f: [2, 2, 2, 3], stride: 1, pad: 3 });
cases.push({ x: [2, 8, 7, 2], f: [3, 3, 2, 3], stride: 3, pad: 1 });

describe('wasm Conv2DBackpropInput', () => {
  it('is Kiln\'s XNNPACK-based kernel, not the built-in loop', () => {
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2dBackpropInputConfig.kernelFunc);
  });

  it.each(cases)('input gradient matches cpu: x=$x f=$f stride=$stride pad=$pad', async ({ x, f, stride, pad }) => {
    const xs = randomValues(x.reduce((a, b) => a * b), 31);
    const fs = randomValues(f.reduce((a, b) => a * b), 32);
    await expectWasmMatchesCpu(() => {
      const input = tf.tensor4d(xs, x);
      const filter = tf.tensor4d(fs, f);
      const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad);
      const out = conv(input, filter);
      const weights = tf.tensor(randomValues(out.size, 33), out.shape);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), weights)))([input, filter]);
      return [out, ...grads];
    });
  });

  it.each([
    { x: [2, 5, 4, 3] as Shape4, stride: 2, pad: 'same' as const },
    { x: [1, 6, 6, 4] as Shape4, stride: 1, pad: 'valid' as const },
  ])('runs conv2dTranspose and its gradients like cpu: x=$x stride=$stride pad=$pad', async ({ x, stride, pad }) => {
    const [n, h, w, c] = x;
    const outH = pad === 'same' ? h * stride : (h - 1) * stride + 3;
    const outW = pad === 'same' ? w * stride : (w - 1) * stride + 3;
    const xs = randomValues(x.reduce((a, b) => a * b), 34);
    const fs = randomValues(3 * 3 * 2 * c, 35);
    await expectWasmMatchesCpu(() => {
      const up = (a: tf.Tensor, b: tf.Tensor) =>
        tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [n, outH, outW, 2], stride, pad);
      const input = tf.tensor4d(xs, x);
      const filter = tf.tensor4d(fs, [3, 3, 2, c]);
      const out = up(input, filter);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(up(a, b))))([input, filter]);
      return [out, ...grads];
    });
  });
});
