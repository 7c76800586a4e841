import { describe, expect, it } from 'vitest';
import { Layer, LAYER_SCHEMAS, LAYER_TYPES } from '../schema/layers.ts';
import { SHAPE_RULES } from '../shapes.ts';
import { LAYERS } from './index.ts';

describe('the layer table', () => {
  it('files every layer under its own type, and the spec union, schemas and shape rules all come from it', () => {
    for (const [type, def] of Object.entries(LAYERS)) {
      expect(def.schema.properties.type.const).toBe(type);
      expect(LAYER_SCHEMAS[type as keyof typeof LAYERS]).toBe(def.schema);
      expect(SHAPE_RULES[type as keyof typeof LAYERS]).toBe(def.shape);
    }
    expect(Layer.anyOf.map((s) => s.properties.type.const)).toEqual(LAYER_TYPES);
    expect(LAYER_TYPES).toEqual(Object.keys(LAYERS));
  });

  it('gives each layer its shape rule: dense flattens to its units, conv2d refuses a sequence', () => {
    expect(LAYERS.dense.shape({ dims: [5], ids: false }, { type: 'dense', units: 3, activation: 'relu', trainable: true, useBias: true })).toEqual({ dims: [3], ids: false });
    expect(LAYERS.conv2d.shape({ dims: [10, 4], ids: false }, { type: 'conv2d', filters: 2, kernelSize: 3, strides: 1, padding: 'valid', activation: 'linear', trainable: true, useBias: true })).toMatch(/conv2d needs an image/);
  });
});
