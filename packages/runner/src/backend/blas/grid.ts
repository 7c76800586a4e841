/**
 * Stride-1 convolutions as ONE sgemm over a transposed patch matrix on the zero-padded grid (see shifted.ts for the
 * grid): row (ky, kx, ci) of PT holds, for every grid position p, the input value tap (ky, kx) reads there,
 * PT[(t, c), p] = Xp[p + off(t), c]. Each tap's block is a transpose of a contiguous run of the padded input, which
 * OpenBLAS's cblas_somatcopy does in C (a plain copy when ci is 1). Then out = PTᵀ·W and dW = PT·dY, each one
 * well-shaped product with k (or m) = kh·kw·ci, where shifted.ts runs kh·kw products with k = ci (memory-bound, and
 * for dW, m = ci with k = every grid position: OpenBLAS's slowest shape).
 */
import type { backend_util } from '@tensorflow/tfjs-core';
import { gemm, scratchOf } from './gemm.ts';
import { CBLAS, type BlasLibrary } from './library.ts';
import { cropGrid, padInput, padded, spreadOutput, tapOffset, taps } from './shifted.ts';

type Info = backend_util.Conv2DInfo;

/** Images per chunk, so that a chunk's padded input, output grid and patch matrix stay near `floats`. */
function gridChunk(info: Info, floats: number): number {
  const { hp, wp } = padded(info);
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  return Math.max(1, Math.floor(floats / (hp * wp * (info.inChannels + info.outChannels + k))));
}

/** Runs body over chunks of images. */
function eachChunk(info: Info, floats: number, body: (b0: number, b1: number) => void): void {
  const step = gridChunk(info, floats);
  for (let b0 = 0; b0 < info.batchSize; b0 += step) body(b0, Math.min(info.batchSize, b0 + step));
}

/** Transposes a rows x cols block (row stride cols) of src from `from` into dst (row stride rows) at `to`. */
function transposeBlock(blas: BlasLibrary, src: Float32Array, from: number, rows: number, cols: number, dst: Float32Array, to: number): void {
  if (cols === 1) {
    dst.set(src.subarray(from, from + rows), to);
    return;
  }
  if (blas.omatcopy) {
    blas.omatcopy(CBLAS.rowMajor, CBLAS.trans, rows, cols, 1, src.subarray(from, from + rows * cols), cols, dst.subarray(to, to + rows * cols), rows);
    return;
  }
  // A CBLAS without OpenBLAS's extension: the same copy in JS, one input channel at a time along the grid.
  for (let c = 0; c < cols; c++) {
    let at = from + c;
    const end = to + (c + 1) * rows;
    for (let o = to + c * rows; o < end; o++, at += cols) dst[o] = src[at] ?? 0;
  }
}

/** The transposed grid patch matrix [kh·kw·ci, rows] of a padded input chunk xp with `rows` grid positions, in slot 2. */
function gridPatchesT(blas: BlasLibrary, info: Info, xp: Float32Array, rows: number): Float32Array {
  const { wp } = padded(info);
  const ci = info.inChannels;
  const pt = scratchOf(taps(info).length * ci * rows, 2);
  for (const t of taps(info)) transposeBlock(blas, xp, tapOffset(info, wp, t) * ci, rows, ci, pt, t * ci * rows);
  return pt;
}

/** out (+)= conv(x, w): the patch matrix, one sgemm PTᵀ·W onto the padded grid, then the valid window copied out. */
export function gridForward(blas: BlasLibrary, info: Info, x: Float32Array, w: Float32Array, out: Float32Array, accumulate: boolean, floats: number): void {
  const { hp, wp } = padded(info);
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  eachChunk(info, floats, (b0, b1) => {
    const rows = (b1 - b0) * hp * wp;
    const pt = gridPatchesT(blas, info, padInput(x, info, b0, b1, 0), rows);
    const grid = scratchOf(rows * info.outChannels, 1);
    gemm(blas, true, false, rows, info.outChannels, k, { data: pt, offset: 0 }, { data: w, offset: 0 }, { data: grid, offset: 0 });
    cropGrid(grid, info, b0, b1, out, accumulate);
  });
}

/** dW = Σ over chunks of PT·dY, dy spread onto the padded grid (zero where a grid position is no output). */
export function gridFilterGrad(blas: BlasLibrary, info: Info, x: Float32Array, dy: Float32Array, dW: Float32Array, floats: number): void {
  const { hp, wp } = padded(info);
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  eachChunk(info, floats, (b0, b1) => {
    const rows = (b1 - b0) * hp * wp;
    const pt = gridPatchesT(blas, info, padInput(x, info, b0, b1, 0), rows);
    const dyp = spreadOutput(dy, info, b0, b1, 1);
    gemm(blas, false, false, k, info.outChannels, rows, { data: pt, offset: 0 }, { data: dyp, offset: 0 }, { data: dW, offset: 0 }, b0 > 0);
  });
}
