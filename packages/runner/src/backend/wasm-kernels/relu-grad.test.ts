import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { KILN_RELU_GRAD } from './relu-grad.ts';
import { computeOn, expectWasmMatchesCpu, randomValues, setupBackends } from './test-support.ts';

beforeAll(setupBackends);

describe('ReLU gradient in one wasm pass', () => {
  it('is what the registered gradient runs on wasm', async () => {
    await tf.setBackend('wasm');
    const kernels: string[] = [];
    const x = tf.tensor1d([-1, 2, 0, 3]);
    const profile = await tf.profile(() => tf.grad((a: tf.Tensor) => tf.sum(tf.relu(a)))(x));
    kernels.push(...profile.kernelNames);
    expect(kernels).toContain(KILN_RELU_GRAD);
    expect(kernels).not.toContain('Step');
    x.dispose();
  });

  it.each([[7], [4, 4], [3, 5, 5, 6]])('matches cpu on shape %j (SIMD lanes and the scalar tail)', async (...shape) => {
    const xs = randomValues(shape.reduce((a, b) => a * b), 71);
    const weights = randomValues(xs.length, 72);
    await expectWasmMatchesCpu(() => [tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.relu(a), tf.tensor(weights, shape))))(tf.tensor(xs, shape))], 1e-7);
  });

  it('gives 0 at 0 and below, dy above, NaN for NaN, as tfjs\' Step·dy does', async () => {
    const x = [-Infinity, -1, -0, 0, 1e-30, 2, Infinity, NaN, 5];
    const dy = [1, 2, 3, -4, 5, -6, 7, 8, Infinity];
    const grad = () => [tf.engine().runKernel(KILN_RELU_GRAD, { dy: tf.tensor1d(dy), x: tf.tensor1d(x) }) as tf.Tensor];
    const [actual] = await computeOn('wasm', grad);
    expect(actual?.values.map(String)).toEqual(['0', '0', '0', '-0', '5', '-6', '7', 'NaN', 'Infinity'].map((v) => String(Number(v))));
  });

  it('has a second derivative, as tfjs\' does', async () => {
    const xs = randomValues(12, 73);
    await expectWasmMatchesCpu(() => {
      const f = (a: tf.Tensor) => tf.sum(tf.mul(tf.grad((b: tf.Tensor) => tf.sum(tf.square(tf.relu(b))))(a), a));
      return [tf.grad(f)(tf.tensor1d(xs))];
    }, 1e-6);
  });
});
