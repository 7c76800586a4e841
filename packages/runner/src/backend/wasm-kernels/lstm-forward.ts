import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { must } from '@kiln/core/errors';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { batchMatMul, matMulStep } from '../blas/products.ts';
import { asShape, HeapViews, LSTM_FORWARD, type LstmAttrs } from './lstm-common.ts';
import { release, zerosOutput } from './wasm-ops.ts';

interface Args {
  inputs: { x: TensorInfo; kernel: TensorInfo; recurrentKernel: TensorInfo; bias: TensorInfo };
  backend: BackendWasm;
  attrs: LstmAttrs;
}

/**
 * A whole LSTM sequence in one kernel (Keras gate order i, f, c, o; tanh cell activation; zero
 * initial state). The input projection of every timestep is one matmul; the recurrence is a JS
 * loop over the heap with one XNNPACK matmul (h·R) per step. Everything stays batch-major, so no
 * transposes. Besides the output it returns what the backward kernel needs, each [B, T, ...]:
 * activated gates (4U), cell states and their tanh (U), and the state each step started from (U).
 */
function lstmForward({ inputs, backend, attrs }: Args): TensorInfo[] {
  const { x, kernel, recurrentKernel, bias } = inputs;
  const [B, T, D] = x.shape as [number, number, number];
  const U = must(recurrentKernel.shape[0], 'the recurrent kernel is [units, 4 * units]');
  const G = 4 * U;
  const xw = batchMatMul({ inputs: { a: asShape(x, [B * T, D]), b: kernel }, backend, attrs: { transposeA: false, transposeB: false } });
  // Without keepStates (inference) the per-step records hold one step, overwritten in place.
  const TS = attrs.keepStates ? T : 1;
  const gates = backend.makeOutput([B, TS, G], 'float32');
  const cells = backend.makeOutput([B, TS, U], 'float32');
  const tanhCells = backend.makeOutput([B, TS, U], 'float32');
  const hPrevAll = backend.makeOutput([B, TS, U], 'float32');
  const out = backend.makeOutput(attrs.returnSequences ? [B, T, U] : [B, U], 'float32');
  // h: the state the current step starts from, as a tensor for the per-step matmul.
  const h = zerosOutput(backend, [B, U]);
  const rec = backend.makeOutput([B, G], 'float32');
  const heap = new HeapViews(backend, [xw, bias, gates, cells, tanhCells, hPrevAll, out, h, rec]);
  const hard = attrs.recurrentActivation === 'hardSigmoid';
  const seq = attrs.returnSequences;
  const recurrent = matMulStep(backend, h, [1, B, U], recurrentKernel, [1, U, G], rec);
  for (let t = 0; t < T; t++) {
    if (t > 0) recurrent();
    const [xwv, b, g, c, tc, hp, o, hv, r] = heap.get() as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    if (t === 0) r.fill(0);
    const ts = TS === T ? t : 0;
    for (let n = 0; n < B; n++) {
      const xRow = (n * T + t) * G;
      const zRow = (n * TS + ts) * G;
      const rRow = n * G;
      const sRow = (n * TS + ts) * U;
      for (let j = 0; j < U; j++) {
        const zi = (r[rRow + j] ?? 0) + (xwv[xRow + j] ?? 0) + (b[j] ?? 0);
        const zf = (r[rRow + U + j] ?? 0) + (xwv[xRow + U + j] ?? 0) + (b[U + j] ?? 0);
        const zg = (r[rRow + 2 * U + j] ?? 0) + (xwv[xRow + 2 * U + j] ?? 0) + (b[2 * U + j] ?? 0);
        const zo = (r[rRow + 3 * U + j] ?? 0) + (xwv[xRow + 3 * U + j] ?? 0) + (b[3 * U + j] ?? 0);
        const ig = hard ? clip01(0.2 * zi + 0.5) : sigmoid(zi);
        const fg = hard ? clip01(0.2 * zf + 0.5) : sigmoid(zf);
        const gg = tanh(zg);
        const og = hard ? clip01(0.2 * zo + 0.5) : sigmoid(zo);
        const cPrev = t === 0 ? 0 : ts > 0 ? (c[sRow - U + j] ?? 0) : (c[sRow + j] ?? 0);
        const cv = fg * cPrev + ig * gg;
        const tcv = tanh(cv);
        g[zRow + j] = ig;
        g[zRow + U + j] = fg;
        g[zRow + 2 * U + j] = gg;
        g[zRow + 3 * U + j] = og;
        c[sRow + j] = cv;
        tc[sRow + j] = tcv;
        hp[sRow + j] = hv[n * U + j] ?? 0;
        hv[n * U + j] = og * tcv;
        if (seq) o[(n * T + t) * U + j] = og * tcv;
      }
    }
  }
  if (!seq) {
    const v = heap.get();
    must(v[6], 'one heap view per tensor').set(must(v[7], 'one heap view per tensor'));
  }
  release(backend, xw, h, rec);
  return [out, gates, cells, tanhCells, hPrevAll];
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
/** tanh through one exp (Math.tanh is several times slower in V8); exact to float32 rounding. */
const tanh = (z: number) => (z > 20 ? 1 : z < -20 ? -1 : 1 - 2 / (Math.exp(2 * z) + 1));
const clip01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/** The fused LSTM sequence kernel for wasm (see lstmForward). */
export const lstmForwardConfig: KernelConfig = {
  kernelName: LSTM_FORWARD,
  backendName: 'wasm',
  kernelFunc: lstmForward as unknown as KernelFunc,
};
