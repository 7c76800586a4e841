import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { instantOf, parseIso, formatParser } from './preprocess/date-parse.ts';
import { kilnErrorOf } from './preprocess/test-support.ts';
import { byColumnFormat, splitByTime } from './split-time.ts';
import { dataPackage } from './builtin/resolve.ts';
import { VEGA } from './builtin/vega.ts';

/** A vega-datasets CSV as rows of cells (these files have no quoted fields). */
function vega(file: string): { header: string[]; rows: string[][] } {
  const [head = '', ...lines] = readFileSync(join(dataPackage(VEGA).dir, 'data', file), 'utf8').trim().split('\n');
  return { header: head.split(','), rows: lines.map((l) => l.split(',')) };
}
const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
const fractions = { val: 0.15, test: 0.15 };

/** The newest instant among rows `a` and the oldest among rows `b`. */
function edges(a: Int32Array, b: Int32Array, t: (i: number) => number): [number, number] {
  return [Math.max(...Array.from(a, t)), Math.min(...Array.from(b, t))];
}

describe('time-ordered split', () => {
  it('puts the oldest rows in train and the newest in test on a real daily series, whatever the file order', () => {
    const { header, rows } = vega('seattle-weather.csv');
    const col = header.indexOf('date');
    // shuffle the file order so only the dates can produce the order the split finds
    const shuffled = rows.map((r, k) => ({ r, k: (k * 7919) % rows.length })).sort((a, b) => a.k - b.k).map((x) => x.r);
    const cell = (i: number) => shuffled[i]?.[col];
    const split = splitByTime(all(shuffled.length), cell, fractions, 'date');
    const t = (i: number) => instantOf(parseIso(String(cell(i))) ?? { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, ms: 0, offset: null });
    expect([split.train.length, split.val.length, split.test.length]).toEqual([1023, 219, 219]);
    const [trainNewest, valOldest] = edges(split.train, split.val, t);
    const [valNewest, testOldest] = edges(split.val, split.test, t);
    expect(trainNewest).toBeLessThan(valOldest);
    expect(valNewest).toBeLessThan(testOldest);
    expect(Math.max(...Array.from(split.train, t))).toBeLessThan(Math.min(...Array.from(split.test, t)));
    // one row a day from 2012-01-01: the test split is the last 219 days, from day 1242 = 2015-05-27
    expect(new Date(Math.min(...Array.from(split.test, t))).toISOString().slice(0, 10)).toBe('2015-05-27');
    // every row exactly once, each split sorted by row number as every split is
    expect([...split.train, ...split.val, ...split.test].sort((a, b) => a - b)).toEqual([...all(shuffled.length)]);
    expect([...split.test]).toEqual([...split.test].sort((a, b) => a - b));
  });

  it('keeps rows with the same date in one split (several stocks share each month)', () => {
    const { header, rows } = vega('stocks.csv');
    const col = header.indexOf('date');
    const cell = (i: number) => rows[i]?.[col];
    const how = { format: 'MMM D YYYY' };
    const split = splitByTime(all(rows.length), cell, fractions, 'date', how);
    const parse = formatParser(how.format);
    const t = (i: number) => {
      const p = parse(String(cell(i)));
      return p ? instantOf(p) : NaN;
    };
    const [trainNewest, valOldest] = edges(split.train, split.val, t);
    const [valNewest, testOldest] = edges(split.val, split.test, t);
    expect(trainNewest).toBeLessThan(valOldest);
    expect(valNewest).toBeLessThan(testOldest);
    expect(split.train.length + split.val.length + split.test.length).toBe(rows.length);
    // the cut moved to a month boundary: the sizes are near the fractions but whole months
    expect(Math.abs(split.test.length - rows.length * 0.15)).toBeLessThanOrEqual(5);
  });

  it('reads the dates with the format of the date feature of the same name', () => {
    expect(byColumnFormat([{ name: 'time', type: 'date', format: 'YYYY/MM/DD HH:mm:ss', encodings: ['hour'], missing: 'drop' }], 'time')).toEqual({ format: 'YYYY/MM/DD HH:mm:ss' });
    expect(byColumnFormat([{ name: 'day', type: 'date', format: 'DD.MM.YYYY', encodings: ['month'], missing: 'error' }], 'time')).toEqual({});
    // markers: the feature's, else the source's
    expect(byColumnFormat([{ name: 'time', type: 'date', encodings: ['hour'], missing: 'drop', missingValues: ['-'] }], 'time', ['NA'])).toEqual({ missingValues: ['-'] });
    expect(byColumnFormat([], 'time', ['unknown'])).toEqual({ missingValues: ['unknown'] });
    const { header, rows } = vega('github.csv');
    const col = header.indexOf('time');
    const split = splitByTime(all(rows.length), (i) => rows[i]?.[col], { val: 0, test: 0.2 }, 'time', { format: 'YYYY/MM/DD HH:mm:ss' });
    expect(split.val.length).toBe(0);
    expect(split.test.length).toBe(Math.round(rows.length * 0.2));
  });

  it('names the row, the column and the format when a date does not parse or is missing', () => {
    const cells = ['2020-01-01', '2020-01-02', '01/03/2020'];
    const e = kilnErrorOf(() => splitByTime(all(3), (i) => cells[i], fractions, 'day', {}, Int32Array.from([2, 3, 4])));
    expect(e.code).toBe('data/bad-date');
    expect(e.path).toBe('data.split.by');
    expect(e.message).toContain('row 2 (line 4)');
    expect(e.message).toContain('ISO 8601');
    const gap = kilnErrorOf(() => splitByTime(all(3), (i) => ['2020-01-01', 'NA', '2020-01-03'][i], fractions, 'day'));
    expect(gap.code).toBe('data/missing-value');
    expect(gap.message).toContain('row 1');
  });
});
