/** Optimizers by spec name, and changing their learning rate between epochs. */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerName, OptimizerSpec } from '@kiln/core';
import { Adadelta } from './adadelta.ts';

type Of<N extends OptimizerName> = Extract<OptimizerSpec, { name: N }>;
type Builder<N extends OptimizerName> = (spec: Of<N>) => tf.Optimizer;

/** One entry per spec optimizer. */
export const OPTIMIZER_BUILDERS: { [N in OptimizerName]: Builder<N> } = {
  sgd: (s) => (s.momentum > 0 ? tf.train.momentum(s.learningRate, s.momentum, s.nesterov) : tf.train.sgd(s.learningRate)),
  adam: (s) => tf.train.adam(s.learningRate, s.beta1, s.beta2, s.epsilon),
  adamax: (s) => tf.train.adamax(s.learningRate, s.beta1, s.beta2, s.epsilon),
  rmsprop: (s) => tf.train.rmsprop(s.learningRate, s.rho, s.momentum, s.epsilon),
  adagrad: (s) => tf.train.adagrad(s.learningRate, s.initialAccumulatorValue),
  // Kiln's own: tfjs-core's adadelta diverges (see adadelta.ts).
  adadelta: (s) => new Adadelta(s.learningRate, s.rho, s.epsilon),
};

/** Builds the optimizer the spec names. */
export function makeOptimizer(spec: OptimizerSpec): tf.Optimizer {
  return (OPTIMIZER_BUILDERS[spec.name] as Builder<OptimizerName>)(spec);
}

/** Sets the learning rate; SGD caches it as a tensor, so it must go through setLearningRate. */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as tf.Optimizer & { learningRate: number; setLearningRate?: (lr: number) => void };
  if (o.learningRate === lr) return;
  if (o.setLearningRate) o.setLearningRate(lr);
  else o.learningRate = lr;
}
