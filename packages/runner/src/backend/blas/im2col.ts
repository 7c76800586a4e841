/**
 * The patch matrix of an NHWC convolution and its adjoint: row (n, oy, ox), columns (ky, kx, ci), the filter's own
 * HWIO order, so that patches·filter (the filter read as a [ky·kx·ci, co] matrix) is the convolution.
 */
import type { backend_util } from '@tensorflow/tfjs-core';

type Info = backend_util.Conv2DInfo;

/** Input offsets of one output position's taps (-1 where the window hangs over the padding), in column order / ci. */
function tapOffsets(info: Info, b: number, oy: number, ox: number, taps: Int32Array): void {
  const { inHeight: h, inWidth: w, inChannels: ci, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const { top, left } = info.padInfo;
  let t = 0;
  for (let ky = 0; ky < info.filterHeight; ky++) {
    const iy = oy * sh + ky * dh - top;
    for (let kx = 0; kx < info.filterWidth; kx++, t++) {
      const ix = ox * sw + kx * dw - left;
      taps[t] = iy >= 0 && iy < h && ix >= 0 && ix < w ? ((b * h + iy) * w + ix) * ci : -1;
    }
  }
}

/** Writes the patch rows of images [b0, b1) into dst (row-major, ky·kx·ci columns). */
export function im2col(x: Float32Array, info: Info, b0: number, b1: number, dst: Float32Array): void {
  const ci = info.inChannels;
  const taps = new Int32Array(info.filterHeight * info.filterWidth);
  let o = 0;
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < info.outHeight; oy++) {
      for (let ox = 0; ox < info.outWidth; ox++) {
        tapOffsets(info, b, oy, ox, taps);
        for (const at of taps) {
          if (at < 0) dst.fill(0, o, o + ci);
          else if (ci === 1) dst[o] = x[at] ?? 0;
          // a copy per tap beats an element loop from a few channels on
          else if (ci >= 8) dst.set(x.subarray(at, at + ci), o);
          else for (let c = 0; c < ci; c++) dst[o + c] = x[at + c] ?? 0;
          o += ci;
        }
      }
    }
  }
}

/** Adds the patch-row gradients of images [b0, b1) back onto dx, each tap onto the input value it read. */
export function col2imAdd(cols: Float32Array, info: Info, b0: number, b1: number, dx: Float32Array): void {
  const ci = info.inChannels;
  const taps = new Int32Array(info.filterHeight * info.filterWidth);
  let o = 0;
  for (let b = b0; b < b1; b++) {
    for (let oy = 0; oy < info.outHeight; oy++) {
      for (let ox = 0; ox < info.outWidth; ox++) {
        tapOffsets(info, b, oy, ox, taps);
        for (const at of taps) {
          if (at >= 0) for (let c = 0; c < ci; c++) dx[at + c] = (dx[at + c] ?? 0) + (cols[o + c] ?? 0);
          o += ci;
        }
      }
    }
  }
}

/** A 1x1 window with stride 1 and no padding reads the input as it lies: the patch matrix is x itself. */
export function patchesAreInput(info: Info): boolean {
  const { padInfo: p } = info;
  return info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 && p.top === 0 && p.left === 0 && p.bottom === 0 && p.right === 0;
}
