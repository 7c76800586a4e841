import * as tf from '@tensorflow/tfjs-core';
import { must } from '@kiln/core/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatherV2Config } from './gather-v2.ts';
import { expectWasmMatchesCpu, randomValues, setupBackends } from './test-support.ts';

beforeAll(setupBackends);

const cases: { x: number[]; ids: number[]; axis: number; batchDims: number }[] = [
  { x: [10, 16], ids: [4, 7], axis: 0, batchDims: 0 },
  { x: [10, 3], ids: [5], axis: 0, batchDims: 0 },
  { x: [4, 10, 3], ids: [6], axis: 1, batchDims: 0 },
  { x: [4, 5, 20], ids: [2, 3], axis: 2, batchDims: 0 },
  { x: [3, 6, 2], ids: [3, 4], axis: 1, batchDims: 1 },
];

describe('wasm GatherV2', () => {
  it("is Kiln's kernel, not the built-in one", () => {
    expect(tf.getKernel('GatherV2', 'wasm')?.kernelFunc).toBe(gatherV2Config.kernelFunc);
  });

  it.each(cases)('matches cpu, values and gradient: x=$x ids=$ids axis=$axis batchDims=$batchDims', async ({ x, ids, axis, batchDims }) => {
    const xv = randomValues(x.reduce((a, b) => a * b), 3);
    const idv = Int32Array.from(randomValues(ids.reduce((a, b) => a * b), 4), (v) => Math.floor(((v + 1) / 2) * must(x[axis], 'the axis is within the shape')));
    await expectWasmMatchesCpu(() => {
      const input = tf.tensor(xv, x);
      const f = (a: tf.Tensor) => tf.gather(a, tf.tensor(idv, ids, 'int32'), axis, batchDims);
      const out = f(input);
      const w = tf.tensor(randomValues(out.size, 5), out.shape);
      return [out, tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a), w)))(input)];
    }, 1e-6);
  });

  it('gathers int32 values and rejects out-of-range ids', async () => {
    await tf.setBackend('wasm');
    expect(Array.from(tf.gather(tf.tensor1d([5, 6, 7], 'int32'), tf.tensor1d([2, 0], 'int32')).dataSync())).toEqual([7, 5]);
    expect(() => tf.gather(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor1d([2], 'int32'))).toThrow(/index value 2 is not in \[0, 1\]/);
  });
});
