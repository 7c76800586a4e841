/**
 * A convolution with its bias and ReLU (or no activation) as one kernel while gradients are recorded, with a
 * gradient of its own. tfjs-core's fused conv2d splits into Conv2D, Add and Relu whenever a gradient is recorded and
 * the activation is not linear, and their gradients run Step, Cast, Multiply and Sum, each a pass over the layer's
 * whole activation. Here the forward pass is the backend's FusedConv2D (bias and ReLU in the convolution's own
 * pass), and the backward pass takes dy·step(y) and the bias gradient in one SIMD pass (wasm-simd/conv-epilogue.ts)
 * before the two backprops. Only the gradients asked for run: the first layer's input gradient is never computed.
 */
import { engine, FusedConv2D, registerGradient, util, type GradConfig, type KernelConfig, type KernelFunc, type NamedAttrMap, type NamedTensorMap, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { offsetOf, simdKernels } from '../wasm-simd/module.ts';
import { runWasm } from './wasm-ops.ts';

/** The forward kernel: inputs x, filter and optionally bias; attributes ConvBiasActivationAttrs. */
export const KILN_CONV_BIAS_ACTIVATION = 'KilnConv2DBiasActivation';
/** The backward pass's first step: [dy·step(y), the bias gradient] from dy and the forward output y. */
export const KILN_RELU_BIAS_GRAD = 'KilnReluBiasGrad';

/** The activations this kernel fuses, with their gradient's first step. */
export type ConvActivation = 'relu' | 'linear';

/** NHWC, dilation 1 (tfjs' convolution gradients take no dilation). */
export interface ConvBiasActivationAttrs {
  strides: [number, number];
  pad: 'valid' | 'same';
  activation: ConvActivation;
  [key: string]: unknown;
}

interface Args<I> {
  inputs: I;
  backend: BackendWasm;
  attrs: ConvBiasActivationAttrs;
}

function forward({ inputs, backend, attrs }: Args<{ x: TensorInfo; filter: TensorInfo; bias?: TensorInfo }>): TensorInfo {
  const fusedAttrs: NamedAttrMap = { strides: attrs.strides, pad: attrs.pad, dataFormat: 'NHWC', dilations: [1, 1], activation: attrs.activation };
  // The registered FusedConv2D: Kiln's BLAS kernel (blas/conv.ts) where it takes the shape, tfjs-backend-wasm's otherwise.
  return runWasm(FusedConv2D, backend, { x: inputs.x, filter: inputs.filter, ...(inputs.bias ? { bias: inputs.bias } : {}) }, fusedAttrs);
}

function reluBiasGrad({ inputs: { dy, y }, backend }: { inputs: { dy: TensorInfo; y: TensorInfo }; backend: BackendWasm }): TensorInfo[] {
  const simd = simdKernels(backend);
  if (simd === null) throw new Error('the wasm backend exposes no memory for the SIMD kernels');
  const cols = y.shape.at(-1) ?? 1;
  const dx = backend.makeOutput(y.shape, 'float32');
  const dBias = backend.makeOutput([cols], 'float32');
  simd.reluBiasGrad(offsetOf(backend, dy.dataId), offsetOf(backend, y.dataId), offsetOf(backend, dx.dataId), offsetOf(backend, dBias.dataId), util.sizeFromShape(y.shape) / cols, cols);
  return [dx, dBias];
}

export const convBiasActivationConfig: KernelConfig = { kernelName: KILN_CONV_BIAS_ACTIVATION, backendName: 'wasm', kernelFunc: forward as unknown as KernelFunc };
export const reluBiasGradConfig: KernelConfig = { kernelName: KILN_RELU_BIAS_GRAD, backendName: 'wasm', kernelFunc: reluBiasGrad as unknown as KernelFunc };

/** dy through the activation, and the bias gradient (the sum over every axis but the channels), taken only when asked for. */
function throughActivation(dy: Tensor, y: Tensor, activation: ConvActivation): [Tensor, () => Tensor] {
  if (activation === 'linear') return [dy, () => engine().runKernel('Sum', { x: dy }, { axis: [0, 1, 2], keepDims: false }) as Tensor];
  const [dyAct, dBias] = engine().runKernel(KILN_RELU_BIAS_GRAD, { dy, y }) as Tensor[];
  if (dyAct === undefined || dBias === undefined) throw new Error(`${KILN_RELU_BIAS_GRAD} returned fewer than two outputs`);
  return [dyAct, () => dBias];
}

const gradConfig: GradConfig = {
  kernelName: KILN_CONV_BIAS_ACTIVATION,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved;
    const single = Array.isArray(dy) ? dy[0] : dy;
    if (x === undefined || filter === undefined || y === undefined || single === undefined) throw new Error(`${KILN_CONV_BIAS_ACTIVATION}'s gradient needs x, filter and y`);
    const { strides, pad, activation } = attrs as unknown as ConvBiasActivationAttrs;
    const [dyAct, dBias] = throughActivation(single, y, activation);
    const conv = { strides, pad, dataFormat: 'NHWC' };
    return {
      x: () => engine().runKernel('Conv2DBackpropInput', { dy: dyAct, filter }, { ...conv, inputShape: x.shape }) as Tensor,
      filter: () => engine().runKernel('Conv2DBackpropFilter', { x, dy: dyAct }, { ...conv, filterShape: filter.shape }) as Tensor,
      bias: dBias,
    };
  },
};

let registered = false;
let enabled = true;

/** Turns the fused path off (the layer then runs tfjs-layers' own call) or back on; the bench compares both. */
export function setConvFusion(on = true): void {
  enabled = on;
}

/** Registers the kernel's gradient (once; kernels are registered with the other wasm kernels). */
export function registerConvBiasActivationGradient(): void {
  if (registered) return;
  registerGradient(gradConfig);
  registered = true;
}

/** Whether convBiasActivation can run on x here: wasm with Kiln's kernels and SIMD module, a float32 NHWC batch (the caller checks dilation 1). */
export function convBiasActivationFits(x: Tensor): boolean {
  return enabled && engine().backendName === 'wasm' && x.rank === 4 && x.dtype === 'float32' && registered && simdKernels(engine().backend as unknown as BackendWasm) !== null;
}

/** y = activation(conv2d(x, filter) + bias) through the fused kernel and its gradient. */
export function convBiasActivation(x: Tensor, filter: Tensor, bias: Tensor | null, strides: [number, number], pad: 'valid' | 'same', activation: ConvActivation): Tensor {
  const inputs: NamedTensorMap = bias === null ? { x, filter } : { x, filter, bias };
  return engine().runKernel(KILN_CONV_BIAS_ACTIVATION, inputs, { strides, pad, activation } as unknown as NamedAttrMap) as Tensor;
}
