import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blasCandidates, findBlas } from './library.ts';
import { describeBlas, setupBlas } from './setup.ts';

// A library every Linux process has loaded, which exports no cblas_sgemm.
const LIBC = ['/lib/x86_64-linux-gnu/libc.so.6', '/usr/lib/x86_64-linux-gnu/libc.so.6', '/lib/aarch64-linux-gnu/libc.so.6', '/usr/lib64/libc.so.6'].find((p) => existsSync(p)) ?? 'libc.so.6';

describe('finding the platform BLAS', () => {
  it('auto finds OpenBLAS first among the candidates and applies the thread count', async () => {
    expect(blasCandidates()[0]).toMatch(/openblas/i);
    for (const threads of [2, 1]) {
      const found = await findBlas('auto', threads);
      expect(found.ok && found.blas?.name).toMatch(/^OpenBLAS \d/);
      // openblas_get_num_threads answers: the count really changed in the library
      expect(found.ok && found.blas?.threads).toBe(threads);
    }
  });

  it('an explicit path that is not a BLAS is a located error naming why', async () => {
    const found = await findBlas(LIBC);
    expect(found.ok).toBe(false);
    if (found.ok) return;
    expect(found.error).toMatchObject({ code: 'backend/blas', path: 'runtime.blas' });
    expect(found.error.message).toContain('does not export cblas_sgemm');
    expect(found.error.hint).toContain('runtime.blas: off');
  });

  it('describes what computes the products for provenance: library, path, threads; off; xnnpack', async () => {
    const on = await setupBlas('auto', 1);
    expect(on.ok && describeBlas(on.use)).toMatch(/^OpenBLAS \S+ \(\/.+\), 1 thread$/);
    const off = await setupBlas('off');
    expect(off.ok && describeBlas(off.use)).toBe('off');
    expect(describeBlas({ name: 'xnnpack', path: null, threads: null })).toBe('xnnpack');
  });
});
