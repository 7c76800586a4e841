/** Switching the wasm backend's products between the platform BLAS and the kernels registered before it (XNNPACK). */
import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import { blasConvFilterKernel, blasConvInputKernel, blasConvKernel } from './conv.ts';
import { setActiveBlas } from './gemm.ts';
import type { BlasLibrary } from './library.ts';
import { blasBatchMatMulKernel, blasFusedMatMulKernel } from './matmul.ts';

/** Each kernel BLAS takes over, with the BLAS version built around the kernel it replaces (its fallback). */
const BLAS_KERNELS: Record<string, (fallback: KernelFunc) => KernelFunc> = {
  BatchMatMul: blasBatchMatMulKernel,
  _FusedMatMul: blasFusedMatMulKernel,
  Conv2D: blasConvKernel,
  FusedConv2D: blasConvKernel,
  Conv2DBackpropFilter: blasConvFilterKernel,
  Conv2DBackpropInput: blasConvInputKernel,
};

/** The kernels BLAS replaced, by name, to call for what BLAS does not take and to restore on `off`. */
const replaced = new Map<string, KernelConfig>();
const ours = new Set<KernelFunc>();

/**
 * Routes the wasm backend's products through `blas` (null: back to the kernels it replaced). Call after Kiln's
 * own wasm kernels are registered, so that those are what BLAS falls back to.
 */
export function useBlas(blas: BlasLibrary | null): void {
  setActiveBlas(blas);
  for (const [name, build] of Object.entries(BLAS_KERNELS)) {
    const current = getKernel(name, 'wasm');
    if (current !== undefined && !ours.has(current.kernelFunc)) replaced.set(name, current);
    const previous = replaced.get(name);
    if (previous === undefined) continue;
    if (current !== undefined) unregisterKernel(name, 'wasm');
    if (blas === null) {
      registerKernel(previous);
      continue;
    }
    const kernelFunc = build(previous.kernelFunc);
    ours.add(kernelFunc);
    registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc });
  }
}
