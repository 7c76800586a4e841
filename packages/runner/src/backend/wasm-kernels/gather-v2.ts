import { must } from '@kiln/core/errors';
import { backend_util, GatherV2, util, type GatherV2Attrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

interface Args {
  inputs: { x: TensorInfo; indices: TensorInfo };
  backend: BackendWasm;
  attrs: GatherV2Attrs;
}

/**
 * Gathers slices of x along an axis (an embedding lookup is axis 0), copying whole slices over
 * the heap in JS: tfjs-backend-wasm 4.22's kernel takes ~100x longer on an embedding batch
 * (64 x 200 ids of 64 floats). Out-of-range ids throw, with the built-in kernels' message.
 */
function gatherV2({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, indices } = inputs;
  const axis = must(util.parseAxisParam(attrs.axis, x.shape)[0], 'GatherV2 takes one axis');
  const info = backend_util.segment_util.collectGatherOpShapeInfo(x as never, indices as never, axis, attrs.batchDims);
  const { batchSize, outerSize, dimSize, sliceSize } = info;
  const perBatch = util.sizeFromShape(indices.shape) / batchSize;
  const out = backend.makeOutput(info.outputShape, x.dtype);
  // Views after makeOutput: allocating can grow (and detach) the heap.
  const ids = backend.typedArrayFromHeap(indices);
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i] ?? 0;
    util.assert(v >= 0 && v <= dimSize - 1, () => `GatherV2: the index value ${v} is not in [0, ${dimSize - 1}]`);
  }
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  for (let b = 0; b < batchSize; b++) {
    for (let o = 0; o < outerSize; o++) {
      const from = (b * outerSize + o) * dimSize;
      const to = (b * outerSize + o) * perBatch;
      for (let i = 0; i < perBatch; i++) {
        const s = (from + (ids[b * perBatch + i] ?? 0)) * sliceSize;
        const d = (to + i) * sliceSize;
        if (sliceSize >= 16) dst.set(src.subarray(s, s + sliceSize), d);
        else for (let k = 0; k < sliceSize; k++) dst[d + k] = (src[s + k] ?? 0);
      }
    }
  }
  return out;
}

/** GatherV2 for wasm as slice copies in JS (embedding lookups), replacing the slow built-in kernel. */
export const gatherV2Config: KernelConfig = {
  kernelName: GatherV2,
  backendName: 'wasm',
  kernelFunc: gatherV2 as unknown as KernelFunc,
};
