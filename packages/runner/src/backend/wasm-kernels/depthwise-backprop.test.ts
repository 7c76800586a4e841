import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectWasmMatchesCpu, randomValues, setupBackends } from './test-support.ts';

beforeAll(setupBackends);

type Shape4 = [number, number, number, number];
const cases: { x: Shape4; f: Shape4; stride: number; pad: 'valid' | 'same' }[] = [];
for (const stride of [1, 2]) {
  for (const pad of ['valid', 'same'] as const) {
    cases.push({ x: [1, 5, 5, 1], f: [3, 3, 1, 1], stride, pad });
    cases.push({ x: [3, 7, 6, 2], f: [3, 3, 2, 2], stride, pad });
    cases.push({ x: [2, 9, 5, 4], f: [2, 4, 4, 3], stride, pad });
  }
}

describe('wasm depthwise conv gradients', () => {
  it('are registered for wasm', () => {
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('DepthwiseConv2dNativeBackpropInput', 'wasm')).toBeDefined();
  });

  it.each(cases)('match cpu: x=$x f=$f stride=$stride pad=$pad', async ({ x, f, stride, pad }) => {
    const xs = randomValues(x.reduce((a, b) => a * b), 21);
    const fs = randomValues(f.reduce((a, b) => a * b), 22);
    await expectWasmMatchesCpu(() => {
      const conv = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.depthwiseConv2d(a, b, stride, pad);
      const input = tf.tensor4d(xs, x);
      const filter = tf.tensor4d(fs, f);
      const out = conv(input, filter);
      const weights = tf.tensor(randomValues(out.size, 23), out.shape);
      const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), weights)))([input, filter]);
      return [out, ...grads];
    });
  });

  it('match cpu through a separable conv', async () => {
    await expectWasmMatchesCpu(() => {
      const input = tf.tensor4d(randomValues(2 * 8 * 8 * 3, 24), [2, 8, 8, 3]);
      const depth = tf.tensor4d(randomValues(3 * 3 * 3 * 2, 25), [3, 3, 3, 2]);
      const point = tf.tensor4d(randomValues(6 * 5, 26), [1, 1, 6, 5]);
      const loss = (a: tf.Tensor, d: tf.Tensor, p: tf.Tensor) =>
        tf.sum(tf.square(tf.separableConv2d(a as tf.Tensor4D, d as tf.Tensor4D, p as tf.Tensor4D, 1, 'same')));
      return tf.grads(loss)([input, depth, point]);
    });
  });
});
