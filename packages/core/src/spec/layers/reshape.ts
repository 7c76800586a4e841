/** Layers that only rearrange their input's values: flatten and reshape. */
import { Type } from '@sinclair/typebox';
import { int } from '../fields.ts';
import { defineLayer, layer, noParams, vec } from './define.ts';

export const flatten = defineLayer({
  schema: layer('flatten', 'Flatten everything but the batch into one vector.', {}),
  shape: (input) => vec(input.dims.some((d) => d === null) ? null : input.dims.reduce<number>((a, b) => a * b!, 1)),
  params: noParams,
});

export const reshape = defineLayer({
  schema: layer('reshape', 'Reshape to a target shape (excluding the batch).', {
    targetShape: Type.Array(int('Dimension size.', { minimum: 1 }), { description: 'The new shape.', minItems: 1 }),
  }),
  shape: (input, l) => {
    const size = input.dims.every((d) => d !== null) ? input.dims.reduce<number>((a, b) => a * b!, 1) : null;
    const target = l.targetShape.reduce((a, b) => a * b, 1);
    return size !== null && size !== target ? `reshape to [${l.targetShape.join(', ')}] (${target} values) does not fit an input of ${size} values` : { dims: [...l.targetShape], ids: false };
  },
  params: noParams,
});
