/**
 * Stride-1 convolutions as one sgemm per filter tap, with no patch matrix. With the input zero-padded to Hp x Wp and
 * flattened to rows p = (n·Hp + y)·Wp + x, output position p reads input row p + off(tap), off = ky·Wp + kx, for
 * every tap. So, over all positions at once (positions past the output's edge are computed and cropped, or carry a
 * zero gradient): out = Σ_tap X[off:]·W_tap, dW_tap = X[off:]ᵀ·dY, dX[off:] += dY·W_tapᵀ. This trades the JS patch
 * loops (one write per patch float, 9 per input float) for block copies and (Hp·Wp)/(oh·ow) extra multiply-adds.
 */
import type { backend_util } from '@tensorflow/tfjs-core';
import { gemm, scratchOf } from './gemm.ts';
import type { BlasLibrary } from './library.ts';

type Info = backend_util.Conv2DInfo;

/** Padded geometry; the tail rows let the last tap's shifted block run past the last image. */
export function padded(info: Info) {
  const p = info.padInfo;
  const hp = info.inHeight + p.top + p.bottom;
  const wp = info.inWidth + p.left + p.right;
  return { hp, wp, tail: (info.filterHeight - 1) * wp + info.filterWidth - 1 };
}

/** Whether this convolution can run shifted: stride and dilation 1, output exactly the padded input's valid window. */
export function shiftable(info: Info): boolean {
  const { hp, wp } = padded(info);
  return info.strideHeight === 1 && info.strideWidth === 1 && info.dilationHeight === 1 && info.dilationWidth === 1 && info.outHeight === hp - info.filterHeight + 1 && info.outWidth === wp - info.filterWidth + 1;
}

/** Images per chunk, so that the padded buffers of a chunk stay near `floats`. */
export function shiftedChunk(info: Info, floats: number): number {
  const { hp, wp } = padded(info);
  return Math.max(1, Math.floor(floats / (hp * wp * (info.inChannels + info.outChannels))));
}

/** Copies images [b0, b1) of x into a zeroed padded buffer (plus tail rows), in slot `slot`. */
export function padInput(x: Float32Array, info: Info, b0: number, b1: number, slot: number): Float32Array {
  const { hp, wp, tail } = padded(info);
  const ci = info.inChannels;
  const rowLen = info.inWidth * ci;
  const out = scratchOf(((b1 - b0) * hp * wp + tail) * ci, slot);
  out.fill(0);
  for (let b = b0; b < b1; b++) {
    for (let y = 0; y < info.inHeight; y++) {
      const src = (b * info.inHeight + y) * rowLen;
      out.set(x.subarray(src, src + rowLen), (((b - b0) * hp + y + info.padInfo.top) * wp + info.padInfo.left) * ci);
    }
  }
  return out;
}

/** Copies images [b0, b1) of dy into a zeroed buffer laid out on the padded grid (Hp·Wp rows per image). */
export function spreadOutput(dy: Float32Array, info: Info, b0: number, b1: number, slot: number): Float32Array {
  const { hp, wp } = padded(info);
  const co = info.outChannels;
  const rowLen = info.outWidth * co;
  const out = scratchOf((b1 - b0) * hp * wp * co, slot);
  out.fill(0);
  for (let b = b0; b < b1; b++) {
    for (let y = 0; y < info.outHeight; y++) {
      const src = (b * info.outHeight + y) * rowLen;
      out.set(dy.subarray(src, src + rowLen), ((b - b0) * hp + y) * wp * co);
    }
  }
  return out;
}

/** Runs body over chunks of images. */
function eachChunk(info: Info, floats: number, body: (b0: number, b1: number) => void): void {
  const step = shiftedChunk(info, floats);
  for (let b0 = 0; b0 < info.batchSize; b0 += step) body(b0, Math.min(info.batchSize, b0 + step));
}

/** The filter taps, 0 .. kh·kw - 1 (tap t is ky = t / kw, kx = t % kw, the HWIO filter's order). */
export const taps = (info: Info) => Array.from({ length: info.filterHeight * info.filterWidth }, (_, t) => t);
/** How many grid rows tap t reads ahead of the output position. */
export const tapOffset = (info: Info, wp: number, t: number) => Math.floor(t / info.filterWidth) * wp + (t % info.filterWidth);

/** out (+)= conv(x, w): one sgemm per tap into the padded grid, then the valid window copied out. */
export function shiftedForward(blas: BlasLibrary, info: Info, x: Float32Array, w: Float32Array, out: Float32Array, accumulate: boolean, floats: number): void {
  const { hp, wp } = padded(info);
  const [ci, co] = [info.inChannels, info.outChannels];
  eachChunk(info, floats, (b0, b1) => {
    const rows = (b1 - b0) * hp * wp;
    const xp = padInput(x, info, b0, b1, 0);
    const grid = scratchOf(rows * co, 1);
    for (const t of taps(info)) {
      gemm(blas, false, false, rows, co, ci, { data: xp, offset: tapOffset(info, wp, t) * ci }, { data: w, offset: t * ci * co }, { data: grid, offset: 0 }, t > 0);
    }
    cropGrid(grid, info, b0, b1, out, accumulate);
  });
}

/** Copies (or adds) the valid window of images [b0, b1)'s outputs on the padded grid into out. */
export function cropGrid(grid: Float32Array, info: Info, b0: number, b1: number, out: Float32Array, accumulate: boolean): void {
  const { hp, wp } = padded(info);
  const rowLen = info.outWidth * info.outChannels;
  for (let b = b0; b < b1; b++) {
    for (let y = 0; y < info.outHeight; y++) {
      const src = ((b - b0) * hp + y) * wp * info.outChannels;
      const dst = (b * info.outHeight + y) * rowLen;
      if (!accumulate) out.set(grid.subarray(src, src + rowLen), dst);
      else for (let i = 0; i < rowLen; i++) out[dst + i] = (out[dst + i] ?? 0) + (grid[src + i] ?? 0);
    }
  }
}

/** dW: for each tap, the shifted input's transpose times dy on the padded grid, summed over chunks. */
export function shiftedFilterGrad(blas: BlasLibrary, info: Info, x: Float32Array, dy: Float32Array, dW: Float32Array, floats: number): void {
  const { hp, wp } = padded(info);
  const [ci, co] = [info.inChannels, info.outChannels];
  eachChunk(info, floats, (b0, b1) => {
    const rows = (b1 - b0) * hp * wp;
    const xp = padInput(x, info, b0, b1, 0);
    const dyp = spreadOutput(dy, info, b0, b1, 1);
    for (const t of taps(info)) {
      gemm(blas, true, false, ci, co, rows, { data: xp, offset: tapOffset(info, wp, t) * ci }, { data: dyp, offset: 0 }, { data: dW, offset: t * ci * co }, b0 > 0);
    }
  });
}

/** dx: for each tap, dy·W_tapᵀ added onto the padded input grid at the tap's offset, then the unpadded part copied out. */
export function shiftedInputGrad(blas: BlasLibrary, info: Info, dy: Float32Array, w: Float32Array, dx: Float32Array, floats: number): void {
  const { hp, wp, tail } = padded(info);
  const [ci, co] = [info.inChannels, info.outChannels];
  eachChunk(info, floats, (b0, b1) => {
    const rows = (b1 - b0) * hp * wp;
    const dyp = spreadOutput(dy, info, b0, b1, 1);
    const grid = scratchOf((rows + tail) * ci, 0);
    grid.fill(0);
    for (const t of taps(info)) {
      gemm(blas, false, true, rows, ci, co, { data: dyp, offset: 0 }, { data: w, offset: t * ci * co }, { data: grid, offset: tapOffset(info, wp, t) * ci }, true);
    }
    const rowLen = info.inWidth * ci;
    for (let b = b0; b < b1; b++) {
      for (let y = 0; y < info.inHeight; y++) {
        const src = (((b - b0) * hp + y + info.padInfo.top) * wp + info.padInfo.left) * ci;
        dx.set(grid.subarray(src, src + rowLen), (b * info.inHeight + y) * rowLen);
      }
    }
  });
}
