/**
 * BatchMatMul and _FusedMatMul through the platform BLAS, in place on the wasm heap. Every transpose combination is one
 * sgemm (BLAS reads the transposed operand where it lies), so the gradients of a dense layer, which tfjs computes as
 * matMuls with transposeA or transposeB, need no transposed copies either.
 */
import { broadcast_util, util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { applyActivation, epilogueFits, fillBias, simdEpilogue, type EpilogueSpec } from './epilogue.ts';
import { gemm, heapOf, useBlasFor } from './gemm.ts';
import type { BlasLibrary } from './library.ts';

/** The geometry of op(a)·op(b) over broadcast batch dimensions. */
export interface Product {
  m: number;
  n: number;
  k: number;
  batchA: number;
  batchB: number;
  outShape: number[];
}

/** The product's geometry, or null where BLAS does not take it (non-float32, batch shapes that broadcast partially). */
export function productOf(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): Product | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const [aRows = 0, aCols = 0] = a.shape.slice(-2);
  const [bRows = 0, bCols = 0] = b.shape.slice(-2);
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [kb, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  util.assert(k === kb, () => `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const [batchA, batchB] = [util.sizeFromShape(a.shape.slice(0, -2)), util.sizeFromShape(b.shape.slice(0, -2))];
  // [2, 1] against [1, 3] broadcasts each side partly: left to XNNPACK rather than indexed here.
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  return { m, n, k, batchA, batchB, outShape: [...outer, m, n] };
}

/**
 * Writes op(a)·op(b) into out (accumulating onto it when asked): one sgemm per batch, or one for all of them when b is
 * shared and a is not transposed (the batch rows of a are then one tall matrix).
 */
export function productInto(blas: BlasLibrary, backend: BackendWasm, a: TensorInfo, b: TensorInfo, out: TensorInfo, p: Product, transposeA: boolean, transposeB: boolean, accumulate = false): void {
  // Views only now, after every allocation of the caller.
  const [av, bv, ov] = [heapOf(backend, a), heapOf(backend, b), heapOf(backend, out)];
  const { m, n, k, batchA, batchB } = p;
  if (batchB === 1 && !transposeA) {
    gemm(blas, false, transposeB, batchA * m, n, k, { data: av, offset: 0 }, { data: bv, offset: 0 }, { data: ov, offset: 0 }, accumulate);
    return;
  }
  const batches = Math.max(batchA, batchB);
  for (let i = 0; i < batches; i++) {
    const aOff = (batchA === 1 ? 0 : i) * m * k;
    const bOff = (batchB === 1 ? 0 : i) * k * n;
    gemm(blas, transposeA, transposeB, m, n, k, { data: av, offset: aOff }, { data: bv, offset: bOff }, { data: ov, offset: i * m * n }, accumulate);
  }
}

/** Kernel arguments as tfjs passes them. */
interface Args {
  inputs: { a: TensorInfo; b: TensorInfo } & EpilogueSpec;
  backend: BackendWasm;
  attrs: { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
}

/** op(a)·op(b) through BLAS, or null where XNNPACK should run it (small, or a case BLAS does not take). */
export function blasMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo | null {
  const p = productOf(a, b, transposeA, transposeB);
  const blas = p && useBlasFor(p.m * Math.max(p.batchA, p.batchB), p.n, p.k);
  if (!p || !blas) return null;
  const out = backend.makeOutput(p.outShape, 'float32');
  productInto(blas, backend, a, b, out, p, transposeA, transposeB);
  return out;
}

/** BatchMatMul through BLAS, XNNPACK (the kernel registered before) for the rest. */
export function blasBatchMatMulKernel(fallback: KernelFunc): KernelFunc {
  const kernel = (args: Args) => blasMatMul(args.backend, args.inputs.a, args.inputs.b, args.attrs.transposeA, args.attrs.transposeB) ?? fallback(args as unknown as Parameters<KernelFunc>[0]);
  return kernel as unknown as KernelFunc;
}

/** _FusedMatMul: the product, then bias and ReLU in one SIMD pass where they fit (else the bias written first and accumulated onto by the sgemm, then the activation in place). */
export function blasFusedMatMulKernel(fallback: KernelFunc): KernelFunc {
  const kernel = ({ inputs, backend, attrs }: Args) => {
    const { a, b, bias, preluActivationWeights } = inputs;
    const spec: EpilogueSpec = { bias, preluActivationWeights, activation: attrs.activation, leakyreluAlpha: attrs.leakyreluAlpha };
    const p = productOf(a, b, attrs.transposeA, attrs.transposeB);
    const blas = p && useBlasFor(p.m * Math.max(p.batchA, p.batchB), p.n, p.k);
    if (!p || !blas || !epilogueFits(spec, p.n, util.sizeFromShape(p.outShape))) {
      return fallback({ inputs, backend, attrs } as unknown as Parameters<KernelFunc>[0]);
    }
    const out = backend.makeOutput(p.outShape, 'float32');
    const simd = simdEpilogue(backend, spec, p.n);
    if (simd !== null) {
      productInto(blas, backend, a, b, out, p, attrs.transposeA, attrs.transposeB);
      simd(out);
      return out;
    }
    if (bias) fillBias(heapOf(backend, out), p.n, heapOf(backend, bias));
    productInto(blas, backend, a, b, out, p, attrs.transposeA, attrs.transposeB, bias !== undefined && bias !== null);
    applyActivation(heapOf(backend, out), p.n, spec, preluActivationWeights ? heapOf(backend, preluActivationWeights) : null);
    return out;
  };
  return kernel as unknown as KernelFunc;
}
