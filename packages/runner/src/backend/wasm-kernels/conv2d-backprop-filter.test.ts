import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectWasmMatchesCpu, randomValues, setupBackends } from './test-support.ts';

beforeAll(setupBackends);

type Shape4 = [number, number, number, number];
const cases: { x: Shape4; f: Shape4; stride: number | [number, number]; pad: 'valid' | 'same' }[] = [];
for (const stride of [1, 2]) {
  for (const pad of ['valid', 'same'] as const) {
    cases.push({ x: [1, 5, 5, 1], f: [3, 3, 1, 1], stride, pad });
    cases.push({ x: [3, 7, 6, 2], f: [3, 3, 2, 4], stride, pad });
    cases.push({ x: [2, 9, 5, 3], f: [2, 4, 3, 5], stride, pad });
    cases.push({ x: [4, 8, 8, 16], f: [3, 3, 16, 8], stride, pad });
  }
}
cases.push({ x: [2, 9, 7, 3], f: [3, 2, 3, 2], stride: [2, 1], pad: 'same' });

describe('wasm Conv2DBackpropFilter', () => {
  it('is registered for wasm', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each(cases)('matches cpu: x=$x f=$f stride=$stride pad=$pad', async ({ x, f, stride, pad }) => {
    const xs = randomValues(x.reduce((a, b) => a * b), 1);
    const fs = randomValues(f.reduce((a, b) => a * b), 2);
    await expectWasmMatchesCpu(() => {
      const input = tf.tensor4d(xs, x);
      const filter = tf.tensor4d(fs, f);
      const conv = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, stride, pad);
      const out = conv(input, filter);
      // A non-uniform upstream gradient so every dy element matters.
      const weights = tf.tensor(randomValues(out.size, 3), out.shape);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), weights)))([input, filter]);
      return [out, ...grads];
    });
  });

  it('computes the filter gradient directly, as the kernel', async () => {
    await expectWasmMatchesCpu(() => {
      const x = tf.tensor4d(randomValues(2 * 6 * 5 * 3, 4), [2, 6, 5, 3]);
      const dy = tf.tensor4d(randomValues(2 * 3 * 3 * 4, 5), [2, 3, 3, 4]);
      return [tf.conv2d(x, tf.ones([3, 3, 3, 4]), 2, 'same'), tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, 2, 'same'), dy)))(tf.zeros([3, 3, 3, 4]))];
    });
  });
});
