import { getKernel, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Runs a kernel already registered for wasm directly on TensorInfos. Composite kernels use this
 * instead of tf.* ops so that intermediates never become engine-tracked Tensors.
 */
export function runWasm(
  kernelName: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = getKernel(kernelName, 'wasm');
  if (kernel === undefined) throw new Error(`wasm backend has no ${kernelName} kernel`);
  const out = kernel.kernelFunc({ inputs, attrs, backend });
  if (!Array.isArray(out)) return out;
  const [first] = out;
  if (first === undefined) throw new Error(`wasm ${kernelName} kernel returned no output`);
  return first;
}

/** The four dimensions of an NHWC tensor's shape; throws when the rank is not 4. */
export function nhwc(info: TensorInfo): [number, number, number, number] {
  const [n, h, w, c, ...rest] = info.shape;
  if (n === undefined || h === undefined || w === undefined || c === undefined || rest.length > 0) {
    throw new Error(`expected an NHWC tensor, got shape [${info.shape.join(', ')}]`);
  }
  return [n, h, w, c];
}

/** Frees intermediates made by runWasm. */
export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Allocates a zero-filled float32 output on the wasm heap. */
export function zerosOutput(backend: BackendWasm, shape: number[]): TensorInfo {
  const out = backend.makeOutput(shape, 'float32');
  backend.typedArrayFromHeap(out).fill(0);
  return out;
}
