import { describe, expect, it } from 'vitest';
import { gridPoints, gridSampler, gridSize } from './grid.ts';
import { createRng } from '../../random/rng.ts';
import type { Params, SearchSpace } from './space.ts';
import type { Trial } from './trial.ts';

const space: SearchSpace = {
  'model.layers[1].units': { type: 'values', values: [32, 64, 64, 128] },
  'train.optimizer.learningRate': { type: 'uniform', low: 0.1, high: 0.3, step: 0.1 },
  'train.epochs': { type: 'int', low: 1, high: 9, step: 4 },
  'model.activation': { type: 'values', values: ['relu', 'tanh'] },
};

describe('grid', () => {
  it('enumerates every de-duplicated combination exactly once, first parameter slowest', () => {
    const points = gridPoints(space);
    if (!points.ok) throw new Error('expected a grid');
    expect(points.value).toHaveLength(3 * 3 * 3 * 2);
    expect(gridSize(space)).toEqual({ ok: true, value: 54 });
    expect(new Set(points.value.map((p) => JSON.stringify(p))).size).toBe(54);
    expect(points.value[0]).toEqual({ 'model.layers[1].units': 32, 'train.optimizer.learningRate': 0.1, 'train.epochs': 1, 'model.activation': 'relu' });
    expect(points.value[1]?.['model.activation']).toBe('tanh');
    expect(points.value[53]).toEqual({ 'model.layers[1].units': 128, 'train.optimizer.learningRate': 0.3, 'train.epochs': 9, 'model.activation': 'tanh' });
    expect([...new Set(points.value.map((p) => p['train.optimizer.learningRate']))]).toEqual([0.1, 0.2, 0.3]);
    expect([...new Set(points.value.map((p) => p['train.epochs']))]).toEqual([1, 5, 9]);
  });

  it('keeps a step grid inside high and covers intLog and booleans', () => {
    const g = gridPoints({ a: { type: 'uniform', low: 0, high: 1, step: 0.3 }, b: { type: 'intLog', low: 1, high: 4 }, c: { type: 'values', values: [true, false, true] } });
    if (!g.ok) throw new Error('expected a grid');
    expect([...new Set(g.value.map((p) => p.a))]).toEqual([0, 0.3, 0.6, 0.9]);
    expect([...new Set(g.value.map((p) => p.b))]).toEqual([1, 2, 3, 4]);
    expect(g.value).toHaveLength(4 * 4 * 2);
  });

  it('rejects continuous parameters without a step as KilnError values naming each', () => {
    const bad: SearchSpace = { lr: { type: 'logUniform', low: 1e-4, high: 1e-1 }, x: { type: 'uniform', low: 0, high: 1 }, ok: { type: 'int', low: 0, high: 2 } };
    const r = gridSize(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.path])).toEqual([['sweep/grid-continuous', 'lr'], ['sweep/grid-continuous', 'x']]);
    expect(gridSampler().validate(bad)).toHaveLength(2);
    expect(() => gridSampler().suggest(bad, [], createRng(0))).toThrow(/continuous 'lr'/);
  });

  it('suggests each point once in order, skipping points in the history, then null', () => {
    const s = gridSampler();
    const small: SearchSpace = { a: { type: 'values', values: [1, 2] }, b: { type: 'values', values: ['x', 'y'] } };
    const history: Trial[] = [{ params: { a: 1, b: 'y' }, state: 'running' }];
    const seen: Params[] = [];
    for (;;) {
      const p = s.suggest(small, history, createRng(0));
      if (p === null) break;
      seen.push(p);
      history.push({ params: p, state: 'complete', value: 0 });
    }
    expect(seen).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }]);
  });
});
