import { describe, expect, it } from 'vitest';
import { formatPath, parsePath } from './path.ts';
import { didYouMean } from './suggest.ts';

describe('spec paths', () => {
  it('round-trips dotted paths with indexes', () => {
    for (const p of ['train.optimizer.learningRate', 'model.layers[1].units', 'data.features[0].name', 'seed']) expect(formatPath(parsePath(p)!)).toBe(p);
    expect(parsePath('model.layers[1].units')).toEqual(['model', 'layers', 1, 'units']);
  });
  it('rejects malformed paths', () => {
    for (const p of ['', 'a..b', '.a', 'a.', '[0]', 'a[x]', 'a b']) expect(parsePath(p), p).toBeUndefined();
  });
});

describe('didYouMean', () => {
  it('suggests close words only', () => {
    expect(didYouMean('lerningRate', ['learningRate', 'epochs'])).toBe('learningRate');
    expect(didYouMean('Relu', ['relu', 'elu'])).toBe('relu');
    expect(didYouMean('bayes', ['tpe', 'grid', 'random'])).toBeUndefined();
  });
});
