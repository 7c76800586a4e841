import { describe, expect, it } from 'vitest';
import { decodeUtf8, describeBadByte } from './utf8.ts';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

describe('decodeUtf8', () => {
  it('decodes valid UTF-8, dropping a BOM', () => {
    expect(decodeUtf8(bytes([0xef, 0xbb, 0xbf], 'é,x\n'))).toEqual({ text: 'é,x\n' });
  });

  it('names the offset, line and column (in characters) of the first bad byte', () => {
    const r = decodeUtf8(bytes('a: 1\nnamé: ', [0xff], 'x\n'));
    expect(r).toEqual({ bad: { offset: 12, byte: 0xff, line: 2, col: 7 } });
    if ('bad' in r) expect(describeBadByte(r.bad)).toBe('byte 0xff at offset 12 (line 2, column 7) is not UTF-8');
  });

  it('rejects latin-1 text, overlong forms, surrogates and a truncated sequence at their first byte', () => {
    expect(decodeUtf8(bytes('caf', [0xe9], ',1'))).toMatchObject({ bad: { offset: 3 } });
    expect(decodeUtf8(bytes('x', [0xc0, 0xaf]))).toMatchObject({ bad: { offset: 1 } });
    expect(decodeUtf8(bytes('xy', [0xed, 0xa0, 0x80]))).toMatchObject({ bad: { offset: 2 } });
    expect(decodeUtf8(bytes('abc', [0xe2, 0x82]))).toMatchObject({ bad: { offset: 3 } });
  });
});
