import { describe, expect, it } from 'vitest';
import { category, OOV } from './category.ts';
import { ctx, ids } from './test-support.ts';

const spec = (encoding: 'oneHot' | 'index', maxCategories?: number) => ({ name: 'c', type: 'category' as const, encoding, ...(maxCategories ? { maxCategories } : {}) });
type Options = { trim?: boolean; lowercase?: boolean; minCount?: number; missingValues?: string[] };
const withOptions = (o: Options) => ({ ...spec('oneHot'), ...o });
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

  it('makes Piemonte, "Piemonte " and piemonte one category with trim and lowercase, and keeps them apart without', () => {
    const values = ['Piemonte', 'Piemonte ', 'piemonte', ' Liguria'];
    expect(category.fit(withOptions({ lowercase: true }), values, ids(4), ctx).categories).toEqual([OOV, 'liguria', 'piemonte']);
    const s = category.fit(withOptions({ lowercase: true }), values, ids(4), ctx);
    expect(encode(s, ' PIEMONTE ')).toEqual([0, 1]);
    expect(category.fit(withOptions({}), values, ids(4), ctx).categories).toEqual([OOV, 'Liguria', 'Piemonte', 'piemonte']);
    expect(category.fit(withOptions({ trim: false }), values, ids(4), ctx).categories).toEqual([OOV, ' Liguria', 'Piemonte', 'Piemonte ', 'piemonte']);
  });

  it('sends values seen fewer than minCount times in train to the OOV bucket', () => {
    const s = category.fit(withOptions({ minCount: 2 }), ['a', 'a', 'b', 'c', 'c', 'c', 'd'], ids(7), ctx);
    expect(s.categories).toEqual([OOV, 'a', 'c']);
    expect(encode(s, 'b')).toEqual([0, 0]);
    // counted after normalising: two spellings of one value reach the count together
    expect(category.fit(withOptions({ minCount: 2, lowercase: true }), ['X', 'x ', 'y'], ids(3), ctx).categories).toEqual([OOV, 'x']);
  });

  it('counts missing markers as missing, not as categories; a feature list replaces them', () => {
    const s = category.fit(withOptions({}), ['red', 'NA', '?', 'N/A', '', null, 'blue'], ids(7), ctx);
    expect(s.categories).toEqual([OOV, 'blue', 'red']);
    expect(encode(s, 'NA')).toEqual([0, 0]);
    const own = category.fit(withOptions({ missingValues: ['none'] }), ['NA', 'None', 'red'], ids(3), ctx);
    expect(own.categories).toEqual([OOV, 'NA', 'red']);
  });

  it('compares values as written for a state saved before trim and lowercase existed', () => {
    const old = { name: 'c', type: 'category' as const, encoding: 'oneHot' as const, categories: [OOV, 'a', 'a '] };
    expect([encode(old, 'a '), encode(old, 'a')]).toEqual([[0, 1], [1, 0]]);
  });
});
