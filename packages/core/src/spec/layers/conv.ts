/** Convolutions over sequences and images. */
import { Type } from '@sinclair/typebox';
import { int } from '../fields.ts';
import { activation, defineLayer, dim, lastDim, layer, needRank, outLen, padding, pair, weighted, window1d, window2d } from './define.ts';

export const conv1d = defineLayer({
  schema: layer('conv1d', '1-D convolution over a sequence.', {
    filters: int('Number of output channels.', { minimum: 1 }),
    kernelSize: window1d('Width of the convolution window.'),
    strides: int('Step of the window.', { minimum: 1, default: 1 }),
    padding,
    activation: activation('linear'),
    ...weighted,
  }),
  shape: (input, l) => needRank(input, 2, 'conv1d') ?? { dims: [outLen(dim(input, 0), l.kernelSize, l.strides, l.padding), l.filters], ids: false },
  params: (input, l) => Number(l.kernelSize) * lastDim(input) * l.filters + l.filters,
});

export const conv2d = defineLayer({
  schema: layer('conv2d', '2-D convolution over an image.', {
    filters: int('Number of output channels.', { minimum: 1 }),
    kernelSize: window2d(),
    strides: Type.Union([int('Step in both directions.', { minimum: 1 }), Type.Array(int('Step.', { minimum: 1 }), { minItems: 2, maxItems: 2 })], { description: 'Step of the window.', default: 1 }),
    padding,
    activation: activation('linear'),
    ...weighted,
  }),
  shape: (input, l) => {
    const bad = needRank(input, 3, 'conv2d');
    if (bad) return bad;
    const [kh, kw] = pair(l.kernelSize as number | number[]);
    const [sh, sw] = pair(l.strides as number | number[]);
    const dims = [outLen(dim(input, 0), kh, sh, l.padding), outLen(dim(input, 1), kw, sw, l.padding), l.filters];
    return dims.some((d) => d !== null && d < 1) ? `conv2d kernel is larger than its input [${input.dims.join(', ')}]` : { dims, ids: false };
  },
  params: (input, l) => {
    const [kh, kw] = pair(l.kernelSize as number | number[]);
    return kh * kw * lastDim(input) * l.filters + l.filters;
  },
});
