import { describe, expect, it } from 'vitest';
import { KilnFailure } from '@kiln/core';
import { parseDecimal, toNumber } from './number.ts';

const ctx = { path: 'data.features[0]', lines: Int32Array.from([2, 3]) };

describe('parseDecimal', () => {
  it('reads decimal numbers, signs, fractions and exponents, ignoring spaces around them', () => {
    expect(['1', '-1.5', '+2', '.5', '5.', '2e-3', '1E+3', ' 1 ', '0010'].map(parseDecimal)).toEqual([1, -1.5, 2, 0.5, 5, 0.002, 1000, 1, 10]);
  });

  it('refuses what Number() would take but a data file does not mean as a number', () => {
    for (const s of ['0x10', '0o17', '0b11', 'Infinity', '-Infinity', 'NaN', '1e999', '', ' ', '1_000', '1,5', '--1', 'e3', '1e']) expect([s, parseDecimal(s)]).toEqual([s, undefined]);
  });
});

describe('toNumber', () => {
  it('passes numbers through and reads missing values (empty, spaces, null, NaN, the markers) as null', () => {
    expect([toNumber(3, 0, ctx), toNumber('4.5', 0, ctx), toNumber('', 0, ctx), toNumber(null, 0, ctx)]).toEqual([3, 4.5, null, null]);
    expect(['  ', 'NA', ' n/a', 'NULL', 'nan', '?', '#N/A', Number.NaN].map((v) => toNumber(v, 0, ctx))).toEqual(Array(8).fill(null));
  });

  it('takes a column\'s own markers instead of the defaults, numbers included', () => {
    const col = { column: 'x', markers: ['-999', 'unknown'] };
    expect([toNumber(-999, 0, ctx, 'numeric', col), toNumber(' Unknown ', 0, ctx, 'numeric', col), toNumber('', 0, ctx, 'numeric', col), toNumber(-998, 0, ctx, 'numeric', col)]).toEqual([null, null, null, -998]);
    expect(() => toNumber('NA', 0, ctx, 'numeric', col)).toThrow(/"NA" in the numeric column "x"/);
  });

  it('names the row, its line and the value of a non-decimal cell', () => {
    const thrown = (v: unknown) => {
      try {
        toNumber(v, 1, ctx);
      } catch (e) {
        return e instanceof KilnFailure ? e.errors[0] : e;
      }
      return undefined;
    };
    expect(thrown('0x10')).toMatchObject({ code: 'data/not-a-number', path: 'data.features[0]', message: 'row 1 (line 3) has "0x10" in the numeric column' });
    expect(thrown('Infinity')).toMatchObject({ code: 'data/not-a-number' });
    expect(thrown(true)).toMatchObject({ message: 'row 1 (line 3) has true in the numeric column' });
  });

  it('says which cells count as missing and how to add one', () => {
    try {
      toNumber('n.a.', 4, { path: 'data.features[1]' }, 'numeric', { column: 'age' });
    } catch (e) {
      const [err] = e instanceof KilnFailure ? e.errors : [];
      expect(err?.message).toBe('row 4 has "n.a." in the numeric column "age"');
      expect(err?.hint).toContain('cells that count as missing here: an empty cell, "NA", "N/A", "null", "NaN", "?", "#N/A"');
      expect(err?.hint).toContain('list it in missingValues on this feature (or data.source.missingValues for every column), e.g. missingValues: ["NA", "N/A", "null", "NaN", "?", "#N/A", "n.a."]');
      return;
    }
    throw new Error('expected a KilnFailure');
  });
});
