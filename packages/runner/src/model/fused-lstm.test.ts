import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { LSTM_FORWARD } from '../backend/wasm-kernels/lstm-common.ts';
import { computeOn, expectSameResults, randomValues, setupBackends } from '../backend/wasm-kernels/test-support.ts';
import { FusedLSTM } from './fused-lstm.ts';
import { syntheticData } from '../train/synthetic.ts';
import { trainLoop } from '../train/loop.ts';
import { layer, trainSpec } from '../train/test-support.ts';
import { buildModel } from './build.ts';
import { loadModel, saveModel } from './io.ts';
import { must } from '@kiln/core/errors';

beforeAll(setupBackends);

interface Case {
  batch: number;
  steps: number;
  features: number;
  units: number;
  recurrentActivation: 'sigmoid' | 'hardSigmoid';
  returnSequences: boolean;
}

const cases: Case[] = [];
for (const recurrentActivation of ['sigmoid', 'hardSigmoid'] as const)
  for (const returnSequences of [false, true]) {
    cases.push({ batch: 3, steps: 5, features: 4, units: 3, recurrentActivation, returnSequences });
    cases.push({ batch: 9, steps: 17, features: 12, units: 8, recurrentActivation, returnSequences });
  }

/** Output and the gradients of a weighted sum of it w.r.t. the input, kernel, recurrent kernel and bias. */
function valuesAndGradients(c: Case, fused: boolean): tf.Tensor[] {
  const args = { units: c.units, recurrentActivation: c.recurrentActivation, returnSequences: c.returnSequences, unitForgetBias: true };
  const layer = fused ? new FusedLSTM(args) : layers.lstm(args);
  const x = tf.variable(tf.tensor3d(randomValues(c.batch * c.steps * c.features, 1).map((v) => 2 * v), [c.batch, c.steps, c.features]));
  tf.dispose(layer.apply(x) as tf.Tensor); // builds the weights
  const G = 4 * c.units;
  // Large enough weights that hardSigmoid clips for some gates, so both of its branches are checked.
  layer.setWeights([tf.tensor2d(randomValues(c.features * G, 2), [c.features, G]), tf.tensor2d(randomValues(c.units * G, 3), [c.units, G]), tf.tensor1d(randomValues(G, 4))]);
  const outShape = c.returnSequences ? [c.batch, c.steps, c.units] : [c.batch, c.units];
  const w = tf.tensor(randomValues(outShape.reduce((a, b) => a * b), 5), outShape);
  const vars = [x, ...layer.trainableWeights.map((v) => v.read() as tf.Variable)];
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, w)), vars);
  const out = layer.apply(x) as tf.Tensor;
  const result = [out, value, ...vars.map((v) => must(grads[v.name], 'variableGrads gives every variable a gradient'))];
  layer.dispose();
  return result;
}

describe('fused LSTM (wasm) against tfjs-layers LSTM (cpu)', () => {
  it.each(cases)('values and gradients: B=$batch T=$steps D=$features U=$units $recurrentActivation sequences=$returnSequences', async (c) => {
    const expected = await computeOn('cpu', () => valuesAndGradients(c, false));
    const actual = await computeOn('wasm', () => valuesAndGradients(c, true));
    expectSameResults(actual, expected, 2e-5);
  });

  it('takes the fused kernel on wasm, and tfjs-layers\' loop elsewhere', async () => {
    const kernelsOn = async (backend: string) => {
      await tf.setBackend(backend);
      const layer = new FusedLSTM({ units: 3 });
      const x = tf.ones([2, 4, 3]);
      const profile = await tf.profile(() => layer.apply(x) as tf.Tensor);
      x.dispose();
      layer.dispose();
      return profile.kernelNames;
    };
    expect(await kernelsOn('wasm')).toContain(LSTM_FORWARD);
    expect(await kernelsOn('cpu')).not.toContain(LSTM_FORWARD);
  });

  it('saves as a plain tfjs LSTM and loads back predicting identically', async () => {
    await tf.setBackend('wasm');
    const model = sequential({ layers: [layers.embedding({ inputDim: 20, outputDim: 5, inputShape: [7] }), new FusedLSTM({ units: 4 }), layers.dense({ units: 1, activation: 'sigmoid' })] });
    const ids = tf.tensor2d(Int32Array.from(randomValues(3 * 7, 9), (v) => Math.floor((v + 1) * 10)), [3, 7], 'int32');
    const before = (model.predict(ids) as tf.Tensor).dataSync();
    const dir = await mkdtemp(join(tmpdir(), 'kiln-fused-lstm-'));
    try {
      await saveModel(model, dir);
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { class_name: string }[] } } };
      expect(json.modelTopology.config.layers.map((l) => l.class_name)).toContain('LSTM');
      const loaded = await loadModel(dir);
      expect(loaded.layers[1]).toBeInstanceOf(FusedLSTM);
      expect(Array.from((loaded.predict(ids) as tf.Tensor).dataSync())).toEqual(Array.from(before));
      await tf.setBackend('cpu');
      const onCpu = await loadModel(dir);
      const cpuIds = tf.tensor2d(ids.dataSync() as Int32Array, [3, 7], 'int32');
      expectSameResults([{ shape: [3], values: Array.from((onCpu.predict(cpuIds) as tf.Tensor).dataSync()) }], [{ shape: [3], values: Array.from(before) }], 1e-5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('Kiln models with an lstm layer on wasm', () => {
  const train = async () => {
    await tf.setBackend('wasm');
    const data = syntheticData('text', 300);
    const model = buildModel({ layers: [layer({ type: 'embedding', outputDim: 8 }), layer({ type: 'lstm', units: 6 }), layer({ type: 'dense', units: 1, activation: 'sigmoid' })] }, data, 3);
    const fused = model.layers.some((l) => l instanceof FusedLSTM);
    const spec = trainSpec({ loss: 'binaryCrossentropy', optimizer: { name: 'adam', learningRate: 0.02 }, epochs: 6, batchSize: 32, metrics: ['accuracy'] });
    const result = await trainLoop({ model, spec, data: { ...data, task: 'binary' }, seed: 5 });
    model.dispose();
    return { fused, history: result.history };
  };

  it('train through the fused kernels, learn, and repeat every number on a second run', async () => {
    const [a, b] = [await train(), await train()];
    expect(a.fused).toBe(true);
    expect(a.history).toEqual(b.history);
    const [first] = a.history;
    const last = a.history.at(-1);
    expect(last?.train.loss).toBeLessThan(first?.train.loss ?? Number.NaN);
    expect(last?.val.accuracy).toBeGreaterThan(0.7);
  });
});
