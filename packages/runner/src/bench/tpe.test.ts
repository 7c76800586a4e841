import { describe, expect, it } from 'vitest';
import { parseSeeds, percentile } from './tpe.ts';

describe('TPE bench arguments', () => {
  it('reads a seed range, one seed, or the default 0..9', () => {
    expect(parseSeeds(['--seeds', '2-4'])).toEqual([2, 3, 4]);
    expect(parseSeeds(['--seeds', '7'])).toEqual([7]);
    expect(parseSeeds([])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  // Before the index check, `--seeds` as the last argument crashed reading .split of undefined.
  it('says what --seeds takes when its value is missing or malformed', () => {
    expect(() => parseSeeds(['--with-optuna', '--seeds'])).toThrow('--seeds takes a range such as 0-9 or one seed such as 3, got nothing');
    expect(() => parseSeeds(['--seeds', 'a-b'])).toThrow('got a-b');
    expect(() => parseSeeds(['--seeds', '5-2'])).toThrow('got 5-2');
  });
});

describe('percentile', () => {
  it('interpolates like numpy and is NaN for no values', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([4, 1, 3, 2], 25)).toBe(1.75);
    expect(percentile([], 50)).toBeNaN();
  });
});
