/** Strict UTF-8 decoding: invalid bytes are an error at their offset, never a silent U+FFFD. */

/** Where the first invalid byte sits: 0-based byte offset, 1-based line and column (in characters). */
export interface BadByte {
  offset: number;
  byte: number;
  line: number;
  col: number;
}

const strict = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 text (a leading BOM is dropped), or says where the first byte that is not UTF-8 is. */
export function decodeUtf8(bytes: Uint8Array): { text: string } | { bad: BadByte } {
  try {
    return { text: strict.decode(bytes) };
  } catch {
    const offset = firstInvalid(bytes);
    const lineStart = bytes.lastIndexOf(10, offset - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (bytes[i] === 10) line++;
    const col = strict.decode(bytes.subarray(lineStart, offset)).length + 1;
    return { bad: { offset, byte: bytes[offset] ?? 0, line, col } };
  }
}

/** The offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalid(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    // i < b.length: ?? 0 never applies.
    const c = b[i] ?? 0;
    if (c < 0x80) {
      i++;
      continue;
    }
    // Length and the allowed range of the second byte (excludes overlongs, surrogates and > U+10FFFF).
    const [n, lo, hi] = c >= 0xc2 && c <= 0xdf ? [2, 0x80, 0xbf] : c === 0xe0 ? [3, 0xa0, 0xbf] : c === 0xed ? [3, 0x80, 0x9f] : c >= 0xe1 && c <= 0xef ? [3, 0x80, 0xbf] : c === 0xf0 ? [4, 0x90, 0xbf] : c === 0xf4 ? [4, 0x80, 0x8f] : c >= 0xf1 && c <= 0xf3 ? [4, 0x80, 0xbf] : [0, 0, 0];
    if (n === 0) return i;
    if (i + n > b.length) return i;
    const second = b[i + 1] ?? 0;
    if (second < lo || second > hi) return i;
    for (let k = 2; k < n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += n;
  }
  return b.length;
}

/** One-line description of a bad byte, e.g. `byte 0xff at offset 1234 is not UTF-8`. */
export function describeBadByte(bad: BadByte): string {
  return `byte 0x${bad.byte.toString(16).padStart(2, '0')} at offset ${bad.offset} (line ${bad.line}, column ${bad.col}) is not UTF-8`;
}
