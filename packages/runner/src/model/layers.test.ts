import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { must } from '@kiln/core/errors';
import { LAYER_TYPES, type LayerType } from '@kiln/core';
import { syntheticData, type SyntheticKind } from '../train/synthetic.ts';
import { trainLoop } from '../train/loop.ts';
import { layer, trainSpec, useWasm } from '../train/test-support.ts';
import { buildModel } from './build.ts';
import { LAYER_BUILDERS } from './layers.ts';

const head = { type: 'dense', units: 1, activation: 'sigmoid' };
const emb = { type: 'embedding', outputDim: 4 };
const conv = { type: 'conv2d', filters: 3, kernelSize: 3, padding: 'same' };

/** For each layer type: the data it needs and a small stack that uses it. */
const CASES: Record<LayerType, [SyntheticKind, Record<string, unknown>[]]> = {
  dense: ['binary', [{ type: 'dense', units: 8, activation: 'relu', regularizer: { l2: 0.01 } }, head]],
  dropout: ['binary', [{ type: 'dense', units: 8 }, { type: 'dropout', rate: 0.5 }, head]],
  activation: ['binary', [{ type: 'dense', units: 8 }, { type: 'activation', activation: 'tanh' }, head]],
  batchNormalization: ['binary', [{ type: 'dense', units: 8 }, { type: 'batchNormalization' }, head]],
  layerNormalization: ['binary', [{ type: 'dense', units: 8 }, { type: 'layerNormalization' }, head]],
  conv1d: ['text', [emb, { type: 'conv1d', filters: 4, kernelSize: 3 }, { type: 'globalMaxPooling1d' }, head]],
  conv2d: ['image', [conv, { type: 'flatten' }, head]],
  maxPooling1d: ['text', [emb, { type: 'maxPooling1d', poolSize: 2 }, { type: 'flatten' }, head]],
  averagePooling1d: ['text', [emb, { type: 'averagePooling1d', poolSize: 3 }, { type: 'flatten' }, head]],
  maxPooling2d: ['image', [conv, { type: 'maxPooling2d', poolSize: 2 }, { type: 'flatten' }, head]],
  averagePooling2d: ['image', [conv, { type: 'averagePooling2d', poolSize: [2, 3] }, { type: 'flatten' }, head]],
  globalAveragePooling1d: ['text', [emb, { type: 'globalAveragePooling1d' }, head]],
  globalAveragePooling2d: ['image', [conv, { type: 'globalAveragePooling2d' }, head]],
  globalMaxPooling1d: ['text', [emb, { type: 'globalMaxPooling1d' }, head]],
  flatten: ['image', [{ type: 'flatten' }, head]],
  reshape: ['binary', [{ type: 'reshape', targetShape: [2, 2] }, { type: 'flatten' }, head]],
  embedding: ['text', [{ ...emb, maskZero: false }, { type: 'flatten' }, head]],
  lstm: ['text', [emb, { type: 'lstm', units: 4, dropout: 0.1, recurrentDropout: 0.1 }, head]],
  gru: ['text', [emb, { type: 'gru', units: 4 }, head]],
  simpleRNN: ['text', [emb, { type: 'simpleRNN', units: 4, returnSequences: true }, { type: 'flatten' }, head]],
  bidirectional: ['text', [emb, { type: 'bidirectional', layer: { type: 'lstm', units: 3 }, mergeMode: 'concat' }, head]],
  multiHeadAttention: ['text', [emb, { type: 'multiHeadAttention', numHeads: 2, keyDim: 3, dropout: 0.1 }, { type: 'globalAveragePooling1d' }, head]],
  transformerEncoder: ['text', [emb, { type: 'transformerEncoder', numHeads: 2, ffDim: 8 }, { type: 'globalAveragePooling1d' }, head]],
};

beforeAll(useWasm);

describe('layer registry', () => {
  it('has one builder per spec layer type', () => {
    expect(Object.keys(LAYER_BUILDERS).sort()).toEqual([...LAYER_TYPES].sort());
  });

  for (const type of LAYER_TYPES) {
    it(`${type} builds and trains a step`, async () => {
      const [kind, raw] = CASES[type];
      const data = syntheticData(kind, 40);
      const model = buildModel({ layers: raw.map(layer) }, data, 7);
      expect(model.layers.some((l) => l.getClassName().toLowerCase().replace(/^kiln(masked)?/, '') === type.toLowerCase() || (type === 'simpleRNN' && l.getClassName() === 'SimpleRNN'))).toBe(true);
      const before = model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
      const result = await trainLoop({ model, spec: trainSpec({ loss: 'binaryCrossentropy', optimizer: { name: 'adam', learningRate: 0.01 }, epochs: 1, batchSize: 64 }), data: { ...data, task: 'binary' }, seed: 1 });
      expect(result.status).toBe('finished');
      expect(result.steps).toBe(1);
      expect(Number.isFinite(result.history[0]?.train.loss)).toBe(true);
      const after = model.trainableWeights.map((w) => Array.from(w.read().dataSync()));
      expect(after.map((w) => w.length)).toEqual(before.map((w) => w.length));
      expect(after.some((w, i) => w.some((v, j) => v !== before[i]?.[j]))).toBe(true);
      model.dispose();
    });
  }

  it('seeds initializers from the pipeline seed: same seed, same weights; other seed, other weights', () => {
    const data = syntheticData('binary', 20);
    const spec = { layers: [layer({ type: 'dense', units: 5 }), layer(head)] };
    const w = (seed: number) => {
      const m = buildModel(spec, data, seed);
      const out = Array.from(must(m.getWeights()[0], 'a dense layer has a kernel').dataSync());
      m.dispose();
      return out;
    };
    expect(w(3)).toEqual(w(3));
    expect(w(3)).not.toEqual(w(4));
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('recurrent gates', () => {
  it('use hardSigmoid by default and sigmoid when recurrentActivation says so (lstm and gru)', () => {
    const data = syntheticData('text', 8);
    const gate = (rnn: Record<string, unknown>) => {
      const m = buildModel({ layers: [layer(emb), layer(rnn), layer(head)] }, data, 1);
      const cell = (m.layers[2] as unknown as { cell: { recurrentActivation: { getClassName(): string } } }).cell;
      const name = cell.recurrentActivation.getClassName();
      m.dispose();
      return name;
    };
    expect(gate({ type: 'lstm', units: 3 })).toBe('hardSigmoid');
    expect(gate({ type: 'lstm', units: 3, recurrentActivation: 'sigmoid' })).toBe('sigmoid');
    expect(gate({ type: 'gru', units: 3, recurrentActivation: 'sigmoid' })).toBe('sigmoid');
  });
});

describe('bidirectional', () => {
  it('starts its two directions from different kernels', () => {
    const data = syntheticData('text', 20);
    const m = buildModel({ layers: [layer(emb), layer({ type: 'bidirectional', layer: { type: 'gru', units: 3 } }), layer(head)] }, data, 9);
    const w = must(m.layers[2], 'input, embedding, bidirectional').getWeights().map((t) => Array.from(t.dataSync()));
    expect(w.length).toBe(6);
    expect(w[3]).not.toEqual(w[0]);
    expect(w[4]).not.toEqual(w[1]);
    expect(w[5]).toEqual(w[2]);
    m.dispose();
  });
});
