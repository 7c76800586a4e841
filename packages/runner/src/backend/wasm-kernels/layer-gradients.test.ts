import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeOn, expectSameResults, randomValues, setupBackends } from './test-support.ts';

beforeAll(setupBackends);

interface LayerCase {
  name: string;
  inputShape: number[];
  layers: () => tfl.layers.Layer[];
  /** Integer inputs (token ids) instead of floats. */
  ids?: number;
}

const cases: LayerCase[] = [
  { name: 'conv1d', inputShape: [12, 3], layers: () => [tfl.layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same' })] },
  { name: 'maxPooling1d', inputShape: [12, 3], layers: () => [tfl.layers.conv1d({ filters: 4, kernelSize: 3 }), tfl.layers.maxPooling1d({ poolSize: 2 })] },
  { name: 'maxPooling2d same', inputShape: [7, 6, 2], layers: () => [tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' })] },
  { name: 'averagePooling1d', inputShape: [12, 3], layers: () => [tfl.layers.averagePooling1d({ poolSize: 3, strides: 2 })] },
  { name: 'averagePooling2d same', inputShape: [7, 6, 2], layers: () => [tfl.layers.averagePooling2d({ poolSize: 2, padding: 'same' })] },
  { name: 'separableConv2d', inputShape: [8, 8, 3], layers: () => [tfl.layers.separableConv2d({ filters: 4, kernelSize: 3, depthMultiplier: 2 })] },
  { name: 'conv2dTranspose', inputShape: [5, 4, 3], layers: () => [tfl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' })] },
  { name: 'lstm', inputShape: [6, 4], layers: () => [tfl.layers.lstm({ units: 5, returnSequences: true })] },
  { name: 'gru', inputShape: [6, 4], layers: () => [tfl.layers.gru({ units: 5 })] },
  { name: 'batchNormalization', inputShape: [5, 4], layers: () => [tfl.layers.batchNormalization()] },
  { name: 'layerNormalization', inputShape: [5, 4], layers: () => [tfl.layers.layerNormalization()] },
  { name: 'embedding', inputShape: [7], ids: 20, layers: () => [tfl.layers.embedding({ inputDim: 20, outputDim: 6 })] },
];

/** The model's output and gradients of a fixed weighted loss w.r.t. its input (floats only) and weights. */
function outputsAndGrads(model: tfl.LayersModel, input: tf.Tensor, withInputGrad: boolean): tf.Tensor[] {
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const output = model.apply(input, { training: true }) as tf.Tensor;
  const weights = tf.tensor(randomValues(output.size, 51), output.shape);
  const loss = (x: tf.Tensor) => tf.sum(tf.mul(model.apply(x, { training: true }) as tf.Tensor, weights)) as tf.Scalar;
  // variableGrads refuses an empty list, and pooling layers have no weights.
  const varGrads = vars.length === 0 ? [] : Object.values(tf.variableGrads(() => loss(input), vars).grads);
  return withInputGrad ? [output, tf.grad(loss)(input), ...varGrads] : [output, ...varGrads];
}

describe('standard layers train on wasm with cpu-equal gradients', () => {
  it.each(cases)('$name', async ({ inputShape, layers, ids }) => {
    await tf.setBackend('cpu');
    const model = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape }), ...layers()] });
    const initial = model.getWeights().map((w) => ({ values: w.dataSync().slice(), shape: w.shape }));
    const size = 3 * inputShape.reduce((a, b) => a * b);
    const values = ids === undefined ? randomValues(size, 52) : Int32Array.from({ length: size }, (_, i) => (i * 7) % ids);
    const run = (backend: string) =>
      computeOn(backend, () => {
        model.setWeights(initial.map((w) => tf.tensor(w.values, w.shape)));
        const input = tf.tensor(values, [3, ...inputShape], ids === undefined ? 'float32' : 'int32');
        return outputsAndGrads(model, input, ids === undefined);
      });
    const expected = await run('cpu');
    const actual = await run('wasm');
    expect(actual.length).toBeGreaterThan(1);
    expectSameResults(actual, expected);
    model.dispose();
  });

  it('dropout trains on wasm: gradient is zero exactly where units were dropped', async () => {
    const [out, grad] = await computeOn('wasm', (): [tf.Tensor, tf.Tensor] => {
      const layer = tfl.layers.dropout({ rate: 0.5, seed: 3 });
      const input = tf.ones([4, 50]);
      const f = (x: tf.Tensor) => layer.apply(x, { training: true }) as tf.Tensor;
      return [f(input), tf.grad((x: tf.Tensor) => tf.sum(f(x)))(input)];
    });
    const dropped = out.values.filter((v) => v === 0).length;
    expect(dropped).toBeGreaterThan(40);
    expect(dropped).toBeLessThan(160);
    grad.values.forEach((g) => expect([0, 2]).toContain(g));
  });
});
