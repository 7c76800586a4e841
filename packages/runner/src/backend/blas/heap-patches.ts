/**
 * Convolutions as one sgemm over a patch matrix written on the wasm heap by the SIMD im2col (wasm-simd/patches.ts),
 * kept from the forward pass for the filter gradient: in training, Conv2DBackpropFilter gets the very input tensor
 * the forward pass read (same dataId), so dW = patchesᵀ·dy is one product with nothing to rewrite. dx = col2im(dy·Wᵀ),
 * the patch gradient added back by the SIMD col2im. No padded grid (shifted.ts computes 1.4x the outputs on MNIST's
 * 13x13 -> 11x11 layer) and no JS loops.
 */
import { engine, type backend_util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { offsetOf, simdKernels, type SimdKernels } from '../wasm-simd/module.ts';
import { gemm, heapOf } from './gemm.ts';
import type { BlasLibrary } from './library.ts';

type Info = backend_util.Conv2DInfo;

/** Patch matrices above this many floats (32 MB) go the chunked ways of conv.ts instead. */
export const MAX_PATCH_FLOATS = 8 << 20;

/** Patch matrices kept for the filter gradient, newest last, at most this many floats in all. */
const KEEP_FLOATS = 2 * MAX_PATCH_FLOATS;

interface Kept {
  x: object;
  key: string;
  patches: TensorInfo;
  floats: number;
  backend: BackendWasm;
}

let kept: Kept[] = [];

/**
 * One input channel read at stride 1 along the width: the patch matrix is written transposed (rows (ky, kx), columns
 * (n, oy, ox)), each of its rows a run of input rows the SIMD loop copies four floats at a time; the products then
 * read it transposed. Otherwise one row per output pixel, ci floats per tap.
 */
export const transposedPatches = (info: Info) => info.inChannels === 1 && info.strideWidth === 1;

/** The geometry a patch matrix depends on, besides its input. */
const keyOf = (info: Info) => [transposedPatches(info) ? 'T' : 'R', info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left].join(',');

const floatsOf = (info: Info) => info.batchSize * info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels;

/** Whether this convolution runs on heap patches: the SIMD kernels load and the patch matrix is not too large. */
export function fitsHeapPatches(backend: BackendWasm, info: Info): boolean {
  return floatsOf(info) <= MAX_PATCH_FLOATS && simdKernels(backend) !== null;
}

/** The kernels, which fitsHeapPatches checked. */
function kernels(backend: BackendWasm): SimdKernels {
  const simd = simdKernels(backend);
  if (simd === null) throw new Error('the wasm backend exposes no memory for the SIMD kernels');
  return simd;
}

/** The PATCH_PARAMS arguments after the two heap offsets. */
const geometry = (info: Info) => [
  info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.filterHeight, info.filterWidth,
  info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left,
];

/** Frees every kept patch matrix (tests; a backend re-initialised drops its heap anyway). */
export function dropKeptPatches(): void {
  for (const k of kept) k.backend.disposeData(k.patches.dataId);
  kept = [];
}

/**
 * Keeps a patch matrix for x's filter gradient, freeing the oldest beyond KEEP_FLOATS. Only while gradients are
 * recorded (inference would only fill the heap), and replacing an older one of the same x: a variable the fused
 * optimizer updated in place keeps its dataId.
 */
function keep(entry: Kept): void {
  if (engine().state.gradientDepth === 0) {
    entry.backend.disposeData(entry.patches.dataId);
    return;
  }
  for (const old of kept.filter((k) => k.x === entry.x && k.key === entry.key)) old.backend.disposeData(old.patches.dataId);
  kept = kept.filter((k) => !(k.x === entry.x && k.key === entry.key));
  kept.push(entry);
  let total = kept.reduce((s, k) => s + k.floats, 0);
  while (total > KEEP_FLOATS && kept.length > 0) {
    const old = kept.shift();
    if (old === undefined) break;
    old.backend.disposeData(old.patches.dataId);
    total -= old.floats;
  }
}

/** Takes the kept patch matrix of x (null when none): the filter gradient uses it once. */
function takeKept(backend: BackendWasm, x: TensorInfo, info: Info): TensorInfo | null {
  const key = keyOf(info);
  const i = kept.findIndex((k) => k.x === x.dataId && k.key === key && k.backend === backend);
  if (i < 0) return null;
  const [entry] = kept.splice(i, 1);
  return entry?.patches ?? null;
}

/** Writes x's patch matrix [rows, kh·kw·ci] into a new heap buffer. */
function writePatches(backend: BackendWasm, x: TensorInfo, info: Info): TensorInfo {
  const [rows, r] = [info.batchSize * info.outHeight * info.outWidth, info.filterHeight * info.filterWidth * info.inChannels];
  const transposed = transposedPatches(info);
  const patches = backend.makeOutput(transposed ? [r, rows] : [rows, r], 'float32');
  (transposed ? kernels(backend).im2colT : kernels(backend).im2col)(offsetOf(backend, x.dataId), offsetOf(backend, patches.dataId), ...geometry(info));
  return patches;
}

/** out (+)= patches·W, keeping the patches for the filter gradient of the same x. */
export function heapPatchesForward(blas: BlasLibrary, backend: BackendWasm, info: Info, x: TensorInfo, filter: TensorInfo, out: TensorInfo, accumulate: boolean): void {
  const patches = writePatches(backend, x, info);
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const r = info.filterHeight * info.filterWidth * info.inChannels;
  // Views after every allocation: growing the heap detaches old ones.
  gemm(blas, transposedPatches(info), false, rows, info.outChannels, r, { data: heapOf(backend, patches), offset: 0 }, { data: heapOf(backend, filter), offset: 0 }, { data: heapOf(backend, out), offset: 0 }, accumulate);
  keep({ x: x.dataId, key: keyOf(info), patches, floats: floatsOf(info), backend });
}

/** dW = patchesᵀ·dy, with the forward pass's patches where it kept them. */
export function heapPatchesFilterGrad(blas: BlasLibrary, backend: BackendWasm, info: Info, x: TensorInfo, dy: TensorInfo, dW: TensorInfo): void {
  const patches = takeKept(backend, x, info) ?? writePatches(backend, x, info);
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const r = info.filterHeight * info.filterWidth * info.inChannels;
  gemm(blas, !transposedPatches(info), false, r, info.outChannels, rows, { data: heapOf(backend, patches), offset: 0 }, { data: heapOf(backend, dy), offset: 0 }, { data: heapOf(backend, dW), offset: 0 });
  backend.disposeData(patches.dataId);
}

/** dx = col2im(dy·Wᵀ) into dx. */
export function heapPatchesInputGrad(blas: BlasLibrary, backend: BackendWasm, info: Info, dy: TensorInfo, filter: TensorInfo, dx: TensorInfo): void {
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const r = info.filterHeight * info.filterWidth * info.inChannels;
  const cols = backend.makeOutput([rows, r], 'float32');
  gemm(blas, false, true, rows, r, info.outChannels, { data: heapOf(backend, dy), offset: 0 }, { data: heapOf(backend, filter), offset: 0 }, { data: heapOf(backend, cols), offset: 0 });
  heapOf(backend, dx).fill(0);
  kernels(backend).col2imAdd(offsetOf(backend, dx.dataId), offsetOf(backend, cols.dataId), ...geometry(info));
  backend.disposeData(cols.dataId);
}
