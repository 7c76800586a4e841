import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { must } from '@kiln/core/errors';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { swapLast } from './batch-mat-mul.ts';
import { batchMatMul, matMulStep } from '../blas/products.ts';
import { asShape, HeapViews, LSTM_BACKWARD, type LstmAttrs } from './lstm-common.ts';
import { release, zerosOutput } from './wasm-ops.ts';

interface Args {
  inputs: { dy: TensorInfo; x: TensorInfo; kernel: TensorInfo; recurrentKernel: TensorInfo; gates: TensorInfo; cells: TensorInfo; tanhCells: TensorInfo; hPrev: TensorInfo };
  backend: BackendWasm;
  attrs: LstmAttrs;
}

const matMul = (backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean) => batchMatMul({ inputs: { a, b }, backend, attrs: { transposeA, transposeB } });

/**
 * Backpropagation through time for lstmForward: a JS loop from the last step to the first gives
 * the gate pre-activation gradients dZ [B, T, 4U] (one XNNPACK matmul dZ_t·R^T per step carries
 * dh back); the weight and input gradients are then three large matmuls over all timesteps:
 * dKernel = X^T·dZ, dRecurrent = H_prev^T·dZ, dX = dZ·Kernel^T, and dBias the column sums of dZ.
 */
function lstmBackward({ inputs, backend, attrs }: Args): TensorInfo[] {
  const { dy, x, kernel, recurrentKernel, gates, cells, tanhCells, hPrev } = inputs;
  const [B, T, D] = x.shape as [number, number, number];
  const U = must(recurrentKernel.shape[0], 'the recurrent kernel is [units, 4 * units]');
  const G = 4 * U;
  const recT = swapLast(backend, recurrentKernel);
  const dZ = backend.makeOutput([B, T, G], 'float32');
  const dzStep = backend.makeOutput([B, G], 'float32');
  const dhRec = zerosOutput(backend, [B, U]);
  const dBias = backend.makeOutput([G], 'float32');
  const heap = new HeapViews(backend, [dy, gates, cells, tanhCells, dZ, dzStep, dhRec, dBias]);
  const dc = new Float32Array(B * U);
  const hard = attrs.recurrentActivation === 'hardSigmoid';
  const seq = attrs.returnSequences;
  // dh_{t-1} = dZ_t·R^T, one matmul per step.
  const carry = matMulStep(backend, dzStep, [1, B, G], recT, [1, G, U], dhRec);
  for (let t = T - 1; t >= 0; t--) {
    const [dyv, g, c, tc, dz, dzs, dhr] = heap.get() as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    for (let n = 0; n < B; n++) {
      const zRow = (n * T + t) * G;
      const sRow = (n * T + t) * U;
      const stepRow = n * G;
      for (let j = 0; j < U; j++) {
        const k = n * U + j;
        const dh = (t < T - 1 ? (dhr[k] ?? 0) : 0) + (seq ? (dyv[sRow + j] ?? 0) : t === T - 1 ? (dyv[k] ?? 0) : 0);
        const ig = g[zRow + j] ?? 0;
        const fg = g[zRow + U + j] ?? 0;
        const gg = g[zRow + 2 * U + j] ?? 0;
        const og = g[zRow + 3 * U + j] ?? 0;
        const tcv = tc[sRow + j] ?? 0;
        const dcv = (dc[k] ?? 0) + dh * og * (1 - tcv * tcv);
        const cPrev = t > 0 ? (c[sRow - U + j] ?? 0) : 0;
        const dzi = dcv * gg * (hard ? hardSlope(ig) : ig * (1 - ig));
        const dzf = dcv * cPrev * (hard ? hardSlope(fg) : fg * (1 - fg));
        const dzg = dcv * ig * (1 - gg * gg);
        const dzo = dh * tcv * (hard ? hardSlope(og) : og * (1 - og));
        dc[k] = dcv * fg;
        dz[zRow + j] = dzs[stepRow + j] = dzi;
        dz[zRow + U + j] = dzs[stepRow + U + j] = dzf;
        dz[zRow + 2 * U + j] = dzs[stepRow + 2 * U + j] = dzg;
        dz[zRow + 3 * U + j] = dzs[stepRow + 3 * U + j] = dzo;
      }
    }
    if (t > 0) carry();
  }
  {
    const v = heap.get();
    const [dz, db] = [must(v[4], 'one heap view per tensor'), must(v[7], 'one heap view per tensor')];
    db.fill(0);
    for (let row = 0; row < T * B; row++) for (let j = 0; j < G; j++) db[j] = (db[j] ?? 0) + (dz[row * G + j] ?? 0);
  }
  const dZ2 = asShape(dZ, [B * T, G]);
  const dKernel = matMul(backend, asShape(x, [B * T, D]), dZ2, true, false);
  const dRecurrent = matMul(backend, asShape(hPrev, [B * T, U]), dZ2, true, false);
  const dx = matMul(backend, dZ2, kernel, false, true);
  dx.shape = [B, T, D];
  release(backend, recT, dZ, dzStep, dhRec);
  return [dx, dKernel, dRecurrent, dBias];
}

/** d hardSigmoid / dz from its output: 0.2 inside the linear part, 0 where it is clipped. */
const hardSlope = (s: number) => (s > 0 && s < 1 ? 0.2 : 0);

/** Backward kernel of the fused LSTM sequence for wasm (see lstmBackward). */
export const lstmBackwardConfig: KernelConfig = {
  kernelName: LSTM_BACKWARD,
  backendName: 'wasm',
  kernelFunc: lstmBackward as unknown as KernelFunc,
};
