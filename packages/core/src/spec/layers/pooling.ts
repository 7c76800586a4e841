/** Windowed and global pooling over sequences and images. */
import type { Static } from '@sinclair/typebox';
import { opt } from '../fields.ts';
import { defineLayer, dim, layer, needRank, noParams, outLen, padding, pair, vec, window1d, window2d, type Shape } from './define.ts';

const pool1dSchema = <T extends string>(type: T, description: string) => layer(type, description, { poolSize: window1d('Window width.', 2), strides: opt(window1d('Step (defaults to poolSize).')), padding });
const pool2dSchema = <T extends string>(type: T, description: string) => layer(type, description, { poolSize: window2d(2), strides: opt(window2d()), padding });

function pool1d(input: Shape, l: Static<ReturnType<typeof pool1dSchema>>): Shape | string {
  const bad = needRank(input, 2, l.type);
  if (bad) return bad;
  const size = Number(l.poolSize);
  const len = outLen(dim(input, 0), size, l.strides === undefined ? size : Number(l.strides), l.padding);
  return len !== null && len < 1 ? `${l.type} window is larger than its input` : { dims: [len, dim(input, 1)], ids: false };
}

function pool2d(input: Shape, l: Static<ReturnType<typeof pool2dSchema>>): Shape | string {
  const bad = needRank(input, 3, l.type);
  if (bad) return bad;
  const [kh, kw] = pair(l.poolSize as number | number[]);
  const [sh, sw] = l.strides === undefined ? [kh, kw] : pair(l.strides as number | number[]);
  const dims = [outLen(dim(input, 0), kh, sh, l.padding), outLen(dim(input, 1), kw, sw, l.padding), dim(input, 2)];
  return dims.some((d) => d !== null && d < 1) ? `${l.type} window is larger than its input [${input.dims.join(', ')}]` : { dims, ids: false };
}

export const maxPooling1d = defineLayer({ schema: pool1dSchema('maxPooling1d', 'Max over windows of a sequence.'), shape: pool1d, params: noParams });
export const maxPooling2d = defineLayer({ schema: pool2dSchema('maxPooling2d', 'Max over windows of an image.'), shape: pool2d, params: noParams });
export const averagePooling1d = defineLayer({ schema: pool1dSchema('averagePooling1d', 'Mean over windows of a sequence.'), shape: pool1d, params: noParams });
export const averagePooling2d = defineLayer({ schema: pool2dSchema('averagePooling2d', 'Mean over windows of an image.'), shape: pool2d, params: noParams });

export const globalAveragePooling1d = defineLayer({
  schema: layer('globalAveragePooling1d', 'Mean over the whole sequence.', {}),
  shape: (input) => needRank(input, 2, 'globalAveragePooling1d') ?? vec(dim(input, 1)),
  params: noParams,
});
export const globalAveragePooling2d = defineLayer({
  schema: layer('globalAveragePooling2d', 'Mean over the whole image, per channel.', {}),
  shape: (input) => needRank(input, 3, 'globalAveragePooling2d') ?? vec(dim(input, 2)),
  params: noParams,
});
export const globalMaxPooling1d = defineLayer({
  schema: layer('globalMaxPooling1d', 'Max over the whole sequence.', {}),
  shape: (input) => needRank(input, 2, 'globalMaxPooling1d') ?? vec(dim(input, 1)),
  params: noParams,
});
