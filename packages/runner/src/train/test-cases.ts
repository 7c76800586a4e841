/** Hand-computed loss values and optimizer settings shared by the loss and optimizer tests. */
import * as tf from '@tensorflow/tfjs-core';
import type { LossName, OptimizerSpec } from '@kiln/core';

interface LossCase {
  width: number;
  target: () => tf.Tensor;
  head: (z: tf.Tensor) => tf.Tensor;
  fixedPred: () => tf.Tensor;
  expected: number;
}

const regression = (expected: number): LossCase => ({
  width: 1,
  target: () => tf.tensor2d([[1], [2], [0], [3]]),
  head: (z) => z,
  fixedPred: () => tf.tensor2d([[1.5], [2], [-1], [0.5]]),
  expected,
});
const multiclass = (): LossCase => ({
  width: 3,
  target: () => tf.tensor1d([0, 2, 1, 2], 'int32'),
  head: (z) => tf.softmax(z),
  fixedPred: () => tf.tensor2d([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8], [0.2, 0.6, 0.2], [0.25, 0.25, 0.5]]),
  expected: -(Math.log(0.5) + Math.log(0.8) + Math.log(0.6) + Math.log(0.5)) / 4,
});

/** Errors 0.5, 0, 1, 2.5 for the regression losses. */
export const LOSSES: Record<LossName, LossCase> = {
  mse: regression((0.25 + 0 + 1 + 6.25) / 4),
  mae: regression((0.5 + 0 + 1 + 2.5) / 4),
  huber: regression((0.125 + 0 + 0.5 + 2) / 4),
  binaryCrossentropy: {
    width: 1,
    target: () => tf.tensor2d([[1], [0], [1], [0]]),
    head: (z) => tf.sigmoid(z),
    fixedPred: () => tf.tensor2d([[0.8], [0.3], [0.6], [0.1]]),
    expected: -(Math.log(0.8) + Math.log(0.7) + Math.log(0.6) + Math.log(0.9)) / 4,
  },
  categoricalCrossentropy: multiclass(),
  sparseCategoricalCrossentropy: multiclass(),
};

/** One spec per optimizer (and SGD with Nesterov momentum), with rates that move a toy problem in 30 steps. */
export const OPTIMIZERS_FOR_TEST: OptimizerSpec[] = [
  { name: 'sgd', learningRate: 0.05, momentum: 0, nesterov: false },
  { name: 'sgd', learningRate: 0.05, momentum: 0.9, nesterov: true },
  { name: 'adam', learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  { name: 'adamw', learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.01 },
  { name: 'adamax', learningRate: 0.05, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  { name: 'rmsprop', learningRate: 0.01, rho: 0.9, momentum: 0, epsilon: 1e-7 },
  { name: 'adagrad', learningRate: 0.1, initialAccumulatorValue: 0.1 },
  { name: 'adadelta', learningRate: 1, rho: 0.95, epsilon: 1e-6 },
];
