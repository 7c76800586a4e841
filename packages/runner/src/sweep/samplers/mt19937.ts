import type { Rng } from '../../random/rng.ts';

const N = 624;
const M = 397;

/**
 * Mersenne Twister with numpy's legacy `RandomState(seed)` seeding and `random_sample()` doubles, so a
 * study can be driven by the exact random stream Optuna uses (for side-by-side checks against it).
 */
export function createNumpyRng(seed: number): Rng {
  const mt = new Uint32Array(N);
  mt[0] = seed >>> 0;
  for (let i = 1; i < N; i++) {
    const last = mt[i - 1] ?? 0;
    const prev = last ^ (last >>> 30);
    // 1812433253 * prev overflows 2^53, so multiply in 16-bit halves.
    mt[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
  }
  let index = N;
  const twist = () => {
    for (let k = 0; k < N; k++) {
      // Every index is taken mod N, inside the state array.
      const y = ((mt[k] ?? 0) & 0x80000000) | ((mt[(k + 1) % N] ?? 0) & 0x7fffffff);
      mt[k] = (mt[(k + M) % N] ?? 0) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    index = 0;
  };
  const u32 = () => {
    if (index >= N) twist();
    let y = mt[index++] ?? 0;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
  return { next: () => ((u32() >>> 5) * 67108864 + (u32() >>> 6)) / 9007199254740992 };
}
