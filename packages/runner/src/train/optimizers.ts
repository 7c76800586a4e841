/**
 * Optimizers by spec name, and changing their learning rate between epochs. On the wasm backend
 * each is a fused update (one WebAssembly SIMD pass over a variable and its slots, in place);
 * elsewhere tfjs' own optimizers, which compute the same values.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerName, OptimizerSpec } from '@kiln/core';
import { adadeltaRule, adagradRule, adamaxRule, adamRule, fusedOptimizer, rmspropRule, sgdRule } from '../backend/fused-optimizers/index.ts';
import { Adadelta } from './adadelta.ts';
import { AdamW } from './adamw.ts';

type Of<N extends OptimizerName> = Extract<OptimizerSpec, { name: N }>;
type Builder<N extends OptimizerName, R = tf.Optimizer> = (spec: Of<N>) => R;

/** tfjs' optimizers (and Kiln's Adadelta), for backends other than wasm: one entry per spec optimizer. */
export const OPTIMIZER_BUILDERS: { [N in OptimizerName]: Builder<N> } = {
  sgd: (s) => (s.momentum > 0 ? tf.train.momentum(s.learningRate, s.momentum, s.nesterov) : tf.train.sgd(s.learningRate)),
  adam: (s) => tf.train.adam(s.learningRate, s.beta1, s.beta2, s.epsilon),
  // tfjs-core has no AdamW: its Adam after the decoupled decay.
  adamw: (s) => new AdamW(s.learningRate, s.beta1, s.beta2, s.epsilon, s.weightDecay),
  adamax: (s) => tf.train.adamax(s.learningRate, s.beta1, s.beta2, s.epsilon),
  rmsprop: (s) => tf.train.rmsprop(s.learningRate, s.rho, s.momentum, s.epsilon),
  adagrad: (s) => tf.train.adagrad(s.learningRate, s.initialAccumulatorValue),
  // Kiln's own: tfjs-core's adadelta diverges (see adadelta.ts).
  adadelta: (s) => new Adadelta(s.learningRate, s.rho, s.epsilon),
};

/** The fused update rules, one entry per spec optimizer, with the options each takes from the spec. */
export const FUSED_BUILDERS: { [N in OptimizerName]: Builder<N, tf.Optimizer | null> } = {
  sgd: (s) => fusedOptimizer(s.learningRate, sgdRule(s)),
  adam: (s) => fusedOptimizer(s.learningRate, adamRule(s)),
  adamw: (s) => fusedOptimizer(s.learningRate, adamRule(s)),
  adamax: (s) => fusedOptimizer(s.learningRate, adamaxRule(s)),
  rmsprop: (s) => fusedOptimizer(s.learningRate, rmspropRule(s)),
  // tfjs' Adagrad adds the backend's epsilon (1e-7 on wasm, float32's).
  adagrad: (s) => fusedOptimizer(s.learningRate, adagradRule({ initialAccumulatorValue: s.initialAccumulatorValue, epsilon: tf.backend().epsilon() })),
  adadelta: (s) => fusedOptimizer(s.learningRate, adadeltaRule(s)),
};

/** Builds the optimizer the spec names: fused on wasm (unless `fused` is false), tfjs' otherwise. */
export function makeOptimizer(spec: OptimizerSpec, opts: { fused?: boolean } = {}): tf.Optimizer {
  const fused = opts.fused === false ? null : (FUSED_BUILDERS[spec.name] as Builder<OptimizerName, tf.Optimizer | null>)(spec);
  return fused ?? (OPTIMIZER_BUILDERS[spec.name] as Builder<OptimizerName>)(spec);
}

/** Sets the learning rate; SGD caches it as a tensor, so it must go through setLearningRate. */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as tf.Optimizer & { learningRate: number; setLearningRate?: (lr: number) => void };
  if (o.learningRate === lr) return;
  if (o.setLearningRate) o.setLearningRate(lr);
  else o.learningRate = lr;
}
