/** Small, seeded, learnable datasets in the PreparedData shape, for tests and quick checks without the data stage. */
import type { PreparedData, SplitArrays } from '../data/types.ts';
import { mulberry32 } from '../random/rng.ts';

export type SyntheticKind = 'binary' | 'multiclass' | 'regression' | 'text' | 'image';

const split = (x: Float32Array | Int32Array, y: Float32Array | Int32Array, rowSize: number, from: number, to: number): SplitArrays => ({
  n: to - from,
  x: x.slice(from * rowSize, to * rowSize),
  y: y.slice(from, to),
  rows: Int32Array.from({ length: to - from }, (_, i) => from + i),
});

/** Rows whose target depends simply on the inputs, split 60/20/20; `n` rows in all. */
export function syntheticData(kind: SyntheticKind, n = 200, seed = 1): PreparedData {
  const r = mulberry32(seed);
  const shape = kind === 'text' ? [12] : kind === 'image' ? [6, 6, 1] : [4];
  const rowSize = shape.reduce((a, b) => a * b, 1);
  const x = kind === 'text' ? new Int32Array(n * rowSize) : new Float32Array(n * rowSize);
  const y = kind === 'regression' ? new Float32Array(n) : new Int32Array(n);
  const vocab = 20;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < rowSize; j++) {
      const v = kind === 'text' ? 2 + Math.floor(r() * (vocab - 2)) : r() * 2 - 1;
      x[i * rowSize + j] = v;
      s += kind === 'text' ? (v < 11 ? 1 : -1) : v * (j % 2 === 0 ? 1 : -0.5);
    }
    y[i] = kind === 'regression' ? 3 * s + 1 : kind === 'multiclass' ? (s < -0.4 ? 0 : s < 0.4 ? 1 : 2) : s > 0 ? 1 : 0;
  }
  const classes = kind === 'regression' ? undefined : kind === 'multiclass' ? ['a', 'b', 'c'] : ['no', 'yes'];
  const type = kind === 'regression' ? 'regression' : kind === 'multiclass' ? 'multiclass' : 'binary';
  const target = { name: 'label', type, ...(classes ? { classes } : {}) } as const;
  const inputDtype = kind === 'text' ? 'int32' : 'float32';
  const features =
    kind === 'text'
      ? [{ name: 'text', type: 'text' as const, lowercase: true, tokenizer: 'words' as const, maxLength: 12, padding: 'post' as const, truncation: 'post' as const, vocab: Array.from({ length: vocab }, (_, i) => `t${i}`) }]
      : [{ name: 'x', type: 'image' as const, shape, scale: 1 }];
  const [a, b] = [Math.floor(n * 0.6), Math.floor(n * 0.8)];
  return {
    train: split(x, y, rowSize, 0, a),
    val: split(x, y, rowSize, a, b),
    test: split(x, y, rowSize, b, n),
    inputShape: shape,
    inputDtype,
    target,
    state: { version: 1, features, target, inputShape: shape, inputDtype },
    fingerprint: `synthetic-${kind}-${n}-${seed}`,
    cached: false,
  };
}
