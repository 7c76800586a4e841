/** Seeded image augmentation on row-major [h, w, c] float pixels, in place: flip, shift, rotation, zoom, noise. */
import type { ImageAugmentSpec } from '@kiln/core';
import { gaussian } from '../../random/rng.ts';

const uniform = (random: () => number, max: number) => (random() * 2 - 1) * max;

/** Where each output pixel samples from: the inverse of flip -> zoom -> rotate -> shift, about the image centre. */
interface Inverse {
  a: number;
  b: number;
  c: number;
  d: number;
  tx: number;
  ty: number;
}

/** Draws one image's transform; null when it is the identity (nothing geometric to do). */
function drawTransform(spec: ImageAugmentSpec, h: number, w: number, random: () => number): Inverse | null {
  const flipX = (spec.flip === 'horizontal' || spec.flip === 'both') && random() < 0.5 ? -1 : 1;
  const flipY = (spec.flip === 'vertical' || spec.flip === 'both') && random() < 0.5 ? -1 : 1;
  const angle = spec.rotation > 0 ? (uniform(random, spec.rotation) * Math.PI) / 180 : 0;
  const scale = spec.zoom > 0 ? 1 + uniform(random, spec.zoom) : 1;
  const dx = spec.shift > 0 ? Math.round(uniform(random, spec.shift) * w) : 0;
  const dy = spec.shift > 0 ? Math.round(uniform(random, spec.shift) * h) : 0;
  if (flipX === 1 && flipY === 1 && angle === 0 && scale === 1 && dx === 0 && dy === 0) return null;
  // Output (u, v) relative to the centre, minus the shift, rotated back, unzoomed, unflipped.
  const cos = Math.cos(angle) / scale;
  const sin = Math.sin(angle) / scale;
  return { a: cos * flipX, b: sin * flipX, c: -sin * flipY, d: cos * flipY, tx: dx, ty: dy };
}

/** Bilinear sample of channel k at (x, y); 0 outside the image. */
function sample(src: Float32Array, h: number, w: number, c: number, x: number, y: number, k: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  let out = 0;
  for (const [yy, wy] of [[y0, 1 - fy], [y0 + 1, fy]] as const) {
    if (yy < 0 || yy >= h || wy === 0) continue;
    for (const [xx, wx] of [[x0, 1 - fx], [x0 + 1, fx]] as const) {
      if (xx < 0 || xx >= w || wx === 0) continue;
      out += wy * wx * (src[(yy * w + xx) * c + k] ?? 0);
    }
  }
  return out;
}

/** Applies a drawn transform to one image (`img`, a view into the batch) using `scratch` as the source copy. */
function warp(img: Float32Array, scratch: Float32Array, h: number, w: number, c: number, t: Inverse): void {
  scratch.set(img);
  const [cx, cy] = [(w - 1) / 2, (h - 1) / 2];
  for (let v = 0; v < h; v++) {
    for (let u = 0; u < w; u++) {
      const ox = u - cx - t.tx;
      const oy = v - cy - t.ty;
      const sx = t.a * ox + t.b * oy + cx;
      const sy = t.c * ox + t.d * oy + cy;
      for (let k = 0; k < c; k++) img[(v * w + u) * c + k] = sample(scratch, h, w, c, sx, sy, k);
    }
  }
}

/** Augments `n` images stored one after another at `offset` within rows of `rowSize` floats. */
export function augmentImages(x: Float32Array, n: number, rowSize: number, offset: number, shape: number[], spec: ImageAugmentSpec, random: () => number): void {
  const [h, w, c] = shape as [number, number, number];
  const size = h * w * c;
  const scratch = new Float32Array(size);
  for (let i = 0; i < n; i++) {
    const img = x.subarray(i * rowSize + offset, i * rowSize + offset + size);
    const t = drawTransform(spec, h, w, random);
    if (t) warp(img, scratch, h, w, c, t);
    if (spec.noise > 0) for (let j = 0; j < size; j++) img[j] = (img[j] ?? 0) + spec.noise * gaussian(random);
  }
}
