import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../model/build.ts';
import { logitLoss, trainingLossFn } from './logit-losses.ts';
import { asProbabilities, LogitOutputs } from './logits.ts';
import { exampleWeights, headLossFn, type LossFn } from './losses.ts';
import { trainLoop } from './loop.ts';
import { syntheticData } from './synthetic.ts';
import { expectSameHistory, layer, trainSpec, useWasm } from './test-support.ts';

beforeAll(useWasm);

/** The loss's value and its gradient with respect to the logits. */
function valueAndGrad(fn: (z: tf.Tensor) => tf.Scalar, logits: number[][]): { value: number; grad: number[] } {
  return tf.tidy(() => {
    const z = tf.tensor2d(logits);
    const { value, grad } = tf.valueAndGrad(fn)(z);
    return { value: value.dataSync()[0] ?? Number.NaN, grad: Array.from(grad.dataSync()) };
  });
}

/** Fused (on logits) against the probability form (on the activation's output), value and gradient. */
function compare(fused: LossFn, probability: LossFn, activation: 'softmax' | 'sigmoid', y: () => tf.Tensor, logits: number[][]) {
  const onLogits = valueAndGrad((z) => fused(y(), z), logits);
  const onProbabilities = valueAndGrad((z) => probability(y(), asProbabilities(z, activation)), logits);
  expect(onLogits.grad).toHaveLength(logits.flat().length);
  expect(onLogits.value).toBeCloseTo(onProbabilities.value, 5);
  onLogits.grad.forEach((g, i) => expect(g, `gradient ${i}`).toBeCloseTo(onProbabilities.grad[i] ?? Number.NaN, 6));
  return { onLogits, onProbabilities };
}

// Row 3's true class has probability e^-40 (the clip holds its loss at -log 1e-7, no gradient); row 4's is nearly 1.
const LOGITS = [
  [0.5, -1.2, 2.0],
  [1.5, 0.3, -0.7],
  [-2.0, 0.1, 0.4],
  [40, 0, 0],
  [0, 0, 30],
];
const IDS = () => tf.tensor1d([2, 0, 1, 1, 2], 'int32');

describe('softmax cross-entropy on logits', () => {
  it('equals the clipped cross-entropy of the softmax, value and gradient, clipped rows included', () => {
    const { onLogits } = compare(trainingLossFn({ loss: 'sparseCategoricalCrossentropy' }, 'softmax'), headLossFn({ loss: 'sparseCategoricalCrossentropy' }), 'softmax', IDS, LOGITS);
    // The clipped row sends nothing back, the others do.
    expect(onLogits.grad.slice(9, 12).map(Math.abs)).toEqual([0, 0, 0]);
    expect(Math.abs(onLogits.grad[0] ?? 0)).toBeGreaterThan(0.01);
  });

  it('weights each example by its class like the probability form', () => {
    const weights = [2, 0.5, 3];
    const { onLogits } = compare(trainingLossFn({ loss: 'categoricalCrossentropy', classWeights: weights }, 'softmax'), headLossFn({ loss: 'categoricalCrossentropy', classWeights: weights }), 'softmax', IDS, LOGITS);
    const unweighted = valueAndGrad((z) => logitLoss('softmax')(IDS(), z), LOGITS);
    expect(onLogits.value).not.toBeCloseTo(unweighted.value, 2);
  });

  it('gives NaN for NaN logits', () => {
    const value = tf.tidy(() => logitLoss('softmax')(IDS(), tf.mul(tf.tensor2d(LOGITS), Number.NaN)).dataSync()[0]);
    expect(value).toBeNaN();
  });
});

describe('sigmoid cross-entropy on logits', () => {
  const y = () => tf.tensor2d([[1], [0], [1], [0], [1]]);
  // Row 3 (target 0, p ~ 1 - e^-25) and row 4 (target 1, p ~ e^-30) sit in the clip.
  const logits = [[0.8], [-0.4], [2.5], [25], [-30]];

  it('equals the clipped binary cross-entropy of the sigmoid, value and gradient', () => {
    const { onLogits } = compare(trainingLossFn({ loss: 'binaryCrossentropy' }, 'sigmoid'), headLossFn({ loss: 'binaryCrossentropy' }), 'sigmoid', y, logits);
    expect(onLogits.grad.slice(3).map(Math.abs)).toEqual([0, 0]);
  });

  it('with class weights', () => {
    const weights = [0.25, 4];
    compare(trainingLossFn({ loss: 'binaryCrossentropy', classWeights: weights }, 'sigmoid'), headLossFn({ loss: 'binaryCrossentropy', classWeights: weights }), 'sigmoid', y, logits);
    const w = tf.tidy(() => Array.from(exampleWeights(y(), weights).dataSync()));
    expect(w).toEqual([4, 0.25, 4, 0.25, 4]);
  });
});

describe('LogitOutputs', () => {
  const data = syntheticData('multiclass', 20);
  const model = () => buildModel({ layers: [layer({ type: 'dense', units: 4, activation: 'relu' }), layer({ type: 'dense', units: 3, activation: 'softmax' })] }, data, 3);

  it('gives logits inside run and probabilities outside it', () => {
    const m = model();
    const outputs = new LogitOutputs(m, [{ loss: 'sparseCategoricalCrossentropy' }]);
    expect(outputs.activations).toEqual(['softmax']);
    const [probs, fromLogits, after] = tf.tidy(() => {
      const x = tf.tensor2d(data.train.x.subarray(0, 5 * 4), [5, 4]);
      const z = outputs.run(() => m.apply(x) as tf.Tensor);
      return [m.apply(x) as tf.Tensor, tf.softmax(z), m.apply(x) as tf.Tensor].map((t) => Array.from(t.dataSync()));
    });
    expect(probs).toHaveLength(15);
    fromLogits?.forEach((p, i) => expect(p).toBeCloseTo(probs?.[i] ?? Number.NaN, 6));
    expect(after).toEqual(probs);
    m.dispose();
  });

  it('leaves outputs whose loss does not fuse with their activation alone', () => {
    const m = model();
    expect(new LogitOutputs(m, [{ loss: 'mse' }]).activations).toEqual([undefined]);
    expect(new LogitOutputs(m, [{ loss: 'binaryCrossentropy' }]).activations).toEqual([undefined]);
    expect(new LogitOutputs(m, []).activations).toEqual([]);
    expect(() => trainingLossFn({ loss: 'mse' }, 'softmax')).toThrow(/cannot take over/);
    m.dispose();
  });

  it('leaves a relu output, and a model whose output layer also feeds another, alone', () => {
    const relu = buildModel({ layers: [layer({ type: 'dense', units: 3, activation: 'relu' })] }, data, 3);
    expect(new LogitOutputs(relu, [{ loss: 'sparseCategoricalCrossentropy' }]).activations).toEqual([undefined]);
    const m = model();
    const [out] = m.outputs;
    if (out) tfl.layers.dense({ units: 2 }).apply(out);
    expect(new LogitOutputs(m, [{ loss: 'sparseCategoricalCrossentropy' }]).activations).toEqual([undefined]);
    relu.dispose();
    m.dispose();
  });
});

describe('training on logits', () => {
  for (const kind of ['multiclass', 'binary'] as const) {
    it(`reports the ${kind} losses and metrics of training on probabilities, for a fixed seed`, async () => {
      const data = syntheticData(kind, 200);
      const head = kind === 'multiclass' ? layer({ type: 'dense', units: 3, activation: 'softmax' }) : layer({ type: 'dense', units: 1, activation: 'sigmoid' });
      const spec = trainSpec({ loss: kind === 'multiclass' ? 'sparseCategoricalCrossentropy' : 'binaryCrossentropy', optimizer: { name: 'adam', learningRate: 0.02 }, epochs: 4, batchSize: 16, metrics: ['accuracy', 'f1'] });
      const run = async (fuseOutputs: boolean) => {
        const model = buildModel({ layers: [layer({ type: 'dense', units: 16, activation: 'relu' }), layer({ type: 'dropout', rate: 0.2 }), head] }, data, 11);
        const r = await trainLoop({ model, spec, data: { ...data, task: kind }, seed: 5, fuseOutputs });
        model.dispose();
        return r.history;
      };
      const [fused, probability] = [await run(true), await run(false)];
      expect(fused).toHaveLength(4);
      expectSameHistory(fused, probability, (value, expected, label) => expect(value, label).toBeCloseTo(expected, 4));
    });
  }
});
