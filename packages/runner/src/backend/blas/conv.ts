/**
 * Conv2D / FusedConv2D and both backprops through BLAS: the patch matrix (im2col, off the wasm heap) and one sgemm per
 * chunk of images. Forward out = patches·W; dW = patchesᵀ·dy; dx = col2im(dy·Wᵀ); W is the HWIO filter read as
 * a [ky·kx·ci, co] matrix. NCHW and shapes below the size threshold stay on the kernels registered before.
 */
import { backend_util, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { applyActivation, epilogueFits, fillBias, simdEpilogue, type EpilogueSpec } from './epilogue.ts';
import { everyProductOnBlas, gemm, heapOf, scratchOf, useBlasFor } from './gemm.ts';
import { col2imAdd, col2imTAdd, im2col, im2colT, patchesAreInput } from './im2col.ts';
import { gridFilterGrad, gridForward } from './grid.ts';
import { fitsHeapPatches, heapPatchesFilterGrad, heapPatchesForward, heapPatchesInputGrad, transposedPatches as heapPatchesTransposed } from './heap-patches.ts';
import { shiftable, shiftedFilterGrad, shiftedForward, shiftedInputGrad } from './shifted.ts';
import type { BlasLibrary } from './library.ts';

type Shape4 = [number, number, number, number];
type Info = backend_util.Conv2DInfo;
type KernelArgs = Parameters<KernelFunc>[0];

/** A kernel's arguments, typed as this file reads them. */
interface Args<I> {
  inputs: I;
  backend: BackendWasm;
  attrs: ConvAttrs;
}

/** The kernel registered before, called with the same arguments. */
const callFallback = (fallback: KernelFunc, args: Args<unknown>) => fallback(args as unknown as KernelArgs);

/** Floats of patch matrix per chunk: bounds the scratch buffer (32 MB) on large batches. */
const CHUNK_FLOATS = 8 << 20;
let chunkFloats = CHUNK_FLOATS;

/** Sets the patch floats per chunk; tests set a small one to run the chunked path on small shapes. */
export function setConvChunkFloats(floats: number = CHUNK_FLOATS): void {
  chunkFloats = floats;
}

/**
 * How convolutions run: auto (the heap patch matrix where it fits, else by direction and channels, see runsShifted
 * and runsGrid), the patch matrix on the wasm heap kept for dW (heap-patches.ts), one sgemm per tap (shifted.ts),
 * one sgemm over a transposed patch matrix on the padded grid (grid.ts; dx then runs shifted), or the JS patch
 * matrix of im2col.ts. The last three are for stride-1 convolutions only.
 */
export type ConvMethod = 'auto' | 'patches' | 'shifted' | 'grid' | 'im2col';
let method: ConvMethod = 'auto';

/** Forces the method for stride-1 convolutions (strided or dilated ones always use the patch matrix); tests and the bench try each. */
export function setConvMethod(m: ConvMethod = 'auto'): void {
  method = m;
}

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
  leakyreluAlpha?: number;
  inputShape?: Shape4;
  filterShape?: Shape4;
}

/**
 * Where BLAS beats the kernels registered before, measured side by side (`pnpm bench kernels`; ms on a busy 2-core
 * machine, XNNPACK / patch matrix / shifted): a stride-1 convolution with 8+ input channels runs shifted, one sgemm
 * per tap and no patch matrix, in every direction (MNIST conv2 16->32: forward 10.6 / 13.7 / 6.8, dW 32 / 22 / 16,
 * dx 15 / 16 / 6.7; 32->64 on 16x16: forward 22 / 40 / 15, dW 60 / 38 / 32, dx 25 / 22 / 9.3). With 1-7 input
 * channels a shifted product has k or n = ci and runs memory-bound: there the forward pass stays on XNNPACK
 * (conv1 1->16: 1.7-5.0 / 13-16 / 12-17), dx uses the patch matrix (17-27 / 9-11) and dW the grid's (see runsGrid).
 * Strided and dilated convolutions use the patch matrix for the backprops and XNNPACK forward.
 */
const SHIFTED_MIN_CHANNELS = 8;

/**
 * Whether this convolution runs on the heap patch matrix: in auto wherever it fits, with 4+ input channels (the
 * SIMD im2col copies four channels at a time) or one channel at width stride 1 (the transposed matrix, a run of each
 * input row per tap). CPU ms per call, median of 15 (busy 2-core machine, load ~13; heap patches / before), each dW
 * rebuilding its patches here, while in training it reuses the forward pass's and is one product: MNIST conv2
 * 16->32 forward 1.44 / 1.86 (shifted), dW 1.53 / 2.52 (shifted), dx 1.47 / 1.86 (shifted); conv1 1->16 forward
 * 0.84 / 1.53 (XNNPACK), dW 0.64 / 2.03 (grid). 2 or 3 channels keep the ways below.
 */
const runsHeapPatches = (backend: BackendWasm, info: Info) =>
  (method === 'patches' || (method === 'auto' && (info.inChannels >= 4 || heapPatchesTransposed(info)))) && fitsHeapPatches(backend, info);

/** Whether this convolution runs shifted (see above; setConvMethod forces one way for tests and the bench). */
const runsShifted = (info: Info) => (method === 'auto' || method === 'shifted') && shiftable(info) && (method === 'shifted' || info.inChannels >= SHIFTED_MIN_CHANNELS);

/**
 * Whether this direction runs on the grid patch matrix (grid.ts): in auto, the filter gradient with fewer than 8
 * input channels, where the patches are plain copies. CPU ms per call, median of 40 interleaved calls (a load
 * average of 5 on 2 cores; XNNPACK / shifted / grid / im2col): conv1 1->16 dW 4.1 / 3.3 / 2.1 / 2.9 (auto took
 * im2col before); its forward 1.8 / 4.1 / 2.4 / 2.7 (XNNPACK stays); conv2 16->32 forward 3.0 / 2.9 / 3.8 / 4.5,
 * dW 8.3 / 3.3 / 3.7 / 4.6 (shifted stays: 9 products of k=16 cost about what one of k=144 and its patches do).
 */
const runsGrid = (info: Info, forward: boolean) =>
  shiftable(info) && (method === 'grid' || (method === 'auto' && !forward && info.inChannels < SHIFTED_MIN_CHANNELS));

/**
 * With fewer channels the patch matrix is written transposed (rows ky·kx·ci, columns n·oy·ox), its inner loop along
 * an input row: MNIST conv1's 0.9 ms instead of 2.8 ms, and the product reads it faster too (0.44 vs 0.55 ms).
 */
const transposedPatches = (info: Info) => info.inChannels < SHIFTED_MIN_CHANNELS;

/** Whether the forward pass goes to BLAS: 1x1 (the input is the patch matrix), heap patches, shifted, or on the grid. */
const FORWARD_ON_BLAS = (backend: BackendWasm, info: Info) => patchesAreInput(info) || runsHeapPatches(backend, info) || runsShifted(info) || runsGrid(info, true);

/** The convolution's geometry and its product sizes, or null where BLAS does not take it. */
function plan(backend: BackendWasm, xShape: Shape4, filterShape: Shape4, attrs: ConvAttrs, forward: boolean): { info: Info; rows: number; r: number; blas: BlasLibrary } | null {
  if (backend_util.convertConv2DDataFormat(attrs.dataFormat) !== 'channelsLast') return null;
  const info = backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const r = info.filterHeight * info.filterWidth * info.inChannels;
  const blas = useBlasFor(rows, info.outChannels, r);
  if (blas === null || (forward && !everyProductOnBlas() && !FORWARD_ON_BLAS(backend, info))) return null;
  return { info, rows, r, blas };
}

/** Images per chunk so that a chunk's patch matrix fits CHUNK_FLOATS. */
const imagesPerChunk = (info: Info, r: number) => Math.max(1, Math.floor(chunkFloats / Math.max(1, info.outHeight * info.outWidth * r)));

/** Runs body over chunks of images [b0, b1) with their first output row. */
function chunks(info: Info, r: number, body: (b0: number, b1: number, row0: number) => void): void {
  const step = imagesPerChunk(info, r);
  const perImage = info.outHeight * info.outWidth;
  for (let b0 = 0; b0 < info.batchSize; b0 += step) body(b0, Math.min(info.batchSize, b0 + step), b0 * perImage);
}

/** out[rows, co] (+)= patches·W over all images. */
function forwardInto(p: { info: Info; r: number; blas: BlasLibrary }, backend: BackendWasm, x: TensorInfo, filter: TensorInfo, out: TensorInfo, accumulate: boolean): void {
  const { info, r, blas } = p;
  if (!patchesAreInput(info) && runsHeapPatches(backend, info)) {
    heapPatchesForward(blas, backend, info, x, filter, out, accumulate);
    return;
  }
  const [xv, wv, ov] = [heapOf(backend, x), heapOf(backend, filter), heapOf(backend, out)];
  const co = info.outChannels;
  const W = { data: wv, offset: 0 };
  if (patchesAreInput(info)) {
    gemm(blas, false, false, info.batchSize * info.outHeight * info.outWidth, co, r, { data: xv, offset: 0 }, W, { data: ov, offset: 0 }, accumulate);
    return;
  }
  if (runsShifted(info)) {
    shiftedForward(blas, info, xv, wv, ov, accumulate, chunkFloats);
    return;
  }
  if (runsGrid(info, true)) {
    gridForward(blas, info, xv, wv, ov, accumulate, chunkFloats);
    return;
  }
  chunks(info, r, (b0, b1, row0) => {
    const rows = (b1 - b0) * info.outHeight * info.outWidth;
    const patches = scratchOf(rows * r);
    const transposed = transposedPatches(info);
    (transposed ? im2colT : im2col)(xv, info, b0, b1, patches);
    gemm(blas, transposed, false, rows, co, r, { data: patches, offset: 0 }, W, { data: ov, offset: row0 * co }, accumulate);
  });
}

/** Conv2D (and FusedConv2D with its bias and activation) through BLAS, the kernel registered before for the rest. */
export function blasConvKernel(fallback: KernelFunc): KernelFunc {
  const kernel = (args: Args<{ x: TensorInfo; filter: TensorInfo } & EpilogueSpec>) => {
    const { inputs: { x, filter, bias, preluActivationWeights }, attrs, backend } = args;
    const p = x.dtype === 'float32' ? plan(backend, x.shape as Shape4, filter.shape as Shape4, attrs, true) : null;
    const spec: EpilogueSpec = { bias, preluActivationWeights, activation: attrs.activation, leakyreluAlpha: attrs.leakyreluAlpha };
    if (!p || !epilogueFits(spec, p.info.outChannels, p.rows * p.info.outChannels)) return callFallback(fallback, args);
    const out = backend.makeOutput(p.info.outShape, 'float32');
    const simd = simdEpilogue(backend, spec, p.info.outChannels);
    if (simd !== null) {
      forwardInto(p, backend, x, filter, out, false);
      simd(out);
      return out;
    }
    if (bias) fillBias(heapOf(backend, out), p.info.outChannels, heapOf(backend, bias));
    forwardInto(p, backend, x, filter, out, bias !== undefined && bias !== null);
    applyActivation(heapOf(backend, out), p.info.outChannels, spec, preluActivationWeights ? heapOf(backend, preluActivationWeights) : null);
    return out;
  };
  return kernel as unknown as KernelFunc;
}

/** Conv2DBackpropFilter: dW = Σ over chunks of patchesᵀ·dy. */
export function blasConvFilterKernel(fallback: KernelFunc): KernelFunc {
  const kernel = (args: Args<{ x: TensorInfo; dy: TensorInfo }>) => {
    const { inputs: { x, dy }, attrs, backend } = args;
    const filterShape = attrs.filterShape ?? [0, 0, 0, 0];
    const p = plan(backend, x.shape as Shape4, filterShape, attrs, false);
    if (!p) return callFallback(fallback, args);
    const { info, r, blas } = p;
    const dW = backend.makeOutput(filterShape, 'float32');
    if (!patchesAreInput(info) && runsHeapPatches(backend, info)) {
      heapPatchesFilterGrad(blas, backend, info, x, dy, dW);
      return dW;
    }
    const [xv, dyv, dwv] = [heapOf(backend, x), heapOf(backend, dy), heapOf(backend, dW)];
    const co = info.outChannels;
    const DW = { data: dwv, offset: 0 };
    if (patchesAreInput(info)) {
      gemm(blas, true, false, r, co, p.rows, { data: xv, offset: 0 }, { data: dyv, offset: 0 }, DW);
      return dW;
    }
    if (runsGrid(info, false)) {
      gridFilterGrad(blas, info, xv, dyv, dwv, chunkFloats);
      return dW;
    }
    if (runsShifted(info)) {
      shiftedFilterGrad(blas, info, xv, dyv, dwv, chunkFloats);
      return dW;
    }
    chunks(info, r, (b0, b1, row0) => {
      const rows = (b1 - b0) * info.outHeight * info.outWidth;
      const patches = scratchOf(rows * r);
      const transposed = transposedPatches(info);
      (transposed ? im2colT : im2col)(xv, info, b0, b1, patches);
      gemm(blas, !transposed, false, r, co, rows, { data: patches, offset: 0 }, { data: dyv, offset: row0 * co }, DW, b0 > 0);
    });
    return dW;
  };
  return kernel as unknown as KernelFunc;
}

/** Conv2DBackpropInput: dx = col2im(dy·Wᵀ), chunk by chunk. */
export function blasConvInputKernel(fallback: KernelFunc): KernelFunc {
  const kernel = (args: Args<{ dy: TensorInfo; filter: TensorInfo }>) => {
    const { inputs: { dy, filter }, attrs, backend } = args;
    const inputShape = attrs.inputShape ?? [0, 0, 0, 0];
    const p = plan(backend, inputShape, filter.shape as Shape4, attrs, false);
    if (!p) return callFallback(fallback, args);
    const { info, r, blas } = p;
    const dx = backend.makeOutput(inputShape, 'float32');
    if (!patchesAreInput(info) && runsHeapPatches(backend, info)) {
      heapPatchesInputGrad(blas, backend, info, dy, filter, dx);
      return dx;
    }
    const [dyv, wv, dxv] = [heapOf(backend, dy), heapOf(backend, filter), heapOf(backend, dx)];
    const co = info.outChannels;
    const W = { data: wv, offset: 0 };
    if (patchesAreInput(info)) {
      gemm(blas, false, true, p.rows, r, co, { data: dyv, offset: 0 }, W, { data: dxv, offset: 0 });
      return dx;
    }
    if (runsShifted(info)) {
      shiftedInputGrad(blas, info, dyv, wv, dxv, chunkFloats);
      return dx;
    }
    dxv.fill(0);
    chunks(info, r, (b0, b1, row0) => {
      const rows = (b1 - b0) * info.outHeight * info.outWidth;
      const cols = scratchOf(rows * r);
      if (transposedPatches(info)) {
        gemm(blas, false, true, r, rows, co, W, { data: dyv, offset: row0 * co }, { data: cols, offset: 0 });
        col2imTAdd(cols, info, b0, b1, dxv);
        return;
      }
      gemm(blas, false, true, rows, r, co, { data: dyv, offset: row0 * co }, W, { data: cols, offset: 0 });
      col2imAdd(cols, info, b0, b1, dxv);
    });
    return dx;
  };
  return kernel as unknown as KernelFunc;
}

