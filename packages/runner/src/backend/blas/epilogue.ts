/**
 * What tfjs' fused kernels (_FusedMatMul, FusedConv2D) do after the product: add a bias along the last axis, then an
 * activation, in place on the output. The activations are those tfjs-backend-wasm 4.22 fuses (FusableActivation).
 */
import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { offsetOf, simdKernels } from '../wasm-simd/module.ts';

type Activation = (out: Float32Array, cols: number, alpha: number, weights: Float32Array | null) => void;

const each = (out: Float32Array, f: (v: number) => number) => {
  for (let i = 0; i < out.length; i++) out[i] = f(out[i] ?? 0);
};

/** The fusable activations, by tfjs' attribute name. */
const ACTIVATIONS: Record<string, Activation> = {
  linear: () => {},
  relu: (out) => each(out, (v) => (v > 0 ? v : 0)),
  relu6: (out) => each(out, (v) => (v > 0 ? (v < 6 ? v : 6) : 0)),
  leakyrelu: (out, _cols, alpha) => each(out, (v) => (v < 0 ? alpha * v : v)),
  sigmoid: (out) => each(out, (v) => 1 / (1 + Math.exp(-v))),
  elu: (out) => each(out, (v) => (v < 0 ? Math.exp(v) - 1 : v)),
  prelu: (out, cols, _alpha, weights) => {
    const w = weights ?? new Float32Array(1);
    // weights broadcast against the output: one value, one per column, or one per element (checked by epilogueFits)
    const per = w.length === 1 ? 0 : w.length === cols ? 1 : 2;
    for (let i = 0; i < out.length; i++) {
      const v = out[i] ?? 0;
      if (v < 0) out[i] = v * (w[per === 0 ? 0 : per === 1 ? i % cols : i] ?? 0);
    }
  },
};

/** The fused kernels' optional inputs and attributes that the epilogue reads. */
export interface EpilogueSpec {
  bias?: TensorInfo | null;
  preluActivationWeights?: TensorInfo | null;
  activation?: string;
  leakyreluAlpha?: number;
}

/** Whether this epilogue can run here (else the kernel falls back to XNNPACK's, which also reports what it lacks). */
export function epilogueFits(spec: EpilogueSpec, cols: number, outSize: number): boolean {
  const fitsBias = (t: TensorInfo | null | undefined) => !t || (t.shape.length <= 1 && [1, cols].includes(util.sizeFromShape(t.shape)));
  const weights = spec.preluActivationWeights;
  const fitsWeights = !weights || [1, cols, outSize].includes(util.sizeFromShape(weights.shape));
  return fitsBias(spec.bias) && fitsWeights && ACTIVATIONS[spec.activation ?? 'linear'] !== undefined;
}

/** Fills out with the bias broadcast along rows, so that an accumulating product adds onto it. */
export function fillBias(out: Float32Array, cols: number, bias: Float32Array): void {
  if (bias.length === 1) {
    out.fill(bias[0] ?? 0);
    return;
  }
  for (let row = 0; row < out.length; row += cols) out.set(bias, row);
}

/** Applies the activation in place (the bias is in already: fillBias then an accumulating product). */
export function applyActivation(out: Float32Array, cols: number, spec: EpilogueSpec, weights: Float32Array | null): void {
  const act = ACTIVATIONS[spec.activation ?? 'linear'];
  if (act === undefined) throw new Error(`activation ${spec.activation} cannot be fused on wasm`);
  act(out, cols, spec.leakyreluAlpha ?? 0.2, weights);
}

/**
 * The epilogue as one SIMD pass over the output (bias and ReLU together, wasm-simd/conv-epilogue.ts), where it is a
 * per-channel bias and/or ReLU, else null (then fillBias, an accumulating product and applyActivation's JS loop).
 * The product then runs without accumulating, and out = product + bias as tfjs' unfused Add computes it.
 */
export function simdEpilogue(backend: BackendWasm, spec: EpilogueSpec, cols: number): ((out: TensorInfo) => void) | null {
  const activation = spec.activation ?? 'linear';
  const bias = spec.bias ?? null;
  const simd = simdKernels(backend);
  if (simd === null || spec.preluActivationWeights || (activation !== 'relu' && activation !== 'linear')) return null;
  if (bias !== null && (bias.dtype !== 'float32' || bias.shape.length > 1 || util.sizeFromShape(bias.shape) !== cols)) return null;
  return (out) => {
    const o = offsetOf(backend, out.dataId);
    const size = util.sizeFromShape(out.shape);
    if (bias === null && activation === 'relu') simd.relu(o, o, size);
    else if (bias !== null && activation === 'relu') simd.biasRelu(o, offsetOf(backend, bias.dataId), o, size / cols, cols);
    else if (bias !== null) simd.addRowVector(o, offsetOf(backend, bias.dataId), o, size / cols, cols);
  };
}
