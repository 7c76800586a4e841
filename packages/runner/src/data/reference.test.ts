import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareData } from './prepare.ts';
import type { SplitIndices } from './split.ts';
import { pipelineWith } from './test-support.ts';

// The PyTorch reference kit lives outside the repository; these tests compare against its prepared arrays.
// The reference kit lives in shared/, beside the repository (as in CI and every checkout here).
const REF = fileURLToPath(new URL('../../../../../shared/bench/reference/data', import.meta.url));
const opts = (name: string): { baseDir: string; cache: false; indices: SplitIndices } => {
  const s = (JSON.parse(readFileSync(join(REF, 'splits.json'), 'utf8')) as { datasets: Record<string, Record<'train' | 'val' | 'test', number[]>> }).datasets[name];
  if (s === undefined) throw new Error(`the reference kit has no splits for ${name}`);
  return { baseDir: '/tmp', cache: false, indices: { train: Int32Array.from(s.train), val: Int32Array.from(s.val), test: Int32Array.from(s.test) } };
};
const columnSums = (x: Float32Array | Int32Array, width: number) => {
  const sums = new Array<number>(width).fill(0);
  x.forEach((v, i) => (sums[i % width] = (sums[i % width] ?? 0) + v));
  return sums;
};

/*
 * Expected values from bench/reference (torch_bench.py's preparation, run with /usr/bin/python3 on the
 * reference splits): per split, column sums of the float32 inputs; for spam, sha256 of the int32 token ids.
 */
const PENGUINS = [
  [0, 0, 0, 0, 109, 87, 37, 109, 124],
  [-0.98168, -7.29946, -4.27795, -2.76542, 25, 20, 5, 31, 19],
  [0.65018, -7.85525, -5.85897, -7.12519, 29, 16, 5, 25, 25],
];
const CARS = [
  [0, 0, 0, 0, 0, 0],
  [-6.00211, -5.88979, -4.62657, -4.93959, 7.39195, -11.65207],
  [0.41746, -2.91805, 0.36492, 0.77302, -4.77226, -4.92046],
];
const CARS_Y = [6476.7, 1385.5, 1328.6];
const SPAM_IDS = [
  '23977a4feeff640d9836c2e9453c4232d9de6987e4ac8415859b33127ea4a1ad',
  '518fc85a3beb355dcb8e0fa6ce54a32018a05754eb22be4931e68b9f739a6c59',
  '27c6fe6ff01f699f87b7798fcee5c0931abf32166e057863b1d0662f5880ddf7',
];
const SPLITS = ['train', 'val', 'test'] as const;

// A checkout without the kit skips the comparison; CI (which sets CI) has the kit, so there a missing
// kit is a failure, not a silently smaller suite.
describe.runIf(existsSync(REF) || process.env.CI !== undefined)('prepared arrays equal the PyTorch reference preparation', () => {
  it('finds the reference kit', () => {
    expect(existsSync(REF), `the PyTorch reference data is missing: ${REF}`).toBe(true);
  });

  it('penguins: standardized numerics + one-hot Island, Sex; classes sorted', async () => {
    const spec = pipelineWith(
      `source: { type: builtin, name: penguins }
features:
  - { name: Beak Length (mm), type: numeric }
  - { name: Beak Depth (mm), type: numeric }
  - { name: Flipper Length (mm), type: numeric }
  - { name: Body Mass (g), type: numeric }
  - { name: Island, type: category }
  - { name: Sex, type: category }
target: { name: Species, type: multiclass }`,
      'multiclass',
    );
    const d = await prepareData(spec, opts('penguins'));
    expect(d.inputShape).toEqual([9]);
    expect(d.target.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    SPLITS.forEach((s, k) => columnSums(d[s].x, 9).forEach((v, j) => expect(v, `${s} column ${j}`).toBeCloseTo(PENGUINS[k]?.[j] ?? Number.NaN, 3)));
  });

  it('cars: six standardized numerics, raw MPG target', async () => {
    const features = ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration', 'Year'].map((c) => `  - { name: ${c}, type: numeric }`).join('\n');
    const spec = pipelineWith(`source: { type: builtin, name: cars }\nfeatures:\n${features}\ntarget: { name: Miles_per_Gallon, type: regression, scale: none }`, 'regression');
    const d = await prepareData(spec, opts('cars'));
    SPLITS.forEach((s, k) => {
      columnSums(d[s].x, 6).forEach((v, j) => expect(v, `${s} column ${j}`).toBeCloseTo(CARS[k]?.[j] ?? Number.NaN, 3));
      expect(columnSums(d[s].y, 1)[0]).toBeCloseTo(CARS_Y[k] ?? Number.NaN, 2);
    });
  });

  it('spam: token ids identical to bench_data.encode (vocab 10,000, first 200 tokens, left-padded)', async () => {
    const spec = pipelineWith(
      'source: { type: builtin, name: spam }\nfeatures: [{ name: text, type: text, vocabSize: 10000, maxLength: 200, padding: pre, truncation: post }]\ntarget: { name: label, type: binary }',
      'binary',
    );
    const d = await prepareData(spec, opts('spam'));
    const f = d.state.features[0];
    expect(f?.type === 'text' && f.vocab.slice(2, 7)).toEqual(['the', '3d', 'a', 'to', 'font']);
    SPLITS.forEach((s, k) => expect(createHash('sha256').update(new Uint8Array(d[s].x.buffer, d[s].x.byteOffset, d[s].x.byteLength)).digest('hex'), s).toBe(SPAM_IDS[k]));
  });
});
