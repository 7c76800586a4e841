import {
  UnsortedSegmentSum,
  util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  type UnsortedSegmentSumAttrs,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

interface Args {
  inputs: { x: TensorInfo; segmentIds: TensorInfo };
  backend: BackendWasm;
  attrs: UnsortedSegmentSumAttrs;
}

/** Sums rows of x into numSegments buckets by segmentIds (the gradient of gather/embedding). */
function unsortedSegmentSum({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, segmentIds } = inputs;
  const { numSegments } = attrs;
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const inner = util.sizeFromShape(rowShape);
  const out = backend.makeOutput([numSegments, ...rowShape], x.dtype);
  // Views are taken after makeOutput: allocating can grow (and detach) the wasm heap.
  const dst = backend.typedArrayFromHeap(out);
  const src = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  dst.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const segment = ids[i] ?? -1;
    // Out-of-range ids are dropped, as in TensorFlow.
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * inner;
    const to = segment * inner;
    for (let j = 0; j < inner; j++) dst[to + j] = (dst[to + j] ?? 0) + (src[from + j] ?? 0);
  }
  return out;
}

/** UnsortedSegmentSum for the wasm backend, which tfjs-backend-wasm 4.22 lacks. */
export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
