import { afterEach, describe, expect, it } from 'vitest';
import { gemm, MIN_MACS_PER_THREAD, setActiveBlas, setMacsPerThread, threadsFor } from './gemm.ts';
import { findBlas, type BlasLibrary } from './library.ts';

/** OpenBLAS at `threads`, with the counts gemm sets on it recorded in order. */
async function recordingBlas(threads: number): Promise<{ blas: BlasLibrary; set: number[] }> {
  const found = await findBlas('auto', threads);
  if (!found.ok || found.blas === null) throw new Error('no platform BLAS found: install libopenblas0-pthread (Debian/Ubuntu)');
  const real = found.blas;
  const set: number[] = [];
  const setThreads = real.setThreads;
  expect(setThreads).toBeDefined();
  const blas: BlasLibrary = { ...real, setThreads: (n) => { set.push(n); setThreads?.(n); } };
  setActiveBlas(blas);
  return { blas, set };
}

/** C = A·B for m x k and k x n matrices of small integers (exact in float32), through gemm; checks every value. */
function checkedProduct(blas: BlasLibrary, m: number, n: number, k: number): void {
  const a = Float32Array.from({ length: m * k }, (_, i) => (i % 7) - 3);
  const b = Float32Array.from({ length: k * n }, (_, i) => (i % 5) - 2);
  const c = new Float32Array(m * n);
  gemm(blas, false, false, m, n, k, { data: a, offset: 0 }, { data: b, offset: 0 }, { data: c, offset: 0 });
  for (const [i, j] of [[0, 0], [m - 1, n - 1], [m >> 1, n >> 1]] as const) {
    let sum = 0;
    for (let p = 0; p < k; p++) sum += (a[i * k + p] ?? 0) * (b[p * n + j] ?? 0);
    expect(c[i * n + j]).toBe(sum);
  }
}

afterEach(() => {
  setMacsPerThread();
  setActiveBlas(null);
});

describe('BLAS threads per product', () => {
  it('gives a product one thread per MIN_MACS_PER_THREAD multiply-adds, at least one, at most the library count', async () => {
    const { blas } = await recordingBlas(2);
    expect(threadsFor(blas, 64 * 256 * 64)).toBe(1);
    expect(threadsFor(blas, 2 * MIN_MACS_PER_THREAD - 1)).toBe(1);
    expect(threadsFor(blas, 2 * MIN_MACS_PER_THREAD)).toBe(2);
    expect(threadsFor(blas, 100 * MIN_MACS_PER_THREAD)).toBe(2);
    setMacsPerThread(0);
    expect(threadsFor(blas, 1)).toBe(2);
  });

  it('runs small products on one thread and large ones on all, setting the count only when it changes', async () => {
    const { blas, set } = await recordingBlas(2);
    setMacsPerThread(32 * 32 * 32);
    checkedProduct(blas, 16, 16, 16);
    checkedProduct(blas, 24, 16, 16);
    checkedProduct(blas, 64, 64, 64);
    checkedProduct(blas, 64, 64, 64);
    checkedProduct(blas, 16, 16, 16);
    expect(set).toEqual([1, 2, 1]);
  });

  it('leaves a one-thread library alone', async () => {
    const { blas, set } = await recordingBlas(1);
    setMacsPerThread(32 * 32 * 32);
    checkedProduct(blas, 64, 64, 64);
    checkedProduct(blas, 16, 16, 16);
    expect(set).toEqual([]);
  });
});
