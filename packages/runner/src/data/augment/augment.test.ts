import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../random/rng.ts';
import type { PreprocessState } from '../types.ts';
import { augmentImages } from './image.ts';
import { makeAugmenter } from './index.ts';
import { augmentTokens } from './text.ts';

const none = { flip: 'none', shift: 0, rotation: 0, zoom: 0, noise: 0 } as const;
/** A 3x4 single-channel image with distinct pixels 1..12. */
const img = () => Float32Array.from({ length: 12 }, (_, i) => i + 1);
/** A stream that always returns v. */
const constant = (v: number) => () => v;

describe('augmentImages', () => {
  it('horizontal flip mirrors each row exactly (when drawn)', () => {
    const x = img();
    augmentImages(x, 1, 12, 0, [3, 4, 1], { ...none, flip: 'horizontal' }, constant(0.1));
    expect(Array.from(x)).toEqual([4, 3, 2, 1, 8, 7, 6, 5, 12, 11, 10, 9]);
    const kept = img();
    augmentImages(kept, 1, 12, 0, [3, 4, 1], { ...none, flip: 'horizontal' }, constant(0.9));
    expect(Array.from(kept)).toEqual(Array.from(img()));
  });

  it('vertical flip mirrors the rows', () => {
    const x = img();
    augmentImages(x, 1, 12, 0, [3, 4, 1], { ...none, flip: 'vertical' }, constant(0.1));
    expect(Array.from(x)).toEqual([9, 10, 11, 12, 5, 6, 7, 8, 1, 2, 3, 4]);
  });

  it('shift moves by whole pixels and fills with 0', () => {
    const x = img();
    // uniform draw (2 * 1 - 1) * 0.25 * 4 = +1 column, * 3 rows rounds to +1 row
    augmentImages(x, 1, 12, 0, [3, 4, 1], { ...none, shift: 0.25 }, constant(0.999999));
    expect(Array.from(x)).toEqual([0, 0, 0, 0, 0, 1, 2, 3, 0, 5, 6, 7]);
  });

  it('a 90-degree rotation of a square image moves pixels around the centre', () => {
    const x = Float32Array.from({ length: 9 }, (_, i) => i + 1);
    augmentImages(x, 1, 9, 0, [3, 3, 1], { ...none, rotation: 90 }, constant(0.999999999));
    const rounded = Array.from(x).map((v) => Math.round(v * 1000) / 1000);
    expect(rounded[4]).toBe(5);
    expect(new Set(rounded)).toEqual(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(rounded).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('zoom keeps the centre pixel and noise has the asked spread; the same seed repeats', () => {
    const x = Float32Array.from({ length: 9 }, (_, i) => i + 1);
    augmentImages(x, 1, 9, 0, [3, 3, 1], { ...none, zoom: 0.5 }, constant(0.999999));
    expect(x[4]).toBeCloseTo(5, 5);
    const n = 20000;
    const flat = new Float32Array(n);
    augmentImages(flat, 1, n, 0, [100, 200, 1], { ...none, noise: 0.3 }, mulberry32(1));
    const mean = flat.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(flat.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(sd).toBeCloseTo(0.3, 1);
    const again = new Float32Array(n);
    augmentImages(again, 1, n, 0, [100, 200, 1], { ...none, noise: 0.3 }, mulberry32(1));
    expect(Array.from(again)).toEqual(Array.from(flat));
  });

  it('touches only its own feature within a row', () => {
    const x = Float32Array.from([7, 1, 2, 3, 4, 8, 1, 2, 3, 4]);
    augmentImages(x, 2, 5, 1, [2, 2, 1], { ...none, flip: 'horizontal' }, constant(0.1));
    expect(Array.from(x)).toEqual([7, 2, 1, 4, 3, 8, 2, 1, 4, 3]);
  });
});

describe('augmentTokens', () => {
  it('drops tokens to padding at about the asked rate and never touches padding', () => {
    const n = 200;
    const x = new Int32Array(n * 50).map((_, i) => (i % 50 < 10 ? 0 : 2 + (i % 7)));
    augmentTokens(x, n, 50, 0, 50, { tokenDropout: 0.2, swap: 0 }, mulberry32(3));
    let dropped = 0;
    for (let i = 0; i < x.length; i++) if (i % 50 >= 10 && x[i] === 0) dropped++;
    expect(dropped / (n * 40)).toBeCloseTo(0.2, 1);
    for (let i = 0; i < x.length; i++) if (i % 50 < 10) expect(x[i]).toBe(0);
  });

  it('swap exchanges neighbours, keeps the multiset of tokens, and leaves padding in place', () => {
    const x = Int32Array.from([0, 0, 5, 6, 7, 8]);
    augmentTokens(x, 1, 6, 0, 6, { tokenDropout: 0, swap: 1 }, constant(0));
    expect(Array.from(x)).toEqual([0, 0, 6, 5, 8, 7]);
  });
});

describe('makeAugmenter', () => {
  const state = (features: PreprocessState['features'], inputShape: number[]): PreprocessState => ({ version: 1, features, target: { name: 'y', type: 'binary' }, inputShape, inputDtype: 'float32' });

  it('is undefined when no feature asks for augmentation', () => {
    const s = state([{ name: 'i', type: 'image', shape: [2, 2, 1], scale: 1 }], [2, 2, 1]);
    expect(makeAugmenter([{ name: 'i', type: 'image', shape: [2, 2, 1], scale: 1 }], s, 1)).toBeUndefined();
  });

  it('is seeded per epoch: same epoch same result, other epoch other result', () => {
    const spec = { name: 'i', type: 'image' as const, shape: [4, 4, 1], scale: 1, augment: { ...none, noise: 0.1, shift: 0.25 } };
    const aug = makeAugmenter([spec], state([{ name: 'i', type: 'image', shape: [4, 4, 1], scale: 1 }], [4, 4, 1]), 42)!;
    const run = (epoch: number) => {
      const x = Float32Array.from({ length: 32 }, (_, i) => i);
      aug(x, 2, epoch);
      return Array.from(x);
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });
});

describe('the training loop hook', () => {
  it('is called once per epoch with the train rows only', async () => {
    const { syntheticData } = await import('../../train/synthetic.ts');
    const { trainLoop } = await import('../../train/loop.ts');
    const { buildModel } = await import('../../model/build.ts');
    const { layer, trainSpec, useWasm } = await import('../../train/test-support.ts');
    await useWasm();
    const data = syntheticData('image', 50);
    const model = buildModel({ layers: [layer({ type: 'flatten' }), layer({ type: 'dense', units: 1, activation: 'sigmoid' })] }, data, 1);
    const calls: [number, number, number][] = [];
    await trainLoop({
      model,
      spec: trainSpec({ loss: 'binaryCrossentropy', optimizer: { name: 'adam', learningRate: 0.01 }, epochs: 2, batchSize: 16 }),
      data: { ...data, task: 'binary' },
      seed: 1,
      augment: (x, n, epoch) => calls.push([x.length, n, epoch]),
    });
    expect(calls).toEqual([
      [data.train.n * 36, data.train.n, 1],
      [data.train.n * 36, data.train.n, 2],
    ]);
    model.dispose();
  });
});
