import { describe, expect, it } from 'vitest';
import { numeric } from './numeric.ts';
import { ctx, ids, kilnErrorOf } from './test-support.ts';

const spec = (o: Partial<{ normalize: 'standardize' | 'minmax' | 'none'; missing: 'mean' | 'drop' | 'error'; missingValues: string[] }> = {}) => ({
  name: 'x',
  type: 'numeric' as const,
  normalize: o.normalize ?? 'standardize',
  missing: o.missing ?? 'error',
  ...(o.missingValues ? { missingValues: o.missingValues } : {}),
});
const enc = (s: ReturnType<typeof numeric.fit>, v: unknown) => {
  const out = new Float32Array(1);
  numeric.encode(s, v, out, 0, 0, ctx);
  return out[0];
};

describe('numeric feature', () => {
  it('standardizes with the train mean and population std (ddof 0)', () => {
    const s = numeric.fit(spec(), ['1', '2', 3, '4'], ids(4), ctx);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(enc(s, '4')).toBeCloseTo(1.5 / Math.sqrt(1.25), 6);
  });

  it('min-max scales, passes through with none, and maps a constant column to 0', () => {
    expect(enc(numeric.fit(spec({ normalize: 'minmax' }), [2, 4, 6], ids(3), ctx), 5)).toBe(0.75);
    expect(enc(numeric.fit(spec({ normalize: 'none' }), [2, 4], ids(2), ctx), 7.5)).toBe(7.5);
    expect(enc(numeric.fit(spec(), [3, 3], ids(2), ctx), 3)).toBe(0);
  });

  it('fills missing values with the train mean, or drops, or fails naming the row', () => {
    const s = numeric.fit(spec({ missing: 'mean', normalize: 'none' }), [1, '', null, 3], ids(4), ctx);
    expect(s.mean).toBe(2);
    expect(enc(s, '')).toBe(2);
    expect(numeric.drops?.(numeric.fit(spec({ missing: 'drop' }), [1, 2], ids(2), ctx), null)).toBe(true);
    const e = kilnErrorOf(() => numeric.fit(spec(), [1, '', 3], Int32Array.from([10, 11, 12]), { path: 'data.features[2]', lines: Int32Array.from({ length: 13 }, (_, i) => i + 2) }));
    expect(e.code).toBe('data/missing-value');
    expect(e.path).toBe('data.features[2]');
    expect(e.message).toContain('row 11 (line 13)');
  });

  it('rejects a non-numeric value with its row, value and column', () => {
    const e = kilnErrorOf(() => numeric.fit(spec(), ['1', 'abc'], ids(2), ctx));
    expect(e.code).toBe('data/not-a-number');
    expect(e.message).toBe('row 1 has "abc" in the numeric column "x"');
  });

  it('fills the default markers (NA, N/A, ?, ...) with the train mean', () => {
    const s = numeric.fit(spec({ missing: 'mean', normalize: 'none' }), ['2', 'NA', ' ? ', 'n/a', '4', 'NaN'], ids(6), ctx);
    expect([s.mean, s.min, s.max]).toEqual([3, 2, 4]);
    expect(s.missingValues).toBeUndefined();
    expect([enc(s, 'null'), enc(s, '#N/A')]).toEqual([3, 3]);
  });

  it('uses its own missingValues instead of the defaults, in fit, encode and drop', () => {
    const s = numeric.fit(spec({ missing: 'mean', normalize: 'none', missingValues: ['-1', 'unknown'] }), [1, -1, 'unknown', '5'], ids(4), ctx);
    expect(s.mean).toBe(3);
    expect(s.missingValues).toEqual(['-1', 'unknown']);
    expect(enc(s, '-1')).toBe(3);
    expect(() => enc(s, 'NA')).toThrow(/"NA" in the numeric column "x"/);
    const d = numeric.fit(spec({ missing: 'drop', missingValues: ['-1'] }), [1, 2], ids(2), ctx);
    expect([numeric.drops?.(d, -1), numeric.drops?.(d, 'NA'), numeric.drops?.(d, '')]).toEqual([true, false, true]);
  });
});
