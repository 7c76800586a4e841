/** The active BLAS and one sgemm on float arrays (views of the wasm heap or scratch), with size thresholds. */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { CBLAS, type BlasLibrary } from './library.ts';

let active: BlasLibrary | null = null;
/** The thread count last set on the library by gateThreads (null: unknown, set before the next product). */
let appliedThreads: number | null = null;

/** The BLAS the wasm kernels use now, or null (XNNPACK). */
export function activeBlas(): BlasLibrary | null {
  return active;
}

/** Sets the BLAS the kernels use (null: XNNPACK); register.ts calls it with the kernels it registers. */
export function setActiveBlas(blas: BlasLibrary | null): void {
  active = blas;
  appliedThreads = null;
}

/**
 * A product gets one BLAS thread per this many multiply-adds, up to the library's count (runtime.threads). OpenBLAS
 * 0.3.21 threads every product above 262k multiply-adds, and on 2 cores its second thread then costs more than it
 * gives on small ones: the LSTM's per-timestep 64x256x64 products made a training step ~4x slower at 2 threads than
 * at 1. Measured (min of interleaved calls, busy 2-core machine): 2 threads were 1.02-1.7x slower than 1 from 64x256x64
 * (1M) to 12800x256x64 (210M), worst on the convolutions' k=9..16 products (1.7x). Switching the count costs ~0.2 µs
 * (openblas_set_num_threads), and is skipped while it stays the same.
 */
export const MIN_MACS_PER_THREAD = 64 << 20;

let macsPerThread = MIN_MACS_PER_THREAD;

/** Sets the multiply-adds per BLAS thread (see MIN_MACS_PER_THREAD); 0 lets every product use every thread. */
export function setMacsPerThread(macs: number = MIN_MACS_PER_THREAD): void {
  macsPerThread = macs;
  appliedThreads = null;
}

/** The threads a product of `macs` multiply-adds runs with: one per MIN_MACS_PER_THREAD, at least 1, at most the library's. */
export function threadsFor(blas: BlasLibrary, macs: number): number {
  const most = blas.threads ?? 1;
  return macsPerThread === 0 ? most : Math.max(1, Math.min(most, Math.floor(macs / macsPerThread)));
}

/** Applies threadsFor before a product, where the library can change its count and has more than one thread. */
function gateThreads(blas: BlasLibrary, macs: number): void {
  if (blas.setThreads === undefined || (blas.threads ?? 1) <= 1) return;
  const threads = threadsFor(blas, macs);
  if (threads === appliedThreads) return;
  blas.setThreads(threads);
  appliedThreads = threads;
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
  gateThreads(blas, m * n * k);
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
