import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adamRule, fusedOptimizer } from '../fused-optimizers/index.ts';
import { leadingAxesSum, rowVectorOperands } from './bias-ops.ts';
import { expectWasmMatchesCpu, randomValues, setupBackends } from './test-support.ts';

beforeAll(setupBackends);

const info = (shape: number[], dtype: tf.DataType = 'float32') => ({ dataId: {}, shape, dtype });

describe('wasm Sum over every axis but the last (the bias gradient)', () => {
  it('takes exactly those sums', () => {
    expect(leadingAxesSum(info([4, 5, 6, 16]), [0, 1, 2])).toBe(16);
    expect(leadingAxesSum(info([4, 5, 6, 16]), [2, -4, 1])).toBe(16);
    expect(leadingAxesSum(info([64, 10]), 0)).toBe(10);
    expect(leadingAxesSum(info([4, 5, 6, 16]), [1, 2])).toBeNull();
    expect(leadingAxesSum(info([4, 5, 6, 16]), [0, 1, 2, 3])).toBeNull();
    expect(leadingAxesSum(info([64, 10], 'int32'), 0)).toBeNull();
    expect(leadingAxesSum(info([0, 10]), 0)).toBeNull();
  });

  it.each([
    { shape: [3, 5, 4, 16], axis: [0, 1, 2], keepDims: false },
    { shape: [64, 7], axis: [0], keepDims: true },
    { shape: [2, 9, 9, 3], axis: [2, 0, 1], keepDims: true },
    { shape: [300, 1], axis: [0], keepDims: false },
    // Not the bias gradient: tfjs' kernel, unchanged.
    { shape: [3, 5, 4, 6], axis: [1, 2], keepDims: false },
    { shape: [3, 5, 4, 6], axis: [0, 1, 2, 3], keepDims: false },
  ])('matches cpu: shape=$shape axis=$axis keepDims=$keepDims', async ({ shape, axis, keepDims }) => {
    const values = randomValues(shape.reduce((a, b) => a * b), 51);
    await expectWasmMatchesCpu(() => [tf.sum(tf.tensor(values, shape), axis, keepDims)], 1e-5);
  });

  it('gives the bias gradient of a dense and a conv layer', async () => {
    const x = randomValues(4 * 6 * 6 * 3, 52);
    const w = randomValues(3 * 3 * 3 * 8, 53);
    const bias = randomValues(8, 54);
    await expectWasmMatchesCpu(() => {
      const loss = (b: tf.Tensor) => tf.sum(tf.square(tf.add(tf.conv2d(tf.tensor4d(x, [4, 6, 6, 3]), tf.tensor4d(w, [3, 3, 3, 8]), 1, 'same'), b)));
      return [tf.grad(loss)(tf.tensor1d(bias))];
    }, 1e-4);
  });
});

describe('wasm Add of a vector along the last axis (the bias)', () => {
  it('takes exactly that broadcast, either way round', () => {
    expect(rowVectorOperands(info([4, 5, 16]), info([16]))?.map((t) => t.shape)).toEqual([[4, 5, 16], [16]]);
    expect(rowVectorOperands(info([1, 1, 16]), info([4, 5, 16]))?.map((t) => t.shape)).toEqual([[4, 5, 16], [1, 1, 16]]);
    expect(rowVectorOperands(info([4, 5, 16]), info([4, 5, 16]))).toBeNull();
    expect(rowVectorOperands(info([4, 5, 16]), info([1]))).toBeNull();
    expect(rowVectorOperands(info([4, 16, 1]), info([16]))).toBeNull();
    expect(rowVectorOperands(info([4, 16]), info([16], 'int32'))).toBeNull();
  });

  it.each([
    { a: [3, 5, 4, 16], b: [16] },
    { a: [7], b: [6, 7] },
    { a: [2, 9, 9, 3], b: [1, 1, 3] },
    { a: [5, 1], b: [1] },
    // Not a bias: tfjs' kernel, unchanged.
    { a: [4, 6], b: [4, 6] },
    { a: [4, 6], b: [4, 1] },
  ])('matches cpu: $a + $b', async ({ a, b }) => {
    const [av, bv] = [randomValues(a.reduce((p, q) => p * q), 55), randomValues(b.reduce((p, q) => p * q), 56)];
    await expectWasmMatchesCpu(() => [tf.add(tf.tensor(av, a), tf.tensor(bv, b))], 1e-7);
  });
});

describe('wasm Identity', () => {
  it('shares the buffer, and a clone outlives its source', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const copy = tf.clone(x);
    expect(copy.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3, 4]);
    copy.dispose();
  });

  it('leaves a clone of a variable as it was when the fused optimizer updates the variable in place', async () => {
    await tf.setBackend('wasm');
    const v = tf.variable(tf.tensor1d([1, 2, 3, 4, 5]), true, 'identity-test-v');
    const snapshot = tf.clone(v);
    const optimizer = fusedOptimizer(0.1, adamRule({ beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }));
    if (optimizer === null) throw new Error('the fused optimizer runs on wasm');
    optimizer.applyGradients({ 'identity-test-v': tf.ones([5]) });
    expect(Array.from(snapshot.dataSync())).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(v.dataSync()).every((value, i) => value < i + 1)).toBe(true);
    tf.dispose([v, snapshot]);
    optimizer.dispose();
  });
});

describe('wasm Cast', () => {
  it('shares the buffer when the dtype stays, converts otherwise', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1.5, -2.5, 3]);
    const same = tf.cast(x, 'float32');
    expect(same.dataId).toBe(x.dataId);
    const ints = tf.cast(x, 'int32');
    expect(ints.dataId).not.toBe(x.dataId);
    expect(Array.from(ints.dataSync())).toEqual([1, -2, 3]);
    tf.dispose([x, same, ints]);
  });
});
