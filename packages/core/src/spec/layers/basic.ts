/** Layers that work on any rank: dense, dropout, activation and the normalizations. */
import { int, num, oneOf } from '../fields.ts';
import { ACTIVATIONS, activation, defineLayer, lastDim, layer, noParams, same, vec, weighted } from './define.ts';

export const dense = defineLayer({
  schema: layer('dense', 'Fully connected layer.', { units: int('Number of output units.', { minimum: 1 }), activation: activation('linear'), ...weighted }),
  shape: (input, l) =>
    input.dims.length > 1 ? `dense needs a flat vector, but the input has shape [${input.dims.map((d) => d ?? '?').join(', ')}]; add a flatten or a global pooling layer before it` : vec(l.units),
  params: (input, l) => lastDim(input) * l.units + l.units,
});

export const dropout = defineLayer({
  schema: layer('dropout', 'Randomly zero a fraction of inputs while training.', { rate: num('Fraction of inputs to drop.', { minimum: 0, exclusiveMaximum: 1 }) }),
  shape: same,
  params: noParams,
});

export const activationLayer = defineLayer({
  schema: layer('activation', 'Apply an activation function.', { activation: oneOf(ACTIVATIONS, 'Activation function.') }),
  shape: same,
  params: noParams,
});

export const batchNormalization = defineLayer({
  schema: layer('batchNormalization', 'Normalize activations over the batch.', {
    momentum: num('Momentum of the moving averages.', { minimum: 0, maximum: 1, default: 0.99 }),
    epsilon: num('Added to the variance for stability.', { exclusiveMinimum: 0, default: 0.001 }),
  }),
  shape: same,
  // gamma, beta and the two moving statistics
  params: (input) => 4 * lastDim(input),
});

export const layerNormalization = defineLayer({
  schema: layer('layerNormalization', 'Normalize activations over the features of each example.', {
    epsilon: num('Added to the variance for stability.', { exclusiveMinimum: 0, default: 0.001 }),
  }),
  shape: same,
  params: (input) => 2 * lastDim(input),
});
