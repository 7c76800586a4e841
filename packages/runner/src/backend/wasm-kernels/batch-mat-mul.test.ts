import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchMatMulConfig } from './batch-mat-mul.ts';
import { expectWasmMatchesCpu, randomValues, setupBackends } from './test-support.ts';

beforeAll(setupBackends);

const cases: { a: number[]; b: number[]; ta: boolean; tb: boolean }[] = [];
for (const ta of [false, true]) {
  for (const tb of [false, true]) {
    // Shapes (m, k, n) chosen so both the direct and the swapped route get taken.
    for (const [m, k, n] of [[3, 5, 4], [64, 40, 7], [7, 40, 64], [1, 9, 1]] as const) {
      cases.push({ a: ta ? [k, m] : [m, k], b: tb ? [n, k] : [k, n], ta, tb });
      cases.push({ a: ta ? [2, k, m] : [2, m, k], b: tb ? [2, n, k] : [2, k, n], ta, tb });
      cases.push({ a: ta ? [3, k, m] : [3, m, k], b: tb ? [1, n, k] : [1, k, n], ta, tb });
    }
  }
}

describe('wasm BatchMatMul', () => {
  it("is Kiln's kernel, not the built-in one", () => {
    expect(tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc).toBe(batchMatMulConfig.kernelFunc);
  });

  it.each(cases)('matches cpu: a=$a b=$b transposeA=$ta transposeB=$tb', async ({ a, b, ta, tb }) => {
    const av = randomValues(a.reduce((x, y) => x * y), 7);
    const bv = randomValues(b.reduce((x, y) => x * y), 8);
    await expectWasmMatchesCpu(() => [tf.matMul(tf.tensor(av, a), tf.tensor(bv, b), ta, tb)], 1e-5);
  });

  it('gives a dense layer the same gradients as cpu', async () => {
    const x = randomValues(64 * 30, 1);
    const w = randomValues(30 * 20, 2);
    await expectWasmMatchesCpu(() => {
      const f = (xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.square(tf.matMul(xs, ws)));
      return tf.grads(f)([tf.tensor2d(x, [64, 30]), tf.tensor2d(w, [30, 20])]);
    }, 1e-4);
  });
});
