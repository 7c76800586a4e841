/** A source of uniform random numbers in [0, 1). */
export interface Rng {
  next(): number;
}

/** splitmix32: spreads a small seed over well-mixed 32-bit words (used only to seed xoshiro). */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** xoshiro128** (Blackman & Vigna): small, fast, good statistical quality, 2^128 - 1 period. */
function xoshiro128ss(a: number, b: number, c: number, d: number): () => number {
  return () => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A reproducible generator: the same seed always yields the same stream; doubles carry 53 random bits. */
export function createRng(seed: number): Rng {
  const mix = splitmix32(Math.floor(seed) ^ 0x5bd1e995);
  const words = [mix(), mix(), mix(), mix()];
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1; // the all-zero state is a fixed point
  const u32 = xoshiro128ss(words[0], words[1], words[2], words[3]);
  return {
    next: () => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992,
  };
}

/** A uniform integer in [0, n). */
export function randInt(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(rng.next() * n));
}

/** An index drawn with probability proportional to weights (need not be normalised), as numpy's choice(p=...). */
export function weightedIndex(rng: Rng, weights: readonly number[]): number {
  const cdf: number[] = [];
  let total = 0;
  for (const w of weights) cdf.push((total += w));
  const u = rng.next() * total;
  // First index whose cumulative weight exceeds u (numpy's searchsorted side='right').
  for (let i = 0; i < cdf.length; i++) if (cdf[i] > u) return i;
  return weights.length - 1;
}
