import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxPoolGradConfig } from './max-pool-grad.ts';
import { expectWasmMatchesCpu, randomValues, setupBackends } from './test-support.ts';

beforeAll(setupBackends);

type Shape4 = [number, number, number, number];
const cases: { x: Shape4; size: number | [number, number]; stride: number; pad: 'valid' | 'same' }[] = [];
for (const stride of [1, 2]) {
  for (const pad of ['valid', 'same'] as const) {
    cases.push({ x: [1, 5, 5, 1], size: 2, stride, pad });
    cases.push({ x: [3, 7, 6, 4], size: 3, stride, pad });
    cases.push({ x: [2, 9, 5, 3], size: [2, 3], stride, pad });
  }
}
// Tiling windows (the one-pass path), incl. a 'same' pool whose last window hangs over the edge.
cases.push({ x: [3, 8, 8, 16], size: 2, stride: 2, pad: 'valid' });
cases.push({ x: [2, 7, 5, 3], size: 2, stride: 2, pad: 'same' });
cases.push({ x: [2, 9, 9, 2], size: 3, stride: 3, pad: 'valid' });

describe('wasm MaxPoolGrad', () => {
  it('is Kiln\'s kernel, not the built-in one', () => {
    expect(tf.getKernel('MaxPoolGrad', 'wasm')?.kernelFunc).toBe(maxPoolGradConfig.kernelFunc);
  });

  it.each(cases)('matches cpu: x=$x size=$size stride=$stride pad=$pad', async ({ x, size, stride, pad }) => {
    const xs = randomValues(x.reduce((a, b) => a * b), 41);
    await expectWasmMatchesCpu(() => {
      const pool = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, size, stride, pad);
      const input = tf.tensor4d(xs, x);
      const out = pool(input);
      const weights = tf.tensor(randomValues(out.size, 42), out.shape);
      return [out, tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), weights)))(input)];
    });
  });

  it.each([
    { size: 2, stride: 2 },
    { size: 2, stride: 1 },
  ])('sends a tied window\'s gradient to its first maximum, like cpu: size=$size stride=$stride', async ({ size, stride }) => {
    await expectWasmMatchesCpu(() => {
      const input = tf.tensor4d([1, 1, 1, 1, 2, 0, 2, 2, 3, 3, 3, 3, 0, 0, 0, 0], [1, 4, 4, 1]);
      const pool = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, size, stride, 'valid');
      const weights = tf.tensor(randomValues(pool(input).size, 43), pool(input).shape);
      return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), weights)))(input)];
    });
  });
});
