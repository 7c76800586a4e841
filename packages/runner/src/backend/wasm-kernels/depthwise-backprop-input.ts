import {
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { depthwiseInfo, forEachTap } from './depthwise-geometry.ts';
import { zerosOutput } from './wasm-ops.ts';

interface Args {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: BackendWasm;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}

/** dx[b,ih,iw,c] = Σ filter[kh,kw,c,m] · dy[b,oh,ow,c·M+m]; a JS loop over the wasm heap (rarely hot). */
function depthwiseBackpropInput({ inputs, backend, attrs }: Args): TensorInfo {
  const { dy, filter } = inputs;
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs;
  const info = depthwiseInfo(inputShape, filter.shape, strides, dilations, pad, dimRoundingMode);
  const channels = info.inChannels;
  const multiplier = info.outChannels / channels;
  const out = zerosOutput(backend, inputShape);
  const dx = backend.typedArrayFromHeap(out);
  const ws = backend.typedArrayFromHeap(filter);
  const dys = backend.typedArrayFromHeap(dy);
  forEachTap(info, (xPixel, tap, dyPixel) => {
    const xBase = xPixel * channels;
    const dyBase = dyPixel * info.outChannels;
    const wBase = tap * info.outChannels;
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let m = 0; m < multiplier; m++) {
        const k = c * multiplier + m;
        sum += (ws[wBase + k] ?? 0) * (dys[dyBase + k] ?? 0);
      }
      dx[xBase + c] = (dx[xBase + c] ?? 0) + sum;
    }
  });
  return out;
}

/** DepthwiseConv2dNativeBackpropInput for the wasm backend, which tfjs-backend-wasm 4.22 lacks. */
export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as KernelFunc,
};
