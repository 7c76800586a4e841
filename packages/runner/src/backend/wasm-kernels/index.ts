import { getKernel, registerKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.ts';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.ts';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.ts';

/** Gradient kernels tfjs-backend-wasm 4.22 lacks but standard layers need for training. */
export const wasmGradientKernels: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  unsortedSegmentSumConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
];

/** Registers the missing wasm gradient kernels; safe to call more than once. */
export function registerWasmKernels(): void {
  for (const config of wasmGradientKernels) {
    if (getKernel(config.kernelName, 'wasm') === undefined) registerKernel(config);
  }
}
