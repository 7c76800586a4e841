import { describe, expect, it } from 'vitest';
import { text } from './text.ts';
import { ctx, ids } from './test-support.ts';
import { tokenize } from './tokenize.ts';

const spec = (o: Partial<{ vocabSize: number; maxLength: number; padding: 'pre' | 'post'; truncation: 'pre' | 'post'; tokenizer: 'words' | 'chars'; lowercase: boolean }> = {}) => ({
  name: 't', type: 'text' as const, lowercase: true, tokenizer: 'words' as const, vocabSize: 10, maxLength: 4, padding: 'post' as const, truncation: 'post' as const, ...o,
});
const encode = (s: ReturnType<typeof text.fit>, v: unknown) => {
  const out = new Int32Array(s.maxLength);
  text.encode(s, v, out, 0, 0, ctx);
  return [...out];
};

describe('tokenize', () => {
  it('splits lowercased text on everything outside [a-z0-9], as the reference', () => {
    expect(tokenize('Hello, WORLD! café_x2 -- 42', { lowercase: true, tokenizer: 'words' })).toEqual(['hello', 'world', 'caf', 'x2', '42']);
    expect(tokenize('Ab c', { lowercase: false, tokenizer: 'words' })).toEqual(['Ab', 'c']);
    expect(tokenize('aé😀', { lowercase: true, tokenizer: 'chars' })).toEqual(['a', 'é', '😀']);
    expect(tokenize('a b c d', { lowercase: true, tokenizer: 'words' }, 2)).toEqual(['a', 'b']);
    expect(tokenize(null, { lowercase: true, tokenizer: 'words' })).toEqual([]);
  });
});

describe('text feature', () => {
  it('builds the vocabulary from train counts, ties alphabetical, after pad and OOV', () => {
    const s = text.fit(spec({ vocabSize: 5 }), ['b a c', 'a c d', 'a'], ids(3), ctx);
    // counts: a 3, c 2, b 1, d 1 -> the 3 most frequent: a, c, b
    expect(s.vocab.slice(2)).toEqual(['a', 'c', 'b']);
  });

  it('pads and truncates on the chosen sides', () => {
    const s = text.fit(spec(), ['a b c d e f'], ids(1), ctx);
    const [a, b, c, d, e, f] = [2, 3, 4, 5, 6, 7];
    expect(encode(s, 'a b zz')).toEqual([a, b, 1, 0]);
    expect(encode({ ...s, padding: 'pre' }, 'a b')).toEqual([0, 0, a, b]);
    expect(encode(s, 'a b c d e f')).toEqual([a, b, c, d]);
    expect(encode({ ...s, truncation: 'pre' }, 'a b c d e f')).toEqual([c, d, e, f]);
    expect(encode(s, '')).toEqual([0, 0, 0, 0]);
  });
});
