import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { must } from '@kiln/core/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedLSTM } from '../../model/fused-lstm.ts';
import { computeOn, expectSameResults, randomValues } from '../wasm-kernels/test-support.ts';
import { computeWithBlas, setupBlasBackends, type CountingBlas } from './test-support.ts';

let blas: CountingBlas;
beforeAll(async () => {
  blas = await setupBlasBackends();
});

/** Output and the gradients of a weighted sum of it w.r.t. input, kernel, recurrent kernel and bias. */
function valuesAndGradients(fused: boolean, returnSequences: boolean): tf.Tensor[] {
  const [B, T, D, U] = [6, 7, 5, 4];
  const args = { units: U, returnSequences, unitForgetBias: true };
  const layer = fused ? new FusedLSTM(args) : layers.lstm(args);
  const x = tf.variable(tf.tensor3d(randomValues(B * T * D, 1), [B, T, D]));
  tf.dispose(layer.apply(x) as tf.Tensor);
  layer.setWeights([tf.tensor2d(randomValues(D * 4 * U, 2), [D, 4 * U]), tf.tensor2d(randomValues(U * 4 * U, 3), [U, 4 * U]), tf.tensor1d(randomValues(4 * U, 4))]);
  const outShape = returnSequences ? [B, T, U] : [B, U];
  const w = tf.tensor(randomValues(outShape.reduce((a, b) => a * b), 5), outShape);
  const vars = [x, ...layer.trainableWeights.map((v) => v.read() as tf.Variable)];
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, w)), vars);
  const result = [layer.apply(x) as tf.Tensor, value, ...vars.map((v) => must(grads[v.name], 'variableGrads gives every variable a gradient'))];
  layer.dispose();
  return result;
}

describe('the fused LSTM with its products through BLAS', () => {
  it.each([false, true])('values and gradients match tfjs-layers LSTM on cpu (returnSequences=%s)', async (returnSequences) => {
    const expected = await computeOn('cpu', () => valuesAndGradients(false, returnSequences));
    const { results, calls } = await computeWithBlas(blas, () => valuesAndGradients(true, returnSequences));
    // input projection, a product per step forward and back, three weight/input products: far more than one call
    expect(calls).toBeGreaterThan(7 * 2);
    // the fused LSTM's own test holds it to 2e-5 against cpu; BLAS sums in another order, within the same bound
    expectSameResults(results, expected, 2e-5);
  });
});
