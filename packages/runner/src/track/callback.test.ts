import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { getRun, metricHistory, openStore, sha256File } from '@kiln/core/store';
import { loadModel } from '../model/io.ts';
import { kilnCallback, plainKilnCallback } from './callback.ts';
import { startRun } from './run.ts';

/** A plain tfjs script's model: 2 features -> 8 relu -> 2 softmax, Adam at 0.05. */
function tinyModel(): tfl.Sequential {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 8, activation: 'relu' }), tfl.layers.dense({ units: 2, activation: 'softmax' })] });
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

/** 40 points, class 1 when x0 + x1 > 0, from a fixed sequence so the test is deterministic. */
function data(): { xs: tf.Tensor2D; ys: tf.Tensor1D } {
  const x = Array.from({ length: 80 }, (_, i) => Math.sin(i * 12.9898) * 2);
  const y = Array.from({ length: 40 }, (_, i) => ((x[2 * i] ?? 0) + (x[2 * i + 1] ?? 0) > 0 ? 1 : 0));
  return { xs: tf.tensor2d(x, [40, 2]), ys: tf.tensor1d(y, 'float32') };
}

/** Batches of `rows` rows of (xs, ys), as a tfjs-data Dataset would yield them for fitDataset. */
function batches(xs: tf.Tensor2D, ys: tf.Tensor1D, rows: number) {
  const n = Math.ceil(xs.shape[0] / rows);
  return {
    size: n,
    iterator: async () => {
      let i = 0;
      return {
        next: async (): Promise<IteratorResult<{ xs: tf.Tensor; ys: tf.Tensor }>> => {
          if (i >= n) return { value: undefined, done: true };
          const size = Math.min(rows, xs.shape[0] - i * rows);
          const value = { xs: tf.slice(xs, [i * rows, 0], [size, 2]), ys: tf.slice(ys, [i * rows], [size]) };
          i++;
          return { value, done: false };
        },
      };
    },
  };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('kilnCallback with model.fit', () => {
  it('records params, every batch and epoch metric matching History, and a saved model that predicts the same', async () => {
    const url = join(mkdtempSync(join(tmpdir(), 'kiln-fit-')), 'kiln.db');
    const run = await startRun({ experiment: 'fit', store: url, exitHandlers: false });
    const model = tinyModel();
    const { xs, ys } = data();
    // 40 rows, validationSplit 0.25 -> 30 train rows, batch 8 -> 4 batches per epoch
    const history = await model.fit(xs, ys, { epochs: 3, batchSize: 8, validationSplit: 0.25, shuffle: false, verbose: 0, callbacks: [kilnCallback(run)] });
    await run.end();

    const store = await openStore(url);
    const got = await getRun(store, run.id);
    const artifactsDir = store.artifactsDir;
    try {
      expect(got).toMatchObject({ status: 'finished', keptEpoch: 3 });
      expect(history.history.val_loss).toHaveLength(3);
      expect(got?.metrics['val.loss']?.final).toBe(history.history.val_loss?.[2]);
      for (const [key, hist] of [['train.loss', 'loss'], ['train.accuracy', 'acc'], ['val.loss', 'val_loss'], ['val.accuracy', 'val_acc']] as const) {
        const points = (await metricHistory(store, run.id, key)).points;
        expect(points.map((p) => p.value), key).toEqual(history.history[hist]);
        expect(points.map((p) => p.step), key).toEqual([4, 8, 12]);
      }
      const batches = (await metricHistory(store, run.id, 'train.batch_loss')).points;
      expect(batches.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect((await metricHistory(store, run.id, 'train.batch_accuracy')).points).toHaveLength(12);
      expect((await metricHistory(store, run.id, 'lr')).points.map((p) => p.value)).toEqual([0.05, 0.05, 0.05]);
      // system metrics: one point per epoch end, at the epoch's step
      for (const key of ['sys/cpu_percent', 'sys/rss_mb', 'sys/heap_used_mb', 'sys/elapsed_seconds']) {
        const points = (await metricHistory(store, run.id, key)).points;
        expect(points.map((p) => p.step), key).toEqual([4, 8, 12]);
        expect(points.every((p) => p.value !== null && p.value >= 0), key).toBe(true);
      }
    } finally {
      store.close();
    }
    expect(got?.params).toMatchObject({
      'train.optimizer.name': 'adam',
      'train.optimizer.learningRate': 0.05,
      'train.optimizer.beta1': 0.9,
      'train.loss': 'sparseCategoricalCrossentropy',
      'train.epochs': 3,
      'train.batchSize': 8,
      'train.validation': true,
      'model.layers[0].type': 'dense',
      'model.layers[0].units': 8,
      'model.layers[0].activation': 'relu',
      'model.layers[1].units': 2,
      'model.parameters': 2 * 8 + 8 + 8 * 2 + 2,
    });

    expect(got?.artifacts.map((a) => [a.path, a.kind])).toEqual([
      [`${run.id}/model.json`, 'model'],
      [`${run.id}/weights.bin`, 'weights'],
    ]);
    for (const a of got?.artifacts ?? []) expect(await sha256File(join(artifactsDir, a.path))).toBe(a.sha256);
    const loaded = await loadModel(join(artifactsDir, run.id));
    const probe = tf.tensor2d([0.5, -1, 2, 0.3, -0.7, -0.2], [3, 2]);
    expect(Array.from((loaded.predict(probe) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(probe) as tf.Tensor).dataSync()));
  });

  it('tracks fitDataset, continues the global step across fits, and can leave batches and the model out', async () => {
    const url = join(mkdtempSync(join(tmpdir(), 'kiln-fit-')), 'kiln.db');
    const run = await startRun({ experiment: 'fit', store: url, exitHandlers: false });
    const model = tinyModel();
    const { xs, ys } = data();
    await model.fitDataset(batches(xs, ys, 20), { epochs: 1, verbose: 0, callbacks: [kilnCallback(run)] });
    await model.fit(xs, ys, { epochs: 2, batchSize: 20, verbose: 0, callbacks: [kilnCallback(run, { batchMetrics: false, saveModel: false, params: false })] });
    await run.end();

    const store = await openStore(url);
    try {
      expect((await metricHistory(store, run.id, 'train.batch_loss')).points.map((p) => p.step)).toEqual([1, 2]);
      expect((await metricHistory(store, run.id, 'sys/rss_mb')).points).toHaveLength(3);
      const epochs = (await metricHistory(store, run.id, 'train.loss')).points;
      expect(epochs.map((p) => [p.step, p.epoch])).toEqual([
        [2, 1],
        [4, 1],
        [6, 2],
      ]);
      const got = await getRun(store, run.id);
      expect(got?.artifacts.map((a) => a.kind)).toEqual(['model', 'weights']);
      expect(got?.params['train.optimizer.name']).toBe('adam');
      expect(got?.params['train.stepsPerEpoch']).toBe(2);
    } finally {
      store.close();
    }
  });

  it('is the user\'s own tf.Callback (so it sits beside tf.callbacks.earlyStopping); the plain-object form needs { model }', async () => {
    const url = join(mkdtempSync(join(tmpdir(), 'kiln-fit-')), 'kiln.db');
    const { xs, ys } = data();
    const real = await startRun({ experiment: 'fit', store: url, exitHandlers: false });
    const cb = kilnCallback(real);
    expect(cb).toBeInstanceOf(tfl.Callback);
    const model = tinyModel();
    await model.fit(xs, ys, { epochs: 2, batchSize: 40, verbose: 0, validationSplit: 0.25, callbacks: [cb, tfl.callbacks.earlyStopping({ patience: 5 })] });
    await real.end();

    const plain = await startRun({ experiment: 'fit', store: url, exitHandlers: false });
    const other = tinyModel();
    const obj = plainKilnCallback(plain, { model: other });
    expect(obj).not.toBeInstanceOf(tfl.Callback);
    await other.fit(xs, ys, { epochs: 2, batchSize: 40, verbose: 0, callbacks: obj });
    await plain.end();

    const store = await openStore(url);
    try {
      for (const id of [real.id, plain.id]) {
        const got = await getRun(store, id);
        expect(got?.params, id).toMatchObject({ 'train.epochs': 2, 'model.layers[0].units': 8 });
        expect(got?.artifacts.map((a) => a.kind), id).toEqual(['model', 'weights']);
        expect((await metricHistory(store, id, 'train.loss')).points.map((p) => p.step), id).toEqual([1, 2]);
      }
      expect((await metricHistory(store, real.id, 'val.loss')).points).toHaveLength(2);
    } finally {
      store.close();
    }
  });
});
