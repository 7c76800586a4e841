/** Fused optimizer updates on the wasm heap (one kernel call per variable); null off wasm, where tfjs' optimizers stay. */
import type * as tf from '@tensorflow/tfjs-core';
import { activeWasmBackend } from './heap.ts';
import { FusedOptimizer, type FusedRule } from './optimizer.ts';

export { adadeltaRule, adagradRule, adamaxRule, adamRule, rmspropRule, sgdRule } from './rules.ts';
export { FusedOptimizer, type FusedRule } from './optimizer.ts';

/** A fused optimizer for `rule` when the active backend is wasm, else null (the caller falls back to tfjs' own). */
export function fusedOptimizer(learningRate: number, rule: FusedRule): tf.Optimizer | null {
  const backend = activeWasmBackend();
  return backend ? new FusedOptimizer(learningRate, rule, backend) : null;
}
