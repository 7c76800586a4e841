/**
 * ReLU's gradient on wasm as one SIMD pass (wasm-simd/relu-grad.ts) instead of tfjs' Step, Cast and Multiply: a
 * kernel of Kiln's own, and ReLU's registered gradient calling it on wasm (tfjs' own gradient elsewhere, exactly).
 */
import { getGradient, registerGradient, Relu, util, type GradConfig, type KernelConfig, type KernelFunc, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { offsetOf, simdKernels } from '../wasm-simd/module.ts';

/** The kernel's name: dy · step(x), float32, same shapes. */
export const KILN_RELU_GRAD = 'KilnReluGrad';

interface Args {
  inputs: { dy: TensorInfo; x: TensorInfo };
  backend: BackendWasm;
}

function reluGrad({ inputs: { dy, x }, backend }: Args): TensorInfo {
  const simd = simdKernels(backend);
  if (simd === null) throw new Error('the wasm backend exposes no memory for the SIMD kernels');
  const out = backend.makeOutput(x.shape, 'float32');
  simd.reluGrad(offsetOf(backend, dy.dataId), offsetOf(backend, x.dataId), offsetOf(backend, out.dataId), util.sizeFromShape(x.shape));
  return out;
}

export const reluGradConfig: KernelConfig = { kernelName: KILN_RELU_GRAD, backendName: 'wasm', kernelFunc: reluGrad as unknown as KernelFunc };

let registered: GradConfig | null = null;

/** Registers ReLU's gradient through the fused kernel on wasm (float32, equal shapes), tfjs' own otherwise; idempotent. */
export function registerReluGradient(): void {
  const current = getGradient(Relu);
  if (current === undefined || current === registered) return;
  const tfjs = current;
  const config: GradConfig = {
    ...tfjs,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const single = Array.isArray(dy) ? dy[0] : dy;
      if (tf.getBackend() !== 'wasm' || x === undefined || single === undefined || x.dtype !== 'float32' || single.dtype !== 'float32' || !util.arraysEqual(x.shape, single.shape) || tf.getKernel(KILN_RELU_GRAD, 'wasm') === undefined) {
        return tfjs.gradFunc(dy, saved, attrs);
      }
      return { x: () => tf.engine().runKernel(KILN_RELU_GRAD, { dy: single, x }) as Tensor };
    },
  };
  registered = config;
  registerGradient(config);
  // Its own gradient, for second derivatives: linear in dy, and step's derivative in x is zero (as tfjs has it).
  registerGradient({
    kernelName: KILN_RELU_GRAD,
    inputsToSave: ['x'],
    gradFunc: (ddy, [x]) => {
      const single = Array.isArray(ddy) ? ddy[0] : ddy;
      if (x === undefined || single === undefined) throw new Error(`${KILN_RELU_GRAD}'s gradient needs dy and x`);
      return { dy: () => tf.engine().runKernel(KILN_RELU_GRAD, { dy: single, x }) as Tensor, x: () => tf.zerosLike(x) };
    },
  });
}
