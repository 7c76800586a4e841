import { describe, expect, it } from 'vitest';
import type { FeatureSpec } from '@kiln/core';
import { dateParser, formatParser, instantOf, parseIso } from './date-parse.ts';
import { date } from './date.ts';
import { ctx, ids, kilnErrorOf } from './test-support.ts';

type DateSpec = Extract<FeatureSpec, { type: 'date' }>;
const spec = (over: Partial<DateSpec> = {}): DateSpec => ({ name: 'when', type: 'date', encodings: ['elapsed', 'month', 'dayOfWeek'], missing: 'error', ...over });
const utc = (s: string) => {
  const p = parseIso(s);
  if (!p) throw new Error(`test date ${s} does not parse`);
  return instantOf(p);
};

/** Encodes each value with a state fitted on `train`, one row of numbers per value. */
function encode(s: DateSpec, train: unknown[], values: unknown[]): number[][] {
  const state = date.fit(s, train, ids(train.length), ctx);
  const [width = 0] = date.shape(state);
  return values.map((v, row) => {
    const out = new Float32Array(width);
    date.encode(state, v, out, 0, row, ctx);
    return [...out];
  });
}

describe('date parsing', () => {
  it('reads ISO 8601 dates and date-times, with and without a zone, as the same instant everywhere', () => {
    expect(utc('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
    expect(utc('2024-03-01T14:30')).toBe(Date.UTC(2024, 2, 1, 14, 30));
    expect(utc('2024-03-01 14:30:05.250')).toBe(Date.UTC(2024, 2, 1, 14, 30, 5, 250));
    expect(utc('2024-03-01T14:30:00Z')).toBe(Date.UTC(2024, 2, 1, 14, 30));
    expect(utc('2024-03-01T14:30:00+02:00')).toBe(Date.UTC(2024, 2, 1, 12, 30));
    expect(utc('2024-03-01T14:30:00-0530')).toBe(Date.UTC(2024, 2, 1, 20, 0));
    // the wall-clock hour stays as written: calendar parts are local to the value's zone
    expect(parseIso('2024-03-01T14:30:00+02:00')?.hour).toBe(14);
  });

  it('refuses impossible dates and text that is not ISO', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-01-01T24:00', '01/02/2024', '2024-1-1', 'yesterday', '2024-03-01T10:00+25:00']) expect(parseIso(bad), bad).toBeUndefined();
    expect(parseIso('2024-02-29')?.day).toBe(29);
  });

  it('reads an explicit format: numeric parts, month names, 12-hour clocks, zones and literals', () => {
    const at = (format: string, text: string) => {
      const p = formatParser(format)(text);
      return p ? instantOf(p) : undefined;
    };
    expect(at('DD/MM/YYYY', '31/12/1999')).toBe(Date.UTC(1999, 11, 31));
    expect(at('D.M.YY', '5.7.21')).toBe(Date.UTC(2021, 6, 5));
    expect(at('D.M.YY', '5.7.85')).toBe(Date.UTC(1985, 6, 5));
    expect(at('MMM D YYYY', 'Jan 1 2000')).toBe(Date.UTC(2000, 0, 1));
    expect(at('MMMM D, YYYY', 'february 3, 2010')).toBe(Date.UTC(2010, 1, 3));
    expect(at('MM/DD/YYYY hh:mm A', '07/04/2021 12:15 AM')).toBe(Date.UTC(2021, 6, 4, 0, 15));
    expect(at('MM/DD/YYYY hh:mm A', '07/04/2021 01:15 pm')).toBe(Date.UTC(2021, 6, 4, 13, 15));
    expect(at('YYYYMMDD[T]HHmmss Z', '20210704T101500 +0100')).toBe(Date.UTC(2021, 6, 4, 9, 15));
    expect(at('YYYY-MM-DD HH:mm:ss.SSS', '2021-07-04 10:15:00.5')).toBe(Date.UTC(2021, 6, 4, 10, 15, 0, 500));
    for (const [format, text] of [['DD/MM/YYYY', '2021-07-04'], ['MMM D YYYY', 'Foo 1 2000'], ['DD/MM/YYYY', '30/02/2020'], ['hh:mm A', '13:00 PM']] as const) expect(at(format, text), `${format} ${text}`).toBeUndefined();
  });

  it('uses ISO when no format is given', () => {
    expect(dateParser(undefined)('2020-01-02')?.day).toBe(2);
    expect(dateParser('DD-MM-YYYY')('2020-01-02')).toBeUndefined();
  });
});

describe('date feature', () => {
  it('scales elapsed time by the train range and puts calendar parts on circles', () => {
    const s = spec({ encodings: ['elapsed', 'month', 'dayOfWeek', 'dayOfYear', 'hour'] });
    expect(date.shape(date.fit(s, ['2020-01-01'], ids(1), ctx))).toEqual([9]);
    // 2020-01-01 is a Wednesday; 2020-07-01 is 182 days later (a leap year: day 182 of 366)
    const [jan, jul, later] = encode(s, ['2020-01-01T00:00', '2020-07-01T18:00'], ['2020-01-01T00:00', '2020-07-01T18:00', '2021-01-06T06:00']);
    const turn = (f: number) => [Math.sin(2 * Math.PI * f), Math.cos(2 * Math.PI * f)];
    const close = (got: number[] | undefined, want: number[]) => {
      expect(got?.length).toBe(want.length);
      want.forEach((w, k) => expect(got?.[k]).toBeCloseTo(w, 5));
    };
    close(jan, [0, ...turn(0), ...turn(2 / 7), ...turn(0), ...turn(0)]);
    close(jul, [1, ...turn(6 / 12), ...turn(2 / 7), ...turn(182 / 366), ...turn(18 / 24)]);
    const range = Date.UTC(2020, 6, 1, 18) - Date.UTC(2020, 0, 1);
    // beyond the train range elapsed goes above 1: the model sees that the future is later than anything it trained on
    close(later, [(Date.UTC(2021, 0, 6, 6) - Date.UTC(2020, 0, 1)) / range, ...turn(0), ...turn(2 / 7), ...turn(5 / 365), ...turn(6 / 24)]);
  });

  it('puts December next to January', () => {
    const [dec, jan, jun] = encode(spec({ encodings: ['month'] }), ['2020-01-01'], ['2020-12-15', '2020-01-15', '2020-06-15']);
    const dist = (a: number[] = [], b: number[] = []) => Math.hypot((a[0] ?? 0) - (b[0] ?? 0), (a[1] ?? 0) - (b[1] ?? 0));
    expect(dist(dec, jan)).toBeLessThan(dist(jan, jun) / 3);
  });

  it('names the row and the format when a value does not parse', () => {
    const e = kilnErrorOf(() => date.fit(spec(), ['2020-01-01', '03/01/2020'], ids(2), { ...ctx, lines: Int32Array.from([2, 3]) }));
    expect(e.code).toBe('data/bad-date');
    expect(e.path).toBe('data.features[0]');
    expect(e.message).toContain('row 1 (line 3)');
    expect(e.message).toContain('"03/01/2020"');
    expect(e.message).toContain('ISO 8601');
    expect(e.hint).toContain('format');
    const custom = kilnErrorOf(() => date.fit(spec({ format: 'DD/MM/YYYY' }), ['2020-01-01'], ids(1), ctx));
    expect(custom.message).toContain('format "DD/MM/YYYY"');
  });

  it('follows the missing-value rules: markers, mean fill, drop and error', () => {
    const train = ['2020-01-01', 'NA', '2020-01-03'];
    expect(kilnErrorOf(() => date.fit(spec(), train, ids(3), ctx)).code).toBe('data/missing-value');
    const filled = encode(spec({ missing: 'mean' }), train, ['?', '']);
    expect(filled).toEqual([
      [0.5, 0, 0, 0, 0],
      [0.5, 0, 0, 0, 0],
    ]);
    const dropper = date.fit(spec({ missing: 'drop' }), train, ids(3), ctx);
    expect(date.drops?.(dropper, 'N/A')).toBe(true);
    expect(date.drops?.(dropper, '2020-01-02')).toBe(false);
    // a feature's own list replaces the default markers
    const own = spec({ missing: 'drop', missingValues: ['unknown'] });
    expect(date.drops?.(date.fit(own, ['2020-01-01', 'unknown'], ids(2), ctx), 'unknown')).toBe(true);
    expect(kilnErrorOf(() => date.fit(own, ['2020-01-01', 'NA'], ids(2), ctx)).code).toBe('data/bad-date');
  });
});
