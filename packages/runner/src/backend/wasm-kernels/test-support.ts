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

/** One output tensor read back: its shape and values. */
export interface Computed {
  shape: number[];
  values: number[];
}

/** Runs fn on the named backend and returns every output tensor's shape and values, position for position. */
export async function computeOn<T extends tf.Tensor[]>(
  backend: string,
  fn: () => [...T],
): Promise<{ [K in keyof T]: Computed }> {
  await tf.setBackend(backend);
  const outs = tf.tidy(fn);
  const result = outs.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
  tf.dispose(outs);
  // map keeps length and order, so the tuple of tensors becomes the same tuple of results.
  return result as { [K in keyof T]: Computed };
}

/** Asserts wasm and cpu results agree in shape and, elementwise, within a relative tolerance. */
export function expectSameResults(actual: Computed[], expected: Computed[], tolerance = 1e-3): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i];
    expect(a.shape).toEqual(e?.shape);
    expect(a.values.length).toBe(e?.values.length);
    const worst = a.values.reduce((max, v, j) => {
      const want = e?.values[j] ?? Number.NaN;
      return Math.max(max, Math.abs(v - want) / (1 + Math.abs(want)));
    }, 0);
    expect(worst).toBeLessThan(tolerance);
  });
}

/** Runs fn on cpu and on wasm and asserts both give the same outputs. */
export async function expectWasmMatchesCpu(fn: () => tf.Tensor[], tolerance = 1e-3): Promise<void> {
  const expected = await computeOn('cpu', fn);
  const actual = await computeOn('wasm', fn);
  expectSameResults(actual, expected, tolerance);
}
