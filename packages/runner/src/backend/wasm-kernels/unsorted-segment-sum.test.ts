import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeOn, expectWasmMatchesCpu, randomValues, setupBackends } from './test-support.ts';

beforeAll(setupBackends);

describe('wasm UnsortedSegmentSum', () => {
  it('sums rows into segments and drops out-of-range ids', async () => {
    const [out] = await computeOn('wasm', () => [
      tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]), tf.tensor1d([2, 0, 2, 9], 'int32'), 3),
    ]);
    expect(out.shape).toEqual([3, 2]);
    expect(out.values).toEqual([3, 4, 0, 0, 6, 8]);
  });

  it('matches cpu on int32 rows of rank 2', async () => {
    await expectWasmMatchesCpu(() => [
      tf.unsortedSegmentSum(
        tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2], 'int32'),
        tf.tensor1d([3, 1], 'int32'),
        4,
      ),
    ]);
  });

  it.each([
    { vocab: 10, dim: 4, indices: [2, 5] },
    { vocab: 50, dim: 8, indices: [16, 12] },
    { vocab: 7, dim: 3, indices: [3, 4, 5] },
  ])('gives embedding (gather) gradients equal to cpu: vocab=$vocab dim=$dim indices=$indices', async ({ vocab, dim, indices }) => {
    const size = indices.reduce((a, b) => a * b);
    // Repeated ids on purpose: their gradients must accumulate.
    const ids = Array.from({ length: size }, (_, i) => (i * 7) % vocab);
    const table = randomValues(vocab * dim, 11);
    const upstream = randomValues(size * dim, 12);
    await expectWasmMatchesCpu(() => {
      const idx = tf.tensor(ids, indices, 'int32');
      const weights = tf.tensor(upstream, [...indices, dim]);
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, idx), weights)))(tf.tensor2d(table, [vocab, dim]));
      return [tf.gather(tf.tensor2d(table, [vocab, dim]), idx), grad];
    });
  });
});
