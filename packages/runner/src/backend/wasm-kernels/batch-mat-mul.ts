import { must } from '@kiln/core/errors';
import { BatchMatMul, broadcast_util, util, type BatchMatMulAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { release } from './wasm-ops.ts';

type WasmBatchMatMul = (aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number, transposeA: boolean, transposeB: boolean, outId: number) => void;

let wasmBatchMatMul: WasmBatchMatMul | undefined;

function setup(backend: BackendWasm): void {
  const module = backend.wasm as unknown as { cwrap: (name: string, ret: null, args: string[]) => unknown };
  wasmBatchMatMul = module.cwrap(BatchMatMul, null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']) as WasmBatchMatMul;
}

interface Args {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: BackendWasm;
  attrs: BatchMatMulAttrs;
}

const shapeBytes = (shape: number[]) => new Uint8Array(new Int32Array(shape).buffer);
const size = (t: TensorInfo) => util.sizeFromShape(t.shape);

/** The last two dimensions of a matrix or a batch of matrices. */
function lastTwo(shape: number[]): [number, number] {
  const [rows, cols] = shape.slice(-2);
  if (rows === undefined || cols === undefined) throw new Error(`BatchMatMul needs tensors of rank 2 or more, got shape [${shape.join(', ')}]`);
  return [rows, cols];
}

/** a [..., m, k] times b [..., k, n], no transposes: the one case XNNPACK runs fast. */
function plainMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, outShape: number[]): TensorInfo {
  const [m, k] = lastTwo(a.shape);
  const [, n] = lastTwo(b.shape);
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const out = backend.makeOutput([Math.max(batchA, batchB), m, n], 'float32');
  matMulInto(backend, a, [batchA, m, k], b, [batchB, k, n], out);
  out.shape = outShape;
  return out;
}

/**
 * Writes a·b into the existing tensor `out` (a and b read as the given rank-3 shapes, no
 * transposes): for loops that reuse one output buffer per step. Call after the backend's setup.
 */
export function matMulInto(backend: BackendWasm, a: TensorInfo, aShape: [number, number, number], b: TensorInfo, bShape: [number, number, number], out: TensorInfo): void {
  matMulStep(backend, a, aShape, b, bShape, out)();
}

/** matMulInto with ids and shapes resolved once: the returned function runs the product (for per-timestep loops). */
export function matMulStep(backend: BackendWasm, a: TensorInfo, aShape: [number, number, number], b: TensorInfo, bShape: [number, number, number], out: TensorInfo): () => void {
  const id = (t: TensorInfo) => must(backend.dataIdMap.get(t.dataId), 'a live tensor has wasm data').id;
  const [aId, bId, outId, aBytes, bBytes] = [id(a), id(b), id(out), shapeBytes(aShape), shapeBytes(bShape)];
  return () => wasmBatchMatMul!(aId, aBytes, 3, bId, bBytes, 3, false, false, outId);
}

/** The tensor with its last two axes swapped: a blocked JS loop over the heap, 2-3x faster than the wasm Transpose kernel. */
export function swapLast(backend: BackendWasm, t: TensorInfo): TensorInfo {
  const r = t.shape.length;
  const [rows, cols] = t.shape.slice(-2) as [number, number];
  const out = backend.makeOutput([...t.shape.slice(0, -2), cols, rows], 'float32');
  // Views after makeOutput: allocating can grow (and detach) the heap.
  const src = backend.typedArrayFromHeap(t) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const block = 32;
  const batches = r > 2 ? util.sizeFromShape(t.shape.slice(0, -2)) : 1;
  for (let b = 0; b < batches; b++) {
    const base = b * rows * cols;
    for (let r0 = 0; r0 < rows; r0 += block) {
      const r1 = Math.min(rows, r0 + block);
      for (let c0 = 0; c0 < cols; c0 += block) {
        const c1 = Math.min(cols, c0 + block);
        for (let i = r0; i < r1; i++) {
          const row = base + i * cols;
          for (let j = c0; j < c1; j++) dst[base + j * rows + i] = (src[row + j] ?? 0);
        }
      }
    }
  }
  return out;
}

/**
 * BatchMatMul whose transposed cases run as XNNPACK's untransposed matmul: tfjs-backend-wasm 4.22
 * sends transposeA/transposeB (every dense layer's gradient) to a naive loop 15-40x slower.
 * op(a)·op(b) is computed either by transposing the operands first, or as (op(b)^T·op(a)^T)^T,
 * whichever moves fewer values.
 */
export function batchMatMul({ inputs, backend, attrs }: Args): TensorInfo {
  const { a, b } = inputs;
  const { transposeA, transposeB } = attrs;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw new Error('BatchMatMul for non-float32 tensors is not supported on wasm');
  const [aRows, aCols] = lastTwo(a.shape);
  const [bRows, bCols] = lastTwo(b.shape);
  const [m, k] = transposeA ? [aCols, aRows] : [aRows, aCols];
  const [kb, n] = transposeB ? [bCols, bRows] : [bRows, bCols];
  util.assert(k === kb, () => `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const outShape = [...outer, m, n];
  if (!transposeA && !transposeB) return plainMatMul(backend, a, b, outShape);

  const direct = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0);
  const swapped = (transposeA ? 0 : size(a)) + (transposeB ? 0 : size(b)) + util.sizeFromShape(outShape);
  if (direct <= swapped) {
    const a2 = transposeA ? swapLast(backend, a) : a;
    const b2 = transposeB ? swapLast(backend, b) : b;
    const out = plainMatMul(backend, a2, b2, outShape);
    release(backend, ...[a2, b2].filter((t) => t !== a && t !== b));
    return out;
  }
  // (op(a)·op(b))^T = op(b)^T·op(a)^T, and op(b)^T is b itself when transposeB.
  const left = transposeB ? b : swapLast(backend, b);
  const right = transposeA ? a : swapLast(backend, a);
  const outT = plainMatMul(backend, left, right, [...outer, n, m]);
  const out = swapLast(backend, outT);
  release(backend, outT, ...[left, right].filter((t) => t !== a && t !== b));
  return out;
}

/** BatchMatMul for wasm with fast transposed cases (dense layers' gradients). */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  setupFunc: setup as unknown as KernelConfig['setupFunc'],
  kernelFunc: batchMatMul as unknown as KernelFunc,
};
