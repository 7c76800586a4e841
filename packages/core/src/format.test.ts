import { describe, expect, it } from 'vitest';
import { fmtDuration, fmtNum, fmtTime, fmtValue } from './format.ts';

describe('fmtNum', () => {
  it('keeps whole numbers whole and rounds others to 4 significant digits', () => {
    expect(fmtNum(42)).toBe('42');
    expect(fmtNum(0.123456)).toBe('0.1235');
    expect(fmtNum(12345.678)).toBe('12350');
  });

  it('writes tiny and huge values in the shortest scientific form', () => {
    expect(fmtNum(0.0007)).toBe('7e-4');
    expect(fmtNum(0.00012346)).toBe('1.235e-4');
    expect(fmtNum(2.5e6 + 0.5)).toBe('2.5e+6');
    expect(fmtNum(-0.00000301)).toBe('-3.01e-6');
  });

  it('leaves empty values empty and names non-finite ones', () => {
    expect(fmtNum(null)).toBe('');
    expect(fmtNum(undefined)).toBe('');
    expect(fmtNum(Number.NaN)).toBe('NaN');
    expect(fmtNum(-Infinity)).toBe('-Infinity');
  });
});

describe('other formats', () => {
  it('prints durations, UTC times and values', () => {
    expect(fmtDuration(5200)).toBe('5.2s');
    expect(fmtDuration(184_000)).toBe('3m 04s');
    expect(fmtDuration(3_720_000)).toBe('1h 02m');
    expect(fmtTime(Date.UTC(2026, 10, 30, 18, 5, 9))).toBe('2026-11-30 18:05:09');
    expect(fmtValue({ a: 1 })).toBe('{"a":1}');
    expect(fmtValue(0.0007)).toBe('7e-4');
  });
});
