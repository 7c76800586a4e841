import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { matMulInto } from './batch-mat-mul.ts';
import { release } from './wasm-ops.ts';

interface Args {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}

/**
 * dW as one XNNPACK matrix product: dW[(kh, kw, ci), co] = Σ over (n, oy, ox) of
 * patches[(kh, kw, ci), (n, oy, ox)] · dy[(n, oy, ox), co], with the transposed patch matrix
 * written straight from x (zeros where the window hangs over the padding). An earlier version ran
 * it as a Conv2D with dy as a 26x26 filter; XNNPACK repacks such a filter on every call and took
 * 15-20x longer on the MNIST CNN's first layer (`pnpm bench kernels`).
 */
function conv2dBackpropFilter({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const format = backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast') throw new Error('wasm Conv2DBackpropFilter supports only NHWC');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, format,
  );
  const rows = info.filterHeight * info.filterWidth * info.inChannels;
  const cols = info.batchSize * info.outHeight * info.outWidth;
  const patches = backend.makeOutput([rows, cols], 'float32');
  writePatchesT(backend, x, patches, info);
  const dW = backend.makeOutput(filterShape, 'float32');
  matMulInto(backend, patches, [1, rows, cols], dy, [1, cols, info.outChannels], dW);
  release(backend, patches);
  return dW;
}

/** Fills `out` [kh·kw·ci, n·oh·ow] with the input value each filter tap saw at each output position. */
function writePatchesT(backend: BackendWasm, x: TensorInfo, out: TensorInfo, info: backend_util.Conv2DInfo): void {
  // Views after every makeOutput: allocating can grow (and detach) the heap.
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  let o = 0;
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      for (let c = 0; c < ci; c++) {
        for (let b = 0; b < n; b++) {
          for (let oy = 0; oy < oh; oy++) {
            const iy = oy * sh + kh - top;
            if (iy < 0 || iy >= h) {
              dst.fill(0, o, o + ow);
              o += ow;
              continue;
            }
            const rowBase = (b * h + iy) * w;
            for (let ox = 0; ox < ow; ox++, o++) {
              const ix = ox * sw + kw - left;
              dst[o] = ix >= 0 && ix < w ? (src[(rowBase + ix) * ci + c] ?? 0) : 0;
            }
          }
        }
      }
    }
  }
}

/** Conv2DBackpropFilter for the wasm backend, which tfjs-backend-wasm 4.22 lacks. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
