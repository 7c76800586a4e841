import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { computeOn, expectSameResults, setupBackends, type Computed } from '../wasm-kernels/test-support.ts';
import { setBlasThreshold } from './gemm.ts';
import { findBlas, type BlasLibrary } from './library.ts';
import { useBlas } from './register.ts';

/** The platform BLAS with its sgemm calls counted, so a test can tell that BLAS, not a silent fallback, computed. */
export interface CountingBlas {
  blas: BlasLibrary;
  calls: () => number;
}

/**
 * Brings up wasm and cpu and finds the platform BLAS, which these tests need: CI installs OpenBLAS
 * (.ci/run), and a machine without one should fail here rather than pass on XNNPACK alone.
 */
export async function setupBlasBackends(): Promise<CountingBlas> {
  await setupBackends();
  const found = await findBlas('auto', 1);
  if (!found.ok || found.blas === null) throw new Error('no platform BLAS found: install libopenblas0-pthread (Debian/Ubuntu)');
  const real = found.blas;
  let calls = 0;
  const blas: BlasLibrary = { ...real, sgemm: (...args) => { calls++; real.sgemm(...args); } };
  return { blas, calls: () => calls };
}

/** fn on wasm with every product through BLAS (no size threshold), and how many sgemm calls it made. */
export async function computeWithBlas(counting: CountingBlas, fn: () => tf.Tensor[]): Promise<{ results: Computed[]; calls: number }> {
  useBlas(counting.blas);
  setBlasThreshold(0);
  const before = counting.calls();
  try {
    const results = await computeOn('wasm', fn);
    return { results, calls: counting.calls() - before };
  } finally {
    useBlas(null);
    setBlasThreshold();
  }
}

/**
 * Asserts fn gives the same values through BLAS as on cpu and on wasm without BLAS (XNNPACK and Kiln's kernels), and
 * that BLAS did compute. The default tolerance, 1e-4 relative to 1 + |expected|: float32 products summing up to a few
 * hundred terms in [-1, 1) in another order differ by about k·2^-24·|terms| (~1e-5 here); a wrong index, transpose
 * or missing bias is off by O(1).
 */
export async function expectBlasMatches(counting: CountingBlas, fn: () => tf.Tensor[], opts: { tolerance?: number; xnnpack?: boolean } = {}): Promise<void> {
  const { tolerance = 1e-4, xnnpack = true } = opts;
  const cpu = await computeOn('cpu', fn);
  useBlas(null);
  const without = xnnpack ? await computeOn('wasm', fn) : null;
  const { results, calls } = await computeWithBlas(counting, fn);
  expect(calls).toBeGreaterThan(0);
  expectSameResults(results, cpu, tolerance);
  if (without) expectSameResults(results, without, tolerance);
}
