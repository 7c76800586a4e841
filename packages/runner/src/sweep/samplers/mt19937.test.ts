import { describe, expect, it } from 'vitest';
import { createNumpyRng } from './mt19937.ts';

describe('numpy-compatible MT19937', () => {
  it('reproduces numpy.random.RandomState(seed).random_sample() exactly', () => {
    // Values printed by numpy 1.24: RandomState(s).random_sample(3) and the 2003rd draw.
    const expected: Array<[number, number[], number]> = [
      [0, [0.5488135039273248, 0.7151893663724195, 0.6027633760716439], 0.5231559899920758],
      [7, [0.07630828937395717, 0.7799187922401146, 0.4384092314408935], 0.7437099123274765],
      [4294967295, [0.0976320289940138, 0.9123828453026218, 0.78903530185164], 0.1003560937010336],
    ];
    for (const [seed, first, later] of expected) {
      const r = createNumpyRng(seed);
      expect([r.next(), r.next(), r.next()]).toEqual(first);
      let x = 0;
      for (let i = 0; i < 2000; i++) x = r.next();
      expect(x).toBe(later);
    }
  });
});
