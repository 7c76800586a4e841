import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { KilnFailure } from '@kiln/core';
import { buildModel } from '../model/build.ts';
import { syntheticData, type SyntheticKind } from './synthetic.ts';
import { trainLoop, type LoopOptions } from './loop.ts';
import { layer, trainSpec, useWasm } from './test-support.ts';

beforeAll(useWasm);

const HEADS = {
  binary: [{ type: 'dense', units: 1, activation: 'sigmoid' }, 'binaryCrossentropy'],
  multiclass: [{ type: 'dense', units: 3, activation: 'softmax' }, 'sparseCategoricalCrossentropy'],
  regression: [{ type: 'dense', units: 1 }, 'mse'],
} as const;

/** A small MLP with dropout on synthetic data, ready for trainLoop. */
function setup(kind: Exclude<SyntheticKind, 'text' | 'image'>, train: Record<string, unknown> = {}, n = 200): LoopOptions {
  const data = syntheticData(kind, n);
  const [head, loss] = HEADS[kind];
  const model = buildModel({ layers: [layer({ type: 'dense', units: 16, activation: 'relu' }), layer({ type: 'dropout', rate: 0.2 }), layer(head)] }, data, 11);
  const spec = trainSpec({ loss, optimizer: { name: 'adam', learningRate: 0.02 }, epochs: 5, batchSize: 16, metrics: kind === 'regression' ? ['rmse'] : ['accuracy'], ...train });
  return { model, spec, data: { ...data, task: kind }, seed: 5 };
}

const weightsOf = (opts: LoopOptions) => opts.model.getWeights().map((w) => Array.from(w.dataSync()));

describe('training loop', () => {
  it('learns: val accuracy well above chance, loss going down', async () => {
    const opts = setup('multiclass', { epochs: 15 });
    const r = await trainLoop(opts);
    expect(r.status).toBe('finished');
    expect(r.epochs).toBe(15);
    expect(r.steps).toBe(15 * Math.ceil(120 / 16));
    const [first] = r.history;
    const last = r.history.at(-1);
    expect(r.history).toHaveLength(15);
    expect(last?.train.loss).toBeLessThan(first?.train.loss ?? Number.NaN);
    expect(last?.val.accuracy).toBeGreaterThan(0.7);
  });

  it('is deterministic: the same pipeline twice gives identical metrics, every number', async () => {
    const run = async () => (await trainLoop(setup('binary', { metrics: ['accuracy', 'auc', 'f1'], lrSchedule: { type: 'cosine' } }))).history;
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    expect(a.length).toBe(5);
  });

  it('restores the best weights at the end even without stopping early', async () => {
    // max train.loss is best at epoch 1 (the loss falls), so the final weights must be epoch 1's.
    const opts = setup('regression', { earlyStopping: { monitor: 'train.loss', mode: 'max', patience: 100, restoreBestWeights: true } });
    const seen: number[][][] = [];
    const r = await trainLoop({ ...opts, hooks: { onEpoch: () => void seen.push(weightsOf(opts)) } });
    expect(r.status).toBe('finished');
    expect(r.bestEpoch).toBe(1);
    expect(r.restored).toBe(true);
    expect(weightsOf(opts)).toEqual(seen[0]);
    expect(weightsOf(opts)).not.toEqual(seen[4]);
  });

  it('stops early after patience epochs without improvement', async () => {
    const opts = setup('regression', { epochs: 10, earlyStopping: { monitor: 'train.loss', mode: 'max', patience: 2, restoreBestWeights: false } });
    const r = await trainLoop(opts);
    expect(r.status).toBe('early-stopped');
    expect(r.epochs).toBe(3);
    expect(r.reason).toMatch(/train\.loss did not improve for 2 epochs/);
    expect(r.restored).toBe(false);
  });

  it('stops on a NaN loss with the exact epoch and step', async () => {
    const opts = setup('regression', { shuffle: false, batchSize: 10, epochs: 3 });
    opts.data.train.x[35 * 4 + 2] = Number.NaN; // row 35 sits in batch 4 of epoch 1
    const r = await trainLoop(opts);
    expect(r.status).toBe('diverged');
    expect(r.reason).toBe('diverged at epoch 1 step 4');
    expect(r.epochs).toBe(0);
  });

  it('stops when onEpoch says stop (a pruner) and when the signal aborts', async () => {
    const pruned = await trainLoop({ ...setup('binary'), hooks: { onEpoch: (e) => (e === 2 ? 'stop' : undefined) } });
    expect([pruned.status, pruned.epochs, pruned.reason]).toEqual(['pruned', 2, 'pruned after epoch 2']);
    const ac = new AbortController();
    const aborted = await trainLoop({ ...setup('binary'), signal: ac.signal, hooks: { onBatch: (step) => (step >= 10 ? ac.abort() : undefined) }, lossEvery: 5 });
    expect(aborted.status).toBe('aborted');
    expect(aborted.reason).toBe('aborted at epoch 2 step 14'); // onBatch ran at 5, 8 (epoch end), 13
  });

  it('reports onBatch every lossEvery steps and checkpoints on improvement', async () => {
    const steps: number[] = [];
    const checkpoints: number[] = [];
    const r = await trainLoop({ ...setup('binary', { epochs: 2, checkpoint: { monitor: 'train.loss', mode: 'min' } }), lossEvery: 3, hooks: { onBatch: (s) => void steps.push(s), onCheckpoint: (e) => void checkpoints.push(e) } });
    expect(r.steps).toBe(16);
    expect(steps).toEqual([3, 6, 8, 11, 14, 16]); // 8 batches per epoch: a read at the end of each epoch too
    expect(checkpoints[0]).toBe(1);
  });

  it('clips gradients: a tiny norm limits how far one step moves the weights', async () => {
    const moved = async (clip?: Record<string, number>) => {
      const opts = setup('regression', { epochs: 1, batchSize: 200, optimizer: { name: 'sgd', learningRate: 1 }, ...(clip ? { gradientClip: clip } : {}) });
      const before = weightsOf(opts).flat();
      await trainLoop(opts);
      const after = weightsOf(opts).flat();
      expect(after).toHaveLength(before.length);
      return Math.sqrt(after.reduce((s, v, i) => s + (v - (before[i] ?? Number.NaN)) ** 2, 0));
    };
    expect(await moved({ norm: 0.01 })).toBeCloseTo(0.01, 4);
    expect(await moved({ value: 0.001 })).toBeLessThan(0.001 * Math.sqrt(200));
    expect(await moved()).toBeGreaterThan(0.05);
  });

  it('leaks no tensors across a run', async () => {
    const opts = setup('multiclass', { epochs: 2 });
    const before = tf.memory().numTensors;
    await trainLoop(opts);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('buildModel', () => {
  it('rejects an output layer whose units differ from the class count, with the path and a hint', () => {
    const data = syntheticData('multiclass', 30);
    const build = () => buildModel({ layers: [layer({ type: 'dense', units: 4 }), layer({ type: 'dense', units: 5, activation: 'softmax' })] }, data, 1);
    expect(build).toThrow(KilnFailure);
    try {
      build();
    } catch (e) {
      const [err] = (e as KilnFailure).errors;
      expect(err?.path).toBe('model.layers[1].units');
      expect(err?.hint).toBe('set model.layers[1].units to 3');
    }
  });

  it('sizes the embedding from the text vocabulary and rejects a smaller inputDim', () => {
    const data = syntheticData('text', 30);
    const m = buildModel({ layers: [layer({ type: 'embedding', outputDim: 2 }), layer({ type: 'flatten' }), layer({ type: 'dense', units: 1, activation: 'sigmoid' })] }, data, 1);
    expect(m.getWeights()[0]?.shape).toEqual([20, 2]);
    expect(() => buildModel({ layers: [layer({ type: 'embedding', outputDim: 2, inputDim: 10 }), layer({ type: 'flatten' }), layer({ type: 'dense', units: 1, activation: 'sigmoid' })] }, data, 1)).toThrow(/smaller than the vocabulary/);
  });
});
