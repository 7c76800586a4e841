import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// Registers tfjs-core's gradients (its own node bundle does not).
import '@tensorflow/tfjs-layers';
import { expect } from 'vitest';
import { registerChainedOps } from '../chained-ops.ts';
import { loadWasm } from '../load-wasm.ts';

/** Brings up wasm (with Kiln's gradient kernels) next to cpu so tests can switch between them. */
export async function setupBackends(): Promise<void> {
  registerChainedOps();
  const threads = await loadWasm();
  if (threads === null) throw new Error('wasm backend failed to initialise');
  await tf.setBackend('cpu');
}

/** Deterministic values in [-1, 1) so both backends see identical inputs. */
export function randomValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** Runs fn on the named backend and returns every output tensor's shape and values. */
export async function computeOn(backend: string, fn: () => tf.Tensor[]): Promise<{ shape: number[]; values: number[] }[]> {
  await tf.setBackend(backend);
  const outs = tf.tidy(fn);
  const result = outs.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
  tf.dispose(outs);
  return result;
}

/** Asserts wasm and cpu results agree in shape and, elementwise, within a relative tolerance. */
export function expectSameResults(
  actual: { shape: number[]; values: number[] }[],
  expected: { shape: number[]; values: number[] }[],
  tolerance = 1e-3,
): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(a.shape).toEqual(expected[i].shape);
    const worst = a.values.reduce(
      (max, v, j) => Math.max(max, Math.abs(v - expected[i].values[j]) / (1 + Math.abs(expected[i].values[j]))),
      0,
    );
    expect(worst).toBeLessThan(tolerance);
  });
}

/** Runs fn on cpu and on wasm and asserts both give the same outputs. */
export async function expectWasmMatchesCpu(fn: () => tf.Tensor[], tolerance = 1e-3): Promise<void> {
  const expected = await computeOn('cpu', fn);
  const actual = await computeOn('wasm', fn);
  expectSameResults(actual, expected, tolerance);
}
