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

  it('sends a tied window\'s gradient to its first maximum, like cpu', async () => {
    await expectWasmMatchesCpu(() => {
      const input = tf.tensor4d([1, 1, 1, 1, 2, 0, 2, 2, 3, 3, 3, 3, 0, 0, 0, 0], [1, 4, 4, 1]);
      return [tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid')))(input)];
    });
  });
});
