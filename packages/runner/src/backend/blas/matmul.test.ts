import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomValues } from '../wasm-kernels/test-support.ts';
import { computeWithBlas, expectBlasMatches, setupBlasBackends, type CountingBlas } from './test-support.ts';

let blas: CountingBlas;
beforeAll(async () => {
  blas = await setupBlasBackends();
});

const tensor = (shape: number[], seed: number) => tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);

/** Shapes of a and b for op(a)·op(b) = [.., m, k]·[.., k, n] under the transposes. */
function operands(m: number, k: number, n: number, tA: boolean, tB: boolean, batchA: number[], batchB: number[]): [number[], number[]] {
  return [[...batchA, ...(tA ? [k, m] : [m, k])], [...batchB, ...(tB ? [n, k] : [k, n])]];
}

const cases: { tA: boolean; tB: boolean; batchA: number[]; batchB: number[] }[] = [];
for (const tA of [false, true])
  for (const tB of [false, true])
    for (const [batchA, batchB] of [[[], []], [[3], [3]], [[3], [1]], [[1], [3]], [[2, 2], [2, 2]]] as [number[], number[]][]) cases.push({ tA, tB, batchA, batchB });

describe('BatchMatMul through BLAS', () => {
  it.each(cases)('values and both gradients match cpu and XNNPACK: transposeA=$tA transposeB=$tB batch $batchA x $batchB', async ({ tA, tB, batchA, batchB }) => {
    const [aShape, bShape] = operands(7, 13, 5, tA, tB, batchA, batchB);
    await expectBlasMatches(blas, () => {
      const [a, b] = [tensor(aShape, 1), tensor(bShape, 2)];
      const f = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, tA, tB);
      const out = f(a, b);
      const w = tensor(out.shape, 3);
      // tfjs 4.22's gradient does not sum a broadcast batch back (it fails on cpu too): values only there.
      if (batchA.join() !== batchB.join()) return [out];
      // tfjs computes these gradients as matMuls with transposes: the backward pass runs on BLAS too.
      return [out, ...tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(f(x, y), w)))([a, b])];
    });
  });

  it('computes a dense layer\'s product and its gradients with one sgemm each', async () => {
    const { calls } = await computeWithBlas(blas, () => {
      const [x, w] = [tensor([64, 100], 4), tensor([100, 30], 5)];
      return tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.matMul(a, b)))([x, w]);
    });
    // forward, dx = dy·wᵀ, dw = xᵀ·dy
    expect(calls).toBe(3);
  });

  it('leaves an empty inner dimension as zeros, like tfjs', async () => {
    const { results } = await computeWithBlas(blas, () => [tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 4]))]);
    expect(results[0]?.values).toEqual(new Array(12).fill(0));
  });
});

const activations = ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu', 'prelu'] as const;

describe('_FusedMatMul through BLAS', () => {
  it.each(activations.flatMap((activation) => [false, true].map((tB) => ({ activation, tB }))))('bias then $activation matches cpu and XNNPACK (transposeB=$tB)', async ({ activation, tB }) => {
    await expectBlasMatches(blas, () => {
      const [aShape, bShape] = operands(9, 11, 6, false, tB, [], []);
      // scaled up so that relu6 clips and every activation sees both signs
      const [a, b] = [tf.mul(tensor(aShape, 6), 4), tensor(bShape, 7)];
      const bias = tensor([6], 8);
      const preluActivationWeights = activation === 'prelu' ? tensor([6], 9) : undefined;
      return [tf.fused.matMul({ a, b, transposeB: tB, bias, activation, preluActivationWeights, leakyreluAlpha: 0.3 })];
      // tfjs-backend-wasm 4.22's own _FusedMatMul is wrong with transposeB (rows past the first are off): cpu only there.
    }, { xnnpack: !tB });
  });

  it.each([{ activation: 'linear' as const }, { activation: 'relu' as const }])('gradients through a fused dense layer ($activation) match cpu and XNNPACK', async ({ activation }) => {
    await expectBlasMatches(blas, () => {
      const [x, w, bias] = [tensor([8, 12], 10), tensor([12, 5], 11), tensor([5], 12)];
      const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation });
      const weights = tensor([8, 5], 13);
      return [f(x, w, bias), ...tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(f(a, b, c), weights)))([x, w, bias])];
    });
  });
});
