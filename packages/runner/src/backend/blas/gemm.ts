/** The active BLAS and one sgemm on float arrays (views of the wasm heap or scratch), with size thresholds. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { CBLAS, type BlasLibrary } from './library.ts';

let active: BlasLibrary | null = null;

/** The BLAS the wasm kernels use now, or null (XNNPACK). */
export function activeBlas(): BlasLibrary | null {
  return active;
}

/** Sets the BLAS the kernels use (null: XNNPACK); register.ts calls it with the kernels it registers. */
export function setActiveBlas(blas: BlasLibrary | null): void {
  active = blas;
}

/**
 * Products below this many multiply-adds stay on XNNPACK, where the FFI call and heap views would be most of the
 * time. `pnpm bench kernels` (size rows, busy 2-core machine): BLAS was ahead from the smallest measured, 16x16x16
 * (0.012 vs 0.016 ms), through 256x256x256 (0.33 vs 1.26 ms), and on the MLP's 64x128x10 (0.023 vs 0.035 ms).
 */
export const MIN_BLAS_MACS = 16 * 16 * 16;

let minMacs = MIN_BLAS_MACS;

/** Sets the size threshold (multiply-adds); tests and the kernel bench set 0 to send every product to BLAS. */
export function setBlasThreshold(macs: number = MIN_BLAS_MACS): void {
  minMacs = macs;
}

/** Whether the threshold is off (0): tests and the kernel bench then send every product, of any shape, to BLAS. */
export const everyProductOnBlas = (): boolean => minMacs === 0;

/** Whether a product of this size goes to BLAS (one is active and the product is large enough). */
export function useBlasFor(m: number, n: number, k: number): BlasLibrary | null {
  return active !== null && m * n * k >= minMacs ? active : null;
}

/** One operand: a float array and where its matrix starts. */
export interface Operand {
  data: Float32Array;
  offset: number;
}

/** C[m, n] = op(A)·op(B) (+ C when accumulate), row-major, each operand densely packed from its offset. */
export function gemm(blas: BlasLibrary, transA: boolean, transB: boolean, m: number, n: number, k: number, a: Operand, b: Operand, c: Operand, accumulate = false): void {
  if (m === 0 || n === 0) return;
  const view = (o: Operand, size: number) => (o.offset === 0 && o.data.length === size ? o.data : o.data.subarray(o.offset, o.offset + size));
  const cView = view(c, m * n);
  // BLAS leaves C alone when k is 0 (beta applies), which is the zero product tfjs returns.
  if (k === 0) {
    if (!accumulate) cView.fill(0);
    return;
  }
  blas.sgemm(
    CBLAS.rowMajor, transA ? CBLAS.trans : CBLAS.noTrans, transB ? CBLAS.trans : CBLAS.noTrans, m, n, k, 1,
    view(a, m * k), transA ? m : k, view(b, k * n), transB ? k : n, accumulate ? 1 : 0, cView, n,
  );
}

/** A tensor's float32 view of the wasm heap. Take views after every allocation: growing the heap detaches old ones. */
export const heapOf = (backend: BackendWasm, t: TensorInfo): Float32Array => backend.typedArrayFromHeap(t) as Float32Array;

const scratch: Float32Array[] = [];

/**
 * A reusable float buffer outside the wasm heap (patch matrices and the like), one per slot: BLAS reads any memory,
 * and keeping these off the heap neither grows it nor detaches the views the kernels hold. Valid until the next
 * call for the same slot.
 */
export function scratchOf(size: number, slot = 0): Float32Array {
  const current = scratch[slot] ?? new Float32Array(0);
  const buffer = current.length >= size ? current : new Float32Array(Math.max(size, Math.ceil(current.length * 1.5)));
  scratch[slot] = buffer;
  return buffer.subarray(0, size);
}
