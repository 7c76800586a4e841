import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Graph, fillDefaults, type GraphSpec } from '@kiln/core';
import { syntheticData } from '../train/synthetic.ts';
import { trainLoop } from '../train/loop.ts';
import { trainSpec, useWasm } from '../train/test-support.ts';
import { buildModel } from './build.ts';
import { loadModel, saveModel } from './io.ts';

beforeAll(useWasm);

const graph = (merge: 'add' | 'concatenate'): GraphSpec =>
  fillDefaults(Graph as unknown as Parameters<typeof fillDefaults>[0], {
    inputs: [{ name: 'x' }],
    // listed out of dependency order on purpose
    nodes: [
      { name: 'head', from: ['wide', 'deep'], merge, layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }] },
      { name: 'wide', from: 'x', layers: [{ type: 'dense', units: 4, activation: 'relu' }] },
      { name: 'deep', from: 'x', layers: [{ type: 'dense', units: 8, activation: 'relu' }, { type: 'dense', units: 4, activation: 'relu' }] },
    ],
    outputs: [{ name: 'label', from: 'head' }],
  }) as GraphSpec;

describe('graph models', () => {
  it('builds branches and merges in dependency order: concatenate widens, add keeps the width', () => {
    const data = syntheticData('binary', 40);
    const cat = buildModel({ graph: graph('concatenate') }, data, 3);
    expect(cat.getLayer('head_concat').outputShape).toEqual([null, 8]);
    expect(cat.layers.map((l) => l.name)).toEqual(expect.arrayContaining(['x', 'wide_0_dense', 'deep_0_dense', 'deep_1_dense', 'head_0_dense']));
    const add = buildModel({ graph: graph('add') }, data, 3);
    expect(add.getLayer('head_add').outputShape).toEqual([null, 4]);
    expect(add.outputs[0]!.shape).toEqual([null, 1]);
    cat.dispose();
    add.dispose();
  });

  it('trains (every branch gets gradients) and round-trips through save/load', async () => {
    const data = syntheticData('binary', 80);
    const model = buildModel({ graph: graph('concatenate') }, data, 5);
    const before = model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    const r = await trainLoop({ model, spec: trainSpec({ loss: 'binaryCrossentropy', optimizer: { name: 'adam', learningRate: 0.01 }, epochs: 2, batchSize: 16 }), data: { ...data, task: 'binary' }, seed: 1 });
    expect(r.status).toBe('finished');
    const after = model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    after.forEach((w, i) => expect(w).not.toEqual(before[i]));
    const x = tf.tensor2d(data.test.x as Float32Array, [data.test.n, 4]);
    const dir = await mkdtemp(join(tmpdir(), 'kiln-graph-'));
    try {
      await saveModel(model, dir);
      const loaded = await loadModel(dir);
      expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
      loaded.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
      model.dispose();
    }
  });

  it('fails with the node path when a multiclass head does not fit the classes', () => {
    const g = graph('add');
    expect(() => buildModel({ graph: g }, syntheticData('multiclass', 30), 1)).toThrow(/output layer has 1 units, but the target label has 3 classes/);
  });
});
