import { describe, expect, it } from 'vitest';
import { image } from './image.ts';
import { ctx, ids, kilnErrorOf } from './test-support.ts';

const s = image.fit({ name: 'img', type: 'image', shape: [2, 2, 1], scale: 255 }, [], ids(0), ctx);

describe('image feature', () => {
  it('copies flat pixels divided by the scale', () => {
    const out = new Float32Array(5);
    image.encode(s, [0, 51, 255, 102], out, 1, 0, ctx);
    expect([...out]).toEqual([0, 0, 0.2, 1, 0.4].map(Math.fround));
    expect(image.shape(s)).toEqual([2, 2, 1]);
  });

  it('rejects an image of the wrong size or with non-numbers', () => {
    expect(kilnErrorOf(() => image.encode(s, [1, 2, 3], new Float32Array(4), 0, 7, ctx)).message).toMatch(/row 7: the image has 3 values; shape \[2, 2, 1\] needs 4/);
    expect(kilnErrorOf(() => image.encode(s, 'abcd', new Float32Array(4), 0, 0, ctx)).code).toBe('data/image-shape');
    expect(kilnErrorOf(() => image.encode(s, [1, 2, 'x', 4], new Float32Array(4), 0, 0, ctx)).code).toBe('data/not-a-number');
  });
});
