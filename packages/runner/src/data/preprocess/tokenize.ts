import { isMissing } from '../table.ts';

/** How text becomes tokens. */
export interface TokenizerOptions {
  lowercase: boolean;
  tokenizer: 'words' | 'chars';
}

/**
 * Tokens of a value, at most `limit` from the start. words = runs of [a-z0-9] after lowercasing, every other
 * character a separator (the reference's bench_data.tokenize); without lowercasing, runs of [A-Za-z0-9].
 * chars = one token per code point.
 */
export function tokenize(v: unknown, o: TokenizerOptions, limit = Infinity): string[] {
  if (isMissing(v)) return [];
  let text = String(v);
  if (o.lowercase) text = text.toLowerCase();
  const out: string[] = [];
  if (o.tokenizer === 'chars') {
    for (const ch of text) {
      if (out.length >= limit) break;
      out.push(ch);
    }
    return out;
  }
  const re = o.lowercase ? /[a-z0-9]+/g : /[A-Za-z0-9]+/g;
  if (limit === Infinity) return text.match(re) ?? [];
  for (let m = re.exec(text); m !== null && out.length < limit; m = re.exec(text)) out.push(m[0]);
  return out;
}
