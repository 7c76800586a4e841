import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { release, runWasm } from './wasm-ops.ts';

interface Args {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: Conv2DBackpropFilterAttrs;
}

/**
 * dW = x ⋆ dy, computed as one wasm (XNNPACK) Conv2D: with batch and channels of x swapped, dy
 * (spatial dims first) acts as the filter and the forward stride becomes its dilation.
 */
function conv2dBackpropFilter({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const format = backend_util.convertConv2DDataFormat(dataFormat);
  if (format !== 'channelsLast') throw new Error('wasm Conv2DBackpropFilter supports only NHWC');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, format,
  );
  const [n, h, w, ci] = x.shape;
  const { top, left } = info.padInfo;
  // Only the rows/cols the forward conv actually read: (out-1)*stride + kernel.
  const needH = (info.outHeight - 1) * info.strideHeight + info.filterHeight;
  const needW = (info.outWidth - 1) * info.strideWidth + info.filterWidth;
  const window = padAndCrop(backend, x, [n, h, w, ci], top, left, needH, needW);
  const xT = runWasm('Transpose', backend, { x: window }, { perm: [3, 1, 2, 0] });
  const dyT = runWasm('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
  const conv = runWasm('Conv2D', backend, { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: 'valid',
    dataFormat: 'NHWC',
    dilations: [info.strideHeight, info.strideWidth],
  });
  const dW = runWasm('Transpose', backend, { x: conv }, { perm: [1, 2, 0, 3] });
  release(backend, xT, dyT, conv);
  if (window !== x) release(backend, window);
  return dW;
}

/** Zero-pads x on top/left (and bottom/right as needed) and crops it to needH x needW. */
function padAndCrop(
  backend: BackendWasm,
  x: TensorInfo,
  [n, h, w, ci]: number[],
  top: number,
  left: number,
  needH: number,
  needW: number,
): TensorInfo {
  const bottom = Math.max(0, needH - h - top);
  const right = Math.max(0, needW - w - left);
  let padded = x;
  if (top + bottom + left + right > 0) {
    const paddings = [[0, 0], [top, bottom], [left, right], [0, 0]];
    padded = runWasm('PadV2', backend, { x }, { paddings, constantValue: 0 });
  }
  if (padded.shape[1] === needH && padded.shape[2] === needW) return padded;
  const cropped = runWasm('Slice', backend, { x: padded }, { begin: [0, 0, 0, 0], size: [n, needH, needW, ci] });
  if (padded !== x) release(backend, padded);
  return cropped;
}

/** Conv2DBackpropFilter for the wasm backend, which tfjs-backend-wasm 4.22 lacks. */
export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
