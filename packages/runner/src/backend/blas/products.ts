/**
 * The products Kiln's own composite kernels (the fused LSTM) call directly, with the signatures of
 * wasm-kernels/batch-mat-mul.ts: through BLAS when it is active and the product large enough, XNNPACK otherwise.
 */
import type { BatchMatMulAttrs, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { batchMatMul as xnnBatchMatMul, matMulStep as xnnMatMulStep } from '../wasm-kernels/batch-mat-mul.ts';
import { useBlasFor } from './gemm.ts';
import { blasMatMul, productInto } from './matmul.ts';

/** BatchMatMul called as a function (see wasm-kernels/batch-mat-mul.ts), BLAS first. */
export function batchMatMul(args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: BackendWasm; attrs: BatchMatMulAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  return blasMatMul(backend, inputs.a, inputs.b, attrs.transposeA, attrs.transposeB) ?? xnnBatchMatMul(args);
}

/** A per-timestep product a·b into out (shapes as [batch, rows, cols]), BLAS first; resolved once, run many times. */
export function matMulStep(backend: BackendWasm, a: TensorInfo, aShape: [number, number, number], b: TensorInfo, bShape: [number, number, number], out: TensorInfo): () => void {
  const [batchA, m, k] = aShape;
  const [batchB, , n] = bShape;
  const blas = useBlasFor(m * Math.max(batchA, batchB), n, k);
  if (blas === null) return xnnMatMulStep(backend, a, aShape, b, bShape, out);
  const p = { m, n, k, batchA, batchB, outShape: [Math.max(batchA, batchB), m, n] };
  // Views are taken inside each call: the loop between steps may allocate.
  return () => productInto(blas, backend, a, b, out, p, false, false);
}
