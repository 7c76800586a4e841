import { describe, expect, it } from 'vitest';
import { scanNumberArray } from './number-scan.ts';

const scan = (s: string) => {
  const out: number[] = [];
  scanNumberArray(Buffer.from(s), (v) => out.push(v));
  return out;
};

describe('scanNumberArray', () => {
  it('reads the numbers JSON.parse reads', () => {
    const s = '{ "data": [0,0.2, 0.624,\n1, -3.5, 12, 1e-3, 2.5E2] }';
    expect(scan(s)).toEqual((JSON.parse(s) as { data: number[] }).data);
    expect(scan('[]')).toEqual([]);
  });

  it('throws on text that is not an array of numbers', () => {
    expect(() => scan('{"data": [1, "x"]}')).toThrow(/not a number/);
    expect(() => scan('{"data": [1, 2')).toThrow(/unterminated/);
    expect(() => scan('{}')).toThrow(/no JSON array/);
  });
});
