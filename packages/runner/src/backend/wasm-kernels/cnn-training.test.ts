import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProbeCnn, randomImages } from '../probe-cnn.ts';
import { setupBackends } from './test-support.ts';

beforeAll(setupBackends);

describe('training a small CNN on wasm', () => {
  it('runs fit on 256 samples without leaking tensors, and the loss goes down', async () => {
    await tf.setBackend('wasm');
    const model = buildProbeCnn();
    const { xs, ys } = randomImages(256);
    const before = tf.memory().numTensors;
    const history = await model.fit(xs, ys, { epochs: 4, batchSize: 64, shuffle: false, verbose: 0 });
    const losses = (history.history.loss ?? []).map(Number);
    expect(tf.getBackend()).toBe('wasm');
    expect(losses).toHaveLength(4);
    expect(losses.every(Number.isFinite)).toBe(true);
    const [first = Number.NaN, , , last = Number.NaN] = losses;
    expect(last).toBeLessThan(first);
    // fit keeps optimizer slots; nothing else may pile up per batch.
    expect(tf.memory().numTensors - before).toBeLessThan(40);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
