import { describe, expect, it } from 'vitest';
import { category, OOV } from './category.ts';
import { ctx, ids } from './test-support.ts';

const spec = (encoding: 'oneHot' | 'index', maxCategories?: number) => ({ name: 'c', type: 'category' as const, encoding, ...(maxCategories ? { maxCategories } : {}) });
const encode = (s: ReturnType<typeof category.fit>, v: unknown) => {
  const out = s.encoding === 'index' ? new Int32Array(1) : new Float32Array(category.shape(s)[0] ?? 0);
  category.encode(s, v, out, 0, 0, ctx);
  return [...out];
};

describe('category feature', () => {
  it('fits a sorted list on train values after the OOV slot; one-hot has no OOV column', () => {
    const s = category.fit(spec('oneHot'), ['Dream', 'Biscoe', 'Torgersen', 'Dream', ''], ids(5), ctx);
    expect(s.categories).toEqual([OOV, 'Biscoe', 'Dream', 'Torgersen']);
    expect(category.shape(s)).toEqual([3]);
    expect(encode(s, 'Dream')).toEqual([0, 1, 0]);
    expect(encode(s, 'Unseen')).toEqual([0, 0, 0]);
    expect(encode(s, null)).toEqual([0, 0, 0]);
  });

  it('gives index ids with 0 for unseen values', () => {
    const s = category.fit(spec('index'), ['b', 'a', 'c'], ids(3), ctx);
    expect(category.dtype(s)).toBe('int32');
    expect([encode(s, 'a'), encode(s, 'c'), encode(s, 'zzz')]).toEqual([[1], [3], [0]]);
  });

  it('keeps the maxCategories most frequent values, ties alphabetical', () => {
    const s = category.fit(spec('index', 2), ['z', 'z', 'y', 'x', 'w', 'w'], ids(6), ctx);
    expect(s.categories).toEqual([OOV, 'w', 'z']);
    expect(encode(s, 'y')).toEqual([0]);
  });
});
