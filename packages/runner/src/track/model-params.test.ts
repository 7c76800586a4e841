import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { camelName, modelParams } from './model-params.ts';

describe('modelParams', () => {
  it('names layer types like the spec does', () => {
    expect(['Dense', 'LSTM', 'SimpleRNN', 'Conv2D', 'BatchNormalization', 'GRU'].map(camelName)).toEqual(['dense', 'lstm', 'simpleRNN', 'conv2D', 'batchNormalization', 'gru']);
  });

  it('records the optimizer, loss, layers (no input layer, no auto names, inputShape) and fit settings', async () => {
    await tf.setBackend('cpu');
    const model = tfl.sequential({
      layers: [tfl.layers.dense({ inputShape: [3], units: 4, activation: 'tanh' }), tfl.layers.dropout({ rate: 0.25 }), tfl.layers.dense({ units: 1, name: 'head' })],
    });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const p = modelParams(model, { epochs: 7, batchSize: 32, samples: 100, steps: null, doValidation: false });
    expect(p).toMatchObject({
      'train.optimizer.name': 'sgd',
      'train.optimizer.learningRate': 0.1,
      'train.loss': 'meanSquaredError',
      'train.epochs': 7,
      'train.batchSize': 32,
      'train.samples': 100,
      'train.validation': false,
      'model.layers[0].type': 'dense',
      'model.layers[0].units': 4,
      'model.layers[0].activation': 'tanh',
      'model.layers[0].inputShape[0]': 3,
      'model.layers[1].type': 'dropout',
      'model.layers[1].rate': 0.25,
      'model.layers[2].name': 'head',
      'model.parameters': 3 * 4 + 4 + 4 + 1,
    });
    expect(Object.keys(p).filter((k) => k.endsWith('.name') && k.startsWith('model.layers[0]'))).toEqual([]);
    expect(Object.keys(p).some((k) => k.includes('batchInputShape') || k.startsWith('train.stepsPerEpoch'))).toBe(false);
  });

  it('records only the layers of a model not compiled yet', () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
    const p = modelParams(model);
    expect(p['model.layers[0].units']).toBe(1);
    expect(Object.keys(p).some((k) => k.startsWith('train.'))).toBe(false);
  });
});
