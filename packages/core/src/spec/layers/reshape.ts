/** Layers that only rearrange their input's values: flatten and reshape. */
import { Type } from '@sinclair/typebox';
import { int } from '../fields.ts';
import { defineLayer, layer, noParams, vec } from './define.ts';

/** The number of values in a shape, or null when the data decides a dim. */
function knownSize(dims: (number | null)[]): number | null {
  const known = dims.filter((d): d is number => d !== null);
  return known.length === dims.length ? known.reduce((a, b) => a * b, 1) : null;
}

export const flatten = defineLayer({
  schema: layer('flatten', 'Flatten everything but the batch into one vector.', {}),
  shape: (input) => vec(knownSize(input.dims)),
  params: noParams,
});

export const reshape = defineLayer({
  schema: layer('reshape', 'Reshape to a target shape (excluding the batch).', {
    targetShape: Type.Array(int('Dimension size.', { minimum: 1 }), { description: 'The new shape.', minItems: 1 }),
  }),
  shape: (input, l) => {
    const size = knownSize(input.dims);
    const target = l.targetShape.reduce((a, b) => a * b, 1);
    return size !== null && size !== target ? `reshape to [${l.targetShape.join(', ')}] (${target} values) does not fit an input of ${size} values` : { dims: [...l.targetShape], ids: false };
  },
  params: noParams,
});
