/** Seeded text augmentation on token-id rows, in place: token dropout and neighbour swaps (padding, id 0, is left alone). */
import type { TextAugmentSpec } from '@kiln/core';

/** Augments `n` token sequences of `length` ids at `offset` within rows of `rowSize` ids. */
export function augmentTokens(x: Int32Array, n: number, rowSize: number, offset: number, length: number, spec: TextAugmentSpec, random: () => number): void {
  for (let i = 0; i < n; i++) {
    const seq = x.subarray(i * rowSize + offset, i * rowSize + offset + length);
    if (spec.swap > 0) {
      for (let j = 0; j + 1 < length; j++) {
        const [a, b] = [seq[j] ?? 0, seq[j + 1] ?? 0];
        if (a === 0 || b === 0 || random() >= spec.swap) continue;
        seq[j] = b;
        seq[j + 1] = a;
        j++; // a token moves at most one place
      }
    }
    if (spec.tokenDropout > 0) for (let j = 0; j < length; j++) if (seq[j] !== 0 && random() < spec.tokenDropout) seq[j] = 0;
  }
}
