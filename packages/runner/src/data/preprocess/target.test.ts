import { describe, expect, it } from 'vitest';
import { encodeTarget, fitTarget } from './target.ts';
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
    expect(kilnErrorOf(() => fitTarget({ name: 'y', type: 'binary' }, ['a', null, 'b'], ids(3), ctx)).code).toBe('data/missing-target');
  });

  it('reads regression values as numbers', () => {
    const t = fitTarget({ name: 'mpg', type: 'regression' }, ['18', 15], ids(2), ctx);
    expect(t.classes).toBeUndefined();
    expect(encodeTarget(t, '17.5', 0, ctx)).toBe(17.5);
    expect(kilnErrorOf(() => encodeTarget(t, 'n/a', 3, ctx)).code).toBe('data/not-a-number');
  });
});
