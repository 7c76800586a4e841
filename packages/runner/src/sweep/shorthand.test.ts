import { describe, expect, it } from 'vitest';
import { cartesian, commaGridFromOverrides, splitTopLevel } from './shorthand.ts';

describe('commaGridFromOverrides', () => {
  it('turns top-level commas into grid axes and keeps plain overrides', () => {
    expect(commaGridFromOverrides(['train.optimizer.learningRate=0.1,0.01', 'model.layers[0].units=32,64', 'train.epochs=5'])).toEqual({
      grid: { 'train.optimizer.learningRate': [0.1, 0.01], 'model.layers[0].units': [32, 64] },
      rest: ['train.epochs=5'],
    });
  });

  it('keeps commas inside lists, mappings and quotes as part of one value', () => {
    expect(commaGridFromOverrides(['train.metrics=[accuracy, f1]', 'name="a,b"'])).toBeNull();
    expect(commaGridFromOverrides(['train.metrics=[accuracy],[accuracy, f1]'])?.grid).toEqual({ 'train.metrics': [['accuracy'], ['accuracy', 'f1']] });
    expect(splitTopLevel(`'x,y',{a: 1, b: 2},"q\\",r"`)).toEqual([`'x,y'`, '{a: 1, b: 2}', '"q\\",r"']);
  });

  it('is null without any grid, and leaves an empty piece (a typo) to the ordinary override check', () => {
    expect(commaGridFromOverrides(['train.epochs=5'])).toBeNull();
    expect(commaGridFromOverrides(['train.epochs=5,'])).toBeNull();
  });

  it('types values as --set does (YAML): numbers, booleans, strings', () => {
    expect(commaGridFromOverrides(['x=1e-3,true,adam'])?.grid.x).toEqual([0.001, true, 'adam']);
  });
});

describe('cartesian', () => {
  it('enumerates every combination, first axis slowest, without duplicates', () => {
    expect(cartesian({ a: [1, 2, 1], b: [[1], [1]] })).toEqual([
      { a: 1, b: [1] },
      { a: 2, b: [1] },
    ]);
  });
});
