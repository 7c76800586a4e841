import { describe, expect, it } from 'vitest';
import { eta2, paramImportance, spearman } from './importance.ts';
import { bestSoFar } from './best.ts';

describe('param importance', () => {
  it('computes η² exactly on a hand-checked example', () => {
    // groups a: [1, 3] mean 2, b: [5, 7] mean 6; grand mean 4; SS_between = 2*4 + 2*4 = 16; SS_total = 9+1+1+9 = 20
    expect(eta2(['a', 'a', 'b', 'b'], [1, 3, 5, 7])).toBeCloseTo(0.8, 12);
    expect(eta2(['a', 'b', 'a', 'b'], [1, 1, 1, 1])).toBe(0);
  });

  it('computes Spearman with ties and null for constants', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
  });

  it('ranks the param that drives the objective first', () => {
    const trials = [];
    for (let i = 0; i < 40; i++) {
      const lr = 10 ** (-4 + (i % 10) * 0.3);
      const opt = i % 2 === 0 ? 'adam' : 'sgd';
      trials.push({ params: { lr, opt, units: 32 }, value: Math.log10(lr) * 2 + (opt === 'adam' ? 0.05 : 0) });
    }
    const imp = paramImportance(trials);
    expect(imp.map((i) => i.key)).toEqual(['lr', 'opt']);
    const [lr, opt] = imp;
    expect(lr?.eta2).toBeGreaterThan(0.8);
    expect(lr?.spearman).toBeCloseTo(1, 6);
    expect(opt?.spearman).toBeNull();
  });

  it('tracks the best value so far for either goal', () => {
    expect(bestSoFar([null, 3, 5, 2, null, 4], 'minimize')).toEqual([null, 3, 3, 2, 2, 2]);
    expect(bestSoFar([1, 3, 2], 'maximize')).toEqual([1, 3, 3]);
  });
});
