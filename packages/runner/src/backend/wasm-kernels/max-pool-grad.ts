import {
  backend_util,
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { offsetOf, simdKernels, type SimdKernels } from '../wasm-simd/module.ts';
import { zerosOutput } from './wasm-ops.ts';

type Heap = Float32Array | Int32Array | Uint8Array;

interface Args {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}

/**
 * Routes each dy value to the first maximum of its pooling window (cpu's tie rule): float32 through the SIMD kernel
 * (wasm-simd/max-pool-grad.ts, 4 channels at a time, in place on the heap), other dtypes or a heap it cannot share
 * through the JS loop. On the MNIST CNN's pools, busy machine: 1.08 vs 17.8 ms (64x26x26x16), 0.25 vs 1.8 ms
 * (64x11x11x32) for the JS loop; `pnpm bench kernels` prints both.
 */
function maxPoolGrad({ inputs, backend, attrs }: Args): TensorInfo {
  const { dy, input } = inputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode,
  );
  const simd = input.dtype === 'float32' && dy.dtype === 'float32' ? simdKernels(backend) : null;
  if (simd !== null && inputs.output.dtype === 'float32') return simdMaxPoolGrad(simd, backend, info, inputs);
  const out = zerosOutput(backend, input.shape);
  // Views are taken after allocating the output: allocation can grow (and detach) the heap.
  scatterToMaxima(info, backend.typedArrayFromHeap(input), backend.typedArrayFromHeap(dy), backend.typedArrayFromHeap(out));
  return out;
}

/**
 * The SIMD kernel. Windows that tile (stride = size, MNIST's 2x2 pools) write each dx value once: dx is zeroed
 * first only where some rows or columns lie outside every window (11 rows pooled by 2).
 */
function simdMaxPoolGrad(simd: SimdKernels, backend: BackendWasm, info: backend_util.Conv2DInfo, { input, dy, output }: Args['inputs']): TensorInfo {
  const tiles = info.strideHeight === info.filterHeight && info.strideWidth === info.filterWidth;
  const covered = info.outHeight * info.strideHeight - info.padInfo.top >= info.inHeight && info.outWidth * info.strideWidth - info.padInfo.left >= info.inWidth;
  const out = tiles && covered ? backend.makeOutput(input.shape, 'float32') : zerosOutput(backend, input.shape);
  const at = (t: TensorInfo) => offsetOf(backend, t.dataId);
  if (unrolled2x2(info)) {
    simd.maxPoolGrad2x2(at(input), at(dy), at(out), info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth);
    return out;
  }
  simd.maxPoolGrad(
    at(input), at(dy), at(out), info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left, tiles ? 1 : 0, at(output),
  );
  return out;
}

/**
 * 2x2 windows at stride 2 inside the input (a poolSize 2 layer, valid padding), four channels at a time: the unrolled
 * kernel: on MNIST's pools 0.42-0.47 vs 0.65-0.74 ms (64x26x26x16) and 0.18-0.19 vs 0.24-0.30 ms (64x11x11x32) CPU per
 * call against the general one, three alternating runs.
 */
const unrolled2x2 = (info: backend_util.Conv2DInfo) =>
  info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 && info.padInfo.top === 0 && info.padInfo.left === 0 &&
  info.inChannels % 4 === 0 && 2 * info.outHeight <= info.inHeight && 2 * info.outWidth <= info.inWidth;

/** For every output pixel and channel, adds dy to the first (row-major) maximum of its window: the JS fallback. */
export function scatterToMaxima(info: backend_util.Conv2DInfo, xs: Heap, dys: Heap, dx: Heap): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const rowStride = inWidth * channels;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const h0 = oh * info.strideHeight - info.padInfo.top;
      const hFrom = Math.max(h0, 0);
      const hTo = Math.min(h0 + info.filterHeight, inHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const w0 = ow * info.strideWidth - info.padInfo.left;
        const wFrom = Math.max(w0, 0);
        const wTo = Math.min(w0 + info.filterWidth, inWidth);
        const corner = ((b * inHeight + hFrom) * inWidth + wFrom) * channels;
        const dyBase = ((b * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          let at = -1;
          let best = -Infinity;
          for (let h = 0; h < hTo - hFrom; h++) {
            const row = corner + h * rowStride + c;
            for (let w = 0; w < wTo - wFrom; w++) {
              const i = row + w * channels;
              // Strict '>' keeps the first maximum in row-major order, as the cpu backend does.
              const v = xs[i] ?? -Infinity;
              if (v > best) {
                best = v;
                at = i;
              }
            }
          }
          if (at >= 0) dx[at] = (dx[at] ?? 0) + (dys[dyBase + c] ?? 0);
        }
      }
    }
  }
}

/** MaxPoolGrad for wasm as a SIMD kernel over the heap, replacing tfjs-backend-wasm's slower loop. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
