import { describe, expect, it } from 'vitest';
import { encodeTarget, fitTarget, unscaleTarget, unscaleTargets } from './target.ts';
import { ids, kilnErrorOf } from './test-support.ts';

const ctx = { path: 'data.target.name' };

describe('target', () => {
  it('sorts classes (numerically when numbers) and encodes indices', () => {
    const t = fitTarget({ name: 'y', type: 'multiclass' }, ['10', '2', '1', '2'], ids(4), ctx);
    expect(t.classes).toEqual(['1', '2', '10']);
    expect(encodeTarget(t, 10, 0, ctx)).toBe(2);
    expect(fitTarget({ name: 'y', type: 'multiclass' }, ['Gentoo', 'Adelie', 'Chinstrap'], ids(3), ctx).classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  });

  it('puts the positive class second for binary targets', () => {
    expect(fitTarget({ name: 'y', type: 'binary' }, [1, 0, 1], ids(3), ctx).classes).toEqual(['0', '1']);
    expect(fitTarget({ name: 'y', type: 'binary', positive: 'ham' }, ['spam', 'ham'], ids(2), ctx).classes).toEqual(['spam', 'ham']);
    expect(kilnErrorOf(() => fitTarget({ name: 'y', type: 'binary', positive: 'hma' }, ['spam', 'ham'], ids(2), ctx)).hint).toContain('did you mean "ham"');
  });

  it('rejects one class, three binary classes, unseen and missing labels', () => {
    expect(kilnErrorOf(() => fitTarget({ name: 'y', type: 'multiclass' }, ['a', 'a'], ids(2), ctx)).code).toBe('data/one-class');
    expect(kilnErrorOf(() => fitTarget({ name: 'y', type: 'binary' }, ['a', 'b', 'c'], ids(3), ctx)).code).toBe('data/binary-classes');
    const t = fitTarget({ name: 'y', type: 'binary' }, ['a', 'b'], ids(2), ctx);
    expect(kilnErrorOf(() => encodeTarget(t, 'c', 5, ctx)).message).toContain('row 5');
    // With a time-ordered split a class can first appear after the train rows: the hint gives a filter that keeps the train classes.
    expect(kilnErrorOf(() => encodeTarget(t, 'c', 5, ctx)).hint).toContain('data.filter: { column: "y", in: ["a", "b"] }');
    expect(kilnErrorOf(() => fitTarget({ name: 'y', type: 'binary' }, ['a', null, 'b'], ids(3), ctx)).code).toBe('data/missing-target');
  });

  it('reads regression values as numbers', () => {
    const t = fitTarget({ name: 'mpg', type: 'regression' }, ['18', 15], ids(2), ctx);
    expect(t.classes).toBeUndefined();
    expect(encodeTarget(t, '17.5', 0, ctx)).toBe(17.5);
    expect(kilnErrorOf(() => encodeTarget(t, 'twelve', 3, ctx)).code).toBe('data/not-a-number');
  });
});

describe('target scaling', () => {
  const values = ['10', 20, '30', 40];

  it('standard: fitted on the train values (population std), encoded as z-scores, inverted exactly', () => {
    const t = fitTarget({ name: 'y', type: 'regression', scale: 'standard' }, values, ids(4), ctx);
    const std = Math.sqrt(125);
    expect(t.scale).toEqual({ kind: 'standard', mean: 25, std });
    expect(encodeTarget(t, '40', 0, ctx)).toBeCloseTo(15 / std, 12);
    expect(unscaleTarget(t.scale, encodeTarget(t, 12.5, 0, ctx))).toBeCloseTo(12.5, 12);
    expect(Array.from(unscaleTargets(t.scale, Float32Array.from([0, 1])))).toEqual([25, Math.fround(25 + std)].map((v) => expect.closeTo(v, 4)));
  });

  it('log: log1p then standardized; values at or below -1 are a located error naming the row', () => {
    const t = fitTarget({ name: 'price', type: 'regression', scale: 'log' }, [0, Math.E - 1, Math.E ** 2 - 1], ids(3), ctx);
    expect(t.scale?.kind).toBe('log');
    expect(t.scale?.mean).toBeCloseTo(1, 12);
    expect(encodeTarget(t, Math.E ** 2 - 1, 0, ctx)).toBeCloseTo(1 / (t.scale?.std ?? 0), 12);
    expect(unscaleTarget(t.scale, encodeTarget(t, 99, 0, ctx))).toBeCloseTo(99, 9);
    const err = kilnErrorOf(() => fitTarget({ name: 'price', type: 'regression', scale: 'log' }, [3, -1], Int32Array.from([7, 8]), { path: 'data.target.name', lines: Int32Array.from([0, 0, 0, 0, 0, 0, 0, 9, 10]) }));
    expect([err.code, err.path]).toEqual(['data/log-target', 'data.target.name']);
    expect(err.message).toContain('line 10');
    expect(kilnErrorOf(() => encodeTarget(t, -2, 4, ctx)).code).toBe('data/log-target');
  });

  it('none (and a spec without scale, as in states saved before scaling) keeps the raw values; a constant target keeps std 1', () => {
    const t = fitTarget({ name: 'y', type: 'regression', scale: 'none' }, values, ids(4), ctx);
    expect(t.scale).toBeUndefined();
    expect(encodeTarget(t, 40, 0, ctx)).toBe(40);
    expect(unscaleTarget(undefined, 3)).toBe(3);
    expect(fitTarget({ name: 'y', type: 'regression', scale: 'standard' }, [5, 5], ids(2), ctx).scale).toEqual({ kind: 'standard', mean: 5, std: 1 });
  });

  it('counts the train rows of each class, in class order', () => {
    expect(fitTarget({ name: 'w', type: 'multiclass' }, ['sun', 'rain', 'sun', 'fog', 'sun'], ids(5), ctx).counts).toEqual([1, 1, 3]);
    expect(fitTarget({ name: 'y', type: 'binary', positive: 'ham' }, ['spam', 'ham', 'ham'], ids(3), ctx).counts).toEqual([1, 2]);
  });
});
