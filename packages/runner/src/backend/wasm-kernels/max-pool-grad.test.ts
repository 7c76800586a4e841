import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxPoolGradConfig, scatterToMaxima } from './max-pool-grad.ts';
import { computeOn, expectWasmMatchesCpu, randomValues, setupBackends } from './test-support.ts';

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
// Tiling windows that leave the last row and column uncovered (MNIST's second pool: 11 -> 5), SIMD and tail channels.
cases.push({ x: [2, 11, 11, 9], size: 2, stride: 2, pad: 'valid' });
// The unrolled 2x2 kernel (channels a multiple of 4), with and without an uncovered last row and column.
cases.push({ x: [2, 11, 11, 8], size: 2, stride: 2, pad: 'valid' });
cases.push({ x: [3, 6, 4, 4], size: 2, stride: 2, pad: 'valid' });
// Seven channels: one SIMD group of four and a scalar tail of three; overlapping 'same' windows accumulate.
cases.push({ x: [2, 6, 7, 7], size: 3, stride: 1, pad: 'same' });
cases.push({ x: [2, 6, 7, 7], size: [3, 2], stride: 2, pad: 'same' });

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

  /** A 4x4 image whose windows tie (repeated values, +0 against -0), in every channel of `channels`, each channel scaled differently. */
  const tiedImage = (channels: number) => {
    const base = [1, 1, 1, 1, 2, 0, 2, 2, 3, 3, 3, 3, 0, -0, 0, 0];
    return tf.tensor4d(base.flatMap((v) => Array.from({ length: channels }, (_, c) => v * (c % 3 === 2 ? -1 : c + 1))), [1, 4, 4, channels]);
  };

  it.each([
    { size: 2, stride: 2, channels: 1 },
    { size: 2, stride: 1, channels: 1 },
    { size: 2, stride: 2, channels: 8 },
    { size: 3, stride: 1, channels: 6 },
  ])('sends a tied window\'s gradient to its first maximum, like cpu: size=$size stride=$stride channels=$channels', async ({ size, stride, channels }) => {
    await expectWasmMatchesCpu(() => {
      const input = tiedImage(channels);
      const pool = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, size, stride, 'valid');
      const weights = tf.tensor(randomValues(pool(input).size, 43), pool(input).shape);
      return [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), weights)))(input)];
      // Exact: a gradient sent to another tied position would be off by a whole dy value.
    }, 1e-7);
  });

  it.each([5, 8])('sends no gradient from a window of -Infinity or NaN, and skips NaN beside a maximum, like cpu (%i channels)', async (channels) => {
    const dy = tf.tensor4d(randomValues(4 * channels, 44), [1, 2, 2, channels]);
    const values = [-Infinity, NaN, -Infinity, -Infinity, NaN, 2, NaN, 1, -Infinity, NaN, 0.5, -Infinity];
    const x = tf.tensor4d(Array.from({ length: 4 * 4 * channels }, (_, i) => values[(i * 7) % values.length] ?? 0), [1, 4, 4, channels]);
    const attrs = { filterSize: 2, strides: 2, pad: 'valid' };
    // The kernel reads each window's maximum from the forward output (where it is not NaN): the backend's own MaxPool.
    const grad = () => [tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: tf.maxPool(x, 2, 2, 'valid') }, attrs) as tf.Tensor];
    const expected = await computeOn('cpu', grad);
    const actual = await computeOn('wasm', grad);
    expect(actual[0]?.values.map(String)).toEqual(expected[0]?.values.map(String));
    tf.dispose([dy, x]);
  });

  it('runs the JS fallback (other dtypes) to the same gradients', async () => {
    const xs = randomValues(2 * 7 * 5 * 6, 45);
    const dys = randomValues(2 * 3 * 2 * 6, 46);
    await tf.setBackend('cpu');
    const expected = tf.tidy(() => {
      const attrs = { filterSize: [3, 2], strides: 2, pad: 'valid' };
      return Array.from((tf.engine().runKernel('MaxPoolGrad', { dy: tf.tensor4d(dys, [2, 3, 2, 6]), input: tf.tensor4d(xs, [2, 7, 5, 6]), output: tf.tensor4d(xs, [2, 7, 5, 6]) }, attrs) as tf.Tensor).dataSync());
    });
    const info = tf.backend_util.computePool2DInfo([2, 7, 5, 6], [3, 2], 2, 1, 'valid');
    const dx = new Float32Array(xs.length);
    scatterToMaxima(info, xs, dys, dx);
    expect(Array.from(dx)).toEqual(expected);
  });
});
