/** Seed derivation: every seed in a run or sweep comes from the pipeline (or sweep) seed through these hashes. */

/** A 31-bit seed from the pipeline seed and labels (FNV-1a), e.g. deriveSeed(42, 'layer', 3, 'kernel'). */
export function deriveSeed(base: number, ...labels: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const ch of `${base}|${labels.join('|')}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff || 1; // tfjs treats seed 0 as "unseeded"
}

/** murmur3's 32-bit finaliser: spreads nearby integers (trial numbers, counters) over all 32 bits. */
export function fmix32(n: number): number {
  let h = n >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The seed of trial `number` of a sweep seeded with `seed`, so each trial's draws do not depend on the others. */
export function trialSeed(seed: number, number: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(number + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}
