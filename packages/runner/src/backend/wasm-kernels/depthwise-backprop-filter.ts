import {
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { depthwiseInfo, forEachTap } from './depthwise-geometry.ts';
import { zerosOutput } from './wasm-ops.ts';

interface Args {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}

/** dFilter[kh,kw,c,m] = Σ x[b,ih,iw,c] · dy[b,oh,ow,c·M+m]; a JS loop over the wasm heap (rarely hot). */
function depthwiseBackpropFilter({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, dy } = inputs;
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs;
  const info = depthwiseInfo(x.shape, filterShape, strides, dilations, pad, dimRoundingMode);
  const channels = info.inChannels;
  const multiplier = info.outChannels / channels;
  const out = zerosOutput(backend, filterShape);
  const dW = backend.typedArrayFromHeap(out);
  const xs = backend.typedArrayFromHeap(x);
  const dys = backend.typedArrayFromHeap(dy);
  forEachTap(info, (xPixel, tap, dyPixel) => {
    const xBase = xPixel * channels;
    const dyBase = dyPixel * info.outChannels;
    const wBase = tap * info.outChannels;
    for (let c = 0; c < channels; c++) {
      const xv = xs[xBase + c] ?? 0;
      for (let m = 0; m < multiplier; m++) {
        const k = c * multiplier + m;
        dW[wBase + k] = (dW[wBase + k] ?? 0) + xv * (dys[dyBase + k] ?? 0);
      }
    }
  });
  return out;
}

/** DepthwiseConv2dNativeBackpropFilter for the wasm backend, which tfjs-backend-wasm 4.22 lacks. */
export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as KernelFunc,
};
