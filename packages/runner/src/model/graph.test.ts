import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '@kiln/core/errors';
import { Graph, fillDefaults, type GraphSpec } from '@kiln/core';
import type { InputInfo, PreparedData, SplitArrays, TargetInfo } from '../data/types.ts';
import type { LoopHead } from '../train/heads.ts';
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
    expect(add.outputs[0]?.shape).toEqual([null, 1]);
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

  it('starts a bidirectional layer\'s two directions from different kernels, as the stack form does', () => {
    const g = fillDefaults(Graph as unknown as Parameters<typeof fillDefaults>[0], {
      inputs: [{ name: 'x' }],
      nodes: [
        { name: 'enc', from: 'x', layers: [{ type: 'embedding', outputDim: 4 }, { type: 'bidirectional', layer: { type: 'gru', units: 3 } }] },
        { name: 'head', from: 'enc', layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }] },
      ],
      outputs: [{ name: 'label', from: 'head' }],
    }) as GraphSpec;
    const m = buildModel({ graph: g }, syntheticData('text', 20), 9);
    const w = m.getLayer('enc_1_bidirectional').getWeights().map((t) => Array.from(t.dataSync()));
    expect(w.length).toBe(6);
    expect(w[3]).not.toEqual(w[0]);
    expect(w[4]).not.toEqual(w[1]);
    expect(w[5]).toEqual(w[2]);
    m.dispose();
  });

  it('fails with the node path when an embedding is smaller than the vocabulary, as the stack form does', () => {
    const g = fillDefaults(Graph as unknown as Parameters<typeof fillDefaults>[0], {
      inputs: [{ name: 'x' }],
      nodes: [{ name: 'enc', from: 'x', layers: [{ type: 'embedding', outputDim: 4, inputDim: 2 }, { type: 'globalAveragePooling1d' }, { type: 'dense', units: 1, activation: 'sigmoid' }] }],
      outputs: [{ name: 'label', from: 'enc' }],
    }) as GraphSpec;
    expect(() => buildModel({ graph: g }, syntheticData('text', 20), 1)).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ code: 'model/embedding-too-small', path: 'model.graph.nodes[0].layers[0].inputDim' })] }),
    );
  });

  it('takes several inputs and trains several heads on the weighted sum of their losses, with metrics per head', async () => {
    const data = twoHeadData();
    const model = buildModel({ graph: twoHeadGraph }, data, 7);
    expect(model.inputs.map((x) => x.name)).toEqual(['a', 'b']);
    expect(model.outputs.map((o) => o.shape)).toEqual([[null, 1], [null, 1]]);
    const heads: LoopHead[] = [
      { name: 'label', prefix: 'label.', task: 'binary', loss: 'binaryCrossentropy', weight: 1, metrics: ['accuracy'], target: 0 },
      { name: 'value', prefix: 'value.', task: 'regression', loss: 'mse', weight: 0.5, metrics: ['rmse'], target: 1 },
    ];
    const before = model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
    const spec = trainSpec({ loss: 'binaryCrossentropy', optimizer: { name: 'adam', learningRate: 0.01 }, epochs: 3, batchSize: 16, earlyStopping: { monitor: 'val.value.rmse', patience: 10 } });
    const r = await trainLoop({ model, spec, data: { ...data, task: 'binary', inputs: data.inputs, heads }, seed: 2 });
    expect(r.status).toBe('finished');
    const last = must(r.history[2], 'three epochs ran');
    expect(Object.keys(last.val).sort()).toEqual(['label.accuracy', 'label.loss', 'loss', 'value.loss', 'value.rmse']);
    expect(Object.keys(last.train).sort()).toEqual(Object.keys(last.val).sort());
    // The keys were checked just above.
    const at = (m: Record<string, number>, key: string) => must(m[key], key);
    expect(last.val.loss).toBeCloseTo(at(last.val, 'label.loss') + 0.5 * at(last.val, 'value.loss'), 4);
    expect(last.train.loss).toBeCloseTo(at(last.train, 'label.loss') + 0.5 * at(last.train, 'value.loss'), 3);
    expect(last.val['value.rmse']).toBeCloseTo(Math.sqrt(at(last.val, 'value.loss')), 3);
    // the monitored head metric picks the best epoch
    const rmse = r.history.map((h) => at(h.val, 'value.rmse'));
    expect(r.bestEpoch).toBe(rmse.indexOf(Math.min(...rmse)) + 1);
    model.trainableWeights.forEach((w, i) => expect(Array.from(w.read().dataSync())).not.toEqual(before[i]));
    model.dispose();
  });
});

const twoHeadGraph: GraphSpec = fillDefaults(Graph as unknown as Parameters<typeof fillDefaults>[0], {
  inputs: [{ name: 'a', features: ['a'] }, { name: 'b', features: ['b'] }],
  nodes: [
    { name: 'pa', from: 'a', layers: [{ type: 'dense', units: 8, activation: 'relu' }] },
    { name: 'pb', from: 'b', layers: [{ type: 'dense', units: 4, activation: 'relu' }] },
    { name: 'trunk', from: ['pa', 'pb'], layers: [{ type: 'dense', units: 8, activation: 'relu' }] },
    { name: 'cls', from: 'trunk', layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }] },
    { name: 'reg', from: 'trunk', layers: [{ type: 'dense', units: 1 }] },
  ],
  outputs: [
    { name: 'label', from: 'cls', target: 'label' },
    { name: 'value', from: 'reg', target: 'value' },
  ],
}) as GraphSpec;

/** Two inputs (the binary and the regression synthetic rows' x) and two targets (their y), row-aligned. */
function twoHeadData(): PreparedData {
  const bin = syntheticData('binary', 120, 3);
  const reg = syntheticData('regression', 120, 4);
  const both = (b: SplitArrays, r: SplitArrays): SplitArrays => ({ ...b, xs: [b.x, r.x], ys: [b.y, r.y] });
  const inputs: InputInfo[] = [
    { name: 'a', features: [0], shape: [4], dtype: 'float32' },
    { name: 'b', features: [0], shape: [4], dtype: 'float32' },
  ];
  const targets: TargetInfo[] = [bin.target, { name: 'value', type: 'regression' }];
  return { ...bin, train: both(bin.train, reg.train), val: both(bin.val, reg.val), test: both(bin.test, reg.test), inputs, targets, state: { ...bin.state, inputs, targets } };
}
