/** `runtime.blas` applied to the wasm backend: find the library, route the products through it, say what was used. */
import type { KilnError } from '@kiln/core/errors';
import { findBlas } from './library.ts';
import { useBlas } from './register.ts';

/** What computes the wasm backend's matrix products, as provenance records it. */
export interface BlasUse {
  /** 'off' (runtime.blas: off), 'xnnpack' (auto found no BLAS), or the library's name and build. */
  name: string;
  /** The library file; null when none is used. */
  path: string | null;
  /** Its thread count; null when none is used or the library does not say. */
  threads: number | null;
}

/** Applies `runtime.blas` (auto | off | a library path) after the wasm backend is up; a located error for a path that cannot be used. */
export async function setupBlas(choice: string, threads?: number): Promise<{ ok: true; use: BlasUse } | { ok: false; error: KilnError }> {
  if (choice === 'off') {
    useBlas(null);
    return { ok: true, use: { name: 'off', path: null, threads: null } };
  }
  const found = await findBlas(choice, threads);
  if (!found.ok) {
    useBlas(null);
    return found;
  }
  useBlas(found.blas);
  if (found.blas === null) return { ok: true, use: { name: 'xnnpack', path: null, threads: null } };
  const { name, path, threads: used } = found.blas;
  return { ok: true, use: { name, path, threads: used } };
}

/** One line for provenance and the terminal: `OpenBLAS 0.3.21 (/usr/lib/…/libopenblas.so.0), 2 threads`, `off`, `xnnpack`. */
export function describeBlas(use: BlasUse): string {
  if (use.path === null) return use.name;
  const threads = use.threads === null ? '' : `, ${use.threads} thread${use.threads === 1 ? '' : 's'}`;
  return `${use.name} (${use.path})${threads}`;
}
