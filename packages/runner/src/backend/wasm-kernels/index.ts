import { getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs-core';
import { convBiasActivationConfig, registerConvBiasActivationGradient, reluBiasGradConfig } from './conv-bias-activation.ts';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.ts';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.ts';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.ts';
import { batchMatMulConfig } from './batch-mat-mul.ts';
import { wrappedWasmKernels } from './bias-ops.ts';
import { gatherV2Config } from './gather-v2.ts';
import { lstmBackwardConfig } from './lstm-backward.ts';
import { lstmForwardConfig } from './lstm-forward.ts';
import { maxPoolGradConfig } from './max-pool-grad.ts';
import { registerReluGradient, reluGradConfig } from './relu-grad.ts';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.ts';

/** Gradient kernels tfjs-backend-wasm 4.22 lacks but standard layers need for training. */
export const missingWasmKernels: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  unsortedSegmentSumConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
];

/** Gradient kernels tfjs-backend-wasm 4.22 has, but as loops too slow to train a CNN with. */
export const fasterWasmKernels: readonly KernelConfig[] = [conv2dBackpropInputConfig, maxPoolGradConfig, batchMatMulConfig, gatherV2Config];

/** Kiln's own kernels, behind Kiln's layers (the fused LSTM, the convolution with its bias and ReLU) and gradients (ReLU's in one pass). */
export const kilnWasmKernels: readonly KernelConfig[] = [lstmForwardConfig, lstmBackwardConfig, reluGradConfig, convBiasActivationConfig, reluBiasGradConfig];

/** The kernel functions Kiln wrapped around tfjs' own, so that registering again does not wrap a wrapper. */
const wrappers = new Set<KernelFunc>();
/** tfjs-backend-wasm's own kernels that Kiln wrapped, by name (the kernel bench times them against Kiln's). */
const wrapped = new Map<string, KernelConfig>();

/** tfjs-backend-wasm's own kernel that Kiln's wraps (Sum, Add, Identity, Cast), once registerWasmKernels ran. */
export function tfjsWasmKernel(kernelName: string): KernelConfig | undefined {
  return wrapped.get(kernelName);
}

/** Registers Kiln's wasm gradient kernels (adding missing ones, replacing slow ones, wrapping some of tfjs'); idempotent. */
export function registerWasmKernels(): void {
  for (const config of [...missingWasmKernels, ...fasterWasmKernels, ...kilnWasmKernels]) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
  for (const { kernelName, wrap } of wrappedWasmKernels) {
    const current = getKernel(kernelName, 'wasm');
    if (current === undefined || wrappers.has(current.kernelFunc)) continue;
    const kernelFunc = wrap(current);
    wrappers.add(kernelFunc);
    wrapped.set(kernelName, current);
    unregisterKernel(kernelName, 'wasm');
    // The setup (tfjs' cwrap of its C++ kernel) stays: the backend runs it at init, and the fallback needs it.
    registerKernel({ ...current, kernelFunc });
  }
  registerReluGradient();
  registerConvBiasActivationGradient();
}
