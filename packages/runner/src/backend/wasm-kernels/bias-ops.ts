/**
 * The bias's two kernels in a training step, as SIMD loops over the heap, wrapping tfjs-backend-wasm's own for every
 * other case: the bias addition (Add of a vector along the last axis: its general broadcasting loop took 0.6 ms on
 * the MNIST CNN's first layer) and the bias gradient (Sum over every axis but the last: it transposes the whole
 * gradient first, 0.6 ms there). And Identity and Cast to the same dtype, which copied their input where the cpu
 * backend shares it.
 */
import { Add, Cast, Identity, broadcast_util, util, Sum, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { offsetOf, simdKernels } from '../wasm-simd/module.ts';

type KernelArgs = Parameters<KernelFunc>[0];

interface Args<I, A> {
  inputs: I;
  backend: BackendWasm;
  attrs: A;
}

/** The columns of a Sum that reduces every axis but the last of a float32 tensor (the bias gradient), else null. */
export function leadingAxesSum(x: TensorInfo, axis: number | number[]): number | null {
  const rank = x.shape.length;
  if (x.dtype !== 'float32' || rank < 2) return null;
  const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((p, q) => p - q);
  if (axes.length !== rank - 1 || axes.some((a, i) => a !== i)) return null;
  const cols = x.shape[rank - 1] ?? 0;
  return cols > 0 && util.sizeFromShape(x.shape) > 0 ? cols : null;
}

/** Sum over the leading axes through the SIMD column sums; tfjs' kernel for the rest. */
function wrapSum(fallback: KernelConfig): KernelFunc {
  const kernel = (args: Args<{ x: TensorInfo }, { axis: number | number[]; keepDims: boolean }>) => {
    const { inputs: { x }, backend, attrs } = args;
    const cols = leadingAxesSum(x, attrs.axis);
    const simd = cols === null ? null : simdKernels(backend);
    if (cols === null || simd === null) return fallback.kernelFunc(args as unknown as KernelArgs);
    const out = backend.makeOutput(attrs.keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols], 'float32');
    simd.columnSums(offsetOf(backend, x.dataId), offsetOf(backend, out.dataId), util.sizeFromShape(x.shape) / cols, cols);
    return out;
  };
  return kernel as unknown as KernelFunc;
}

/** For a + b where one is a vector along the other's last axis (shape [..1, c], the bias): [the matrix, the vector], else null. */
export function rowVectorOperands(a: TensorInfo, b: TensorInfo): [TensorInfo, TensorInfo] | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const [big, vec] = util.sizeFromShape(a.shape) >= util.sizeFromShape(b.shape) ? [a, b] : [b, a];
  const cols = big.shape.at(-1) ?? 0;
  const vecSize = util.sizeFromShape(vec.shape);
  if (cols === 0 || vecSize !== cols || vec.shape.at(-1) !== cols || util.sizeFromShape(big.shape) === vecSize) return null;
  const outShape = broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
  return util.arraysEqual(outShape, big.shape) ? [big, vec] : null;
}

/** Add of a bias vector through the SIMD row loop (f32 addition commutes exactly); tfjs' kernel for the rest. */
function wrapAdd(fallback: KernelConfig): KernelFunc {
  const kernel = (args: Args<{ a: TensorInfo; b: TensorInfo }, object>) => {
    const { inputs: { a, b }, backend } = args;
    const operands = rowVectorOperands(a, b);
    const simd = operands === null ? null : simdKernels(backend);
    if (operands === null || simd === null) return fallback.kernelFunc(args as unknown as KernelArgs);
    const [big, vec] = operands;
    const out = backend.makeOutput(big.shape, 'float32');
    const cols = vec.shape.at(-1) ?? 1;
    simd.addRowVector(offsetOf(backend, big.dataId), offsetOf(backend, vec.dataId), offsetOf(backend, out.dataId), util.sizeFromShape(big.shape) / cols, cols);
    return out;
  };
  return kernel as unknown as KernelFunc;
}

/**
 * Identity sharing its input's buffer, as the cpu backend's does (and wasm's own Reshape): tensors are immutable, and
 * the one in-place writer, the fused optimizer, copies a variable whose buffer is shared first (ownBuffer).
 */
function wrapIdentity(fallback: KernelConfig): KernelFunc {
  const kernel = (args: Args<{ x: TensorInfo }, object>) => {
    const { inputs: { x }, backend } = args;
    if (x.dtype === 'string') return fallback.kernelFunc(args as unknown as KernelArgs);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return kernel as unknown as KernelFunc;
}

/** Cast to the dtype the tensor has already (ReLU's and the losses' gradients cast float32 to float32): shared as by Identity. */
function wrapCast(fallback: KernelConfig): KernelFunc {
  const kernel = (args: Args<{ x: TensorInfo }, { dtype: string }>) => {
    const { inputs: { x }, backend, attrs } = args;
    if (x.dtype === 'string' || attrs.dtype !== x.dtype) return fallback.kernelFunc(args as unknown as KernelArgs);
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return kernel as unknown as KernelFunc;
}

/** A kernel Kiln builds around the one tfjs-backend-wasm registered (its fallback, whose setup it keeps). */
export interface WrappedKernel {
  kernelName: string;
  wrap: (fallback: KernelConfig) => KernelFunc;
}

/** Kernels wrapped around tfjs-backend-wasm's own. */
export const wrappedWasmKernels: readonly WrappedKernel[] = [
  { kernelName: Sum, wrap: wrapSum },
  { kernelName: Add, wrap: wrapAdd },
  { kernelName: Identity, wrap: wrapIdentity },
  { kernelName: Cast, wrap: wrapCast },
];
