/**
 * Kiln's seeded random streams, all in one leaf module (it imports nothing of Kiln's):
 * mulberry32 for the data split, shuffles, augmentation and dropout masks; xoshiro128** for the sweep's samplers.
 */
import { must } from '@kiln/core/errors';
import { fmix32 } from './seeds.ts';

/** mulberry32: a tiny, fast, seedable PRNG; returns floats in [0, 1). Same seed, same stream, on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller) from a uniform stream. */
export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Fisher-Yates shuffle in place with the given random source. */
export function shuffleInPlace<T>(a: T[] | Int32Array, rand: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = must(a[i], 'i < length');
    a[i] = must(a[j], 'j <= i');
    a[j] = t;
  }
}

/**
 * Runs fn with Math.random replaced by a seeded stream. tfjs draws dropout masks (including the
 * recurrent layers' dropout) from Math.random when no seed is given; swapping it only for the
 * synchronous span of one training step keeps those masks reproducible without touching other code.
 */
export function withRandom<T>(random: () => number, fn: () => T): T {
  const original = Math.random;
  Math.random = random;
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

/** A source of uniform random numbers in [0, 1). */
export interface Rng {
  next(): number;
}

/** splitmix32: spreads a small seed over well-mixed 32-bit words (used only to seed xoshiro). */
function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    return fmix32(s);
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
  const [a, b, c, d] = [mix(), mix(), mix(), mix()];
  // The all-zero state is a fixed point.
  const u32 = xoshiro128ss((a | b | c | d) === 0 ? 1 : a, b, c, d);
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
  let total = 0;
  const cdf = weights.map((w) => (total += w));
  const u = rng.next() * total;
  // First index whose cumulative weight exceeds u (numpy's searchsorted side='right').
  const i = cdf.findIndex((c) => c > u);
  return i < 0 ? weights.length - 1 : i;
}
