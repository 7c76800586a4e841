/** Seeds derived from the pipeline seed, so every random choice in a run is reproducible. */
import { mulberry32 } from '../data/rng.ts';

/** A 31-bit seed from the pipeline seed and labels (FNV-1a), e.g. deriveSeed(42, 'layer', 3, 'kernel'). */
export function deriveSeed(base: number, ...labels: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of `${base}|${labels.join('|')}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff || 1; // tfjs treats seed 0 as "unseeded"
}

/** A seeded uniform [0, 1) stream: the same mulberry32 the data split uses. */
export const createRandom = mulberry32;

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
