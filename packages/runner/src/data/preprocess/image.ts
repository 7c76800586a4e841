import { fail, isMissing, rowLabel } from '../table.ts';
import type { FeatureHandler } from './types.ts';

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** An image column: a flat array (or typed array) of height * width * channels numbers per row, divided by `scale`. */
export const image: FeatureHandler<'image'> = {
  fit: (spec) => ({ name: spec.name, type: 'image', shape: [...spec.shape], scale: spec.scale }),
  shape: (s) => [...s.shape],
  dtype: () => 'float32',
  encode(s, v, out, offset, row, ctx) {
    const n = size(s.shape);
    const isArray = Array.isArray(v) || ArrayBuffer.isView(v);
    const values = v as ArrayLike<unknown>;
    if (isMissing(v) || !isArray || values.length !== n)
      fail('data/image-shape', ctx.path, `${rowLabel(row, ctx.lines)}: the image has ${isArray ? values.length : 'no array of'} values; shape [${s.shape.join(', ')}] needs ${n}`, 'give the image as a flat array in height, width, channel order');
    if (v instanceof Float32Array && s.scale === 1) return void out.set(v, offset);
    for (let p = 0; p < n; p++) {
      const x = values[p];
      if (typeof x !== 'number' || !Number.isFinite(x)) fail('data/not-a-number', ctx.path, `${rowLabel(row, ctx.lines)}: pixel ${p} of the image is ${JSON.stringify(x)}`, 'pixels must be numbers');
      out[offset + p] = s.scale === 1 ? x : x / s.scale;
    }
  },
};
