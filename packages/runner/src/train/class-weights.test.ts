import { describe, expect, it } from 'vitest';
import { kilnErrorOf } from '../data/preprocess/test-support.ts';
import type { TargetInfo } from '../data/types.ts';
import { balancedWeights, classWeightParams, classWeightsOf } from './class-weights.ts';
import { classReportText, headClassReport, printableClass } from './class-report.ts';

const weather: TargetInfo = { name: 'weather', type: 'multiclass', classes: ['drizzle', 'fog', 'rain', 'snow', 'sun'], counts: [10, 20, 200, 10, 760] };
const mass: TargetInfo = { name: 'mass', type: 'regression' };

describe('class weights', () => {
  it('balanced is n / (k * count) on train, so every class weighs n / k in all', () => {
    const w = balancedWeights([10, 20, 200, 10, 760]);
    expect(w).toEqual([20, 10, 1, 20, 1000 / (5 * 760)]);
    expect(w.reduce((s, x, c) => s + x * ([10, 20, 200, 10, 760][c] ?? 0), 0)).toBeCloseTo(1000, 9);
  });

  it('a map weighs the classes it names, 1 the others; regression targets get none', () => {
    expect(classWeightsOf({ snow: 4, sun: 0.5 }, [weather, mass])).toEqual([[1, 1, 1, 4, 0.5], undefined]);
    expect(classWeightsOf(undefined, [weather])).toEqual([undefined]);
    expect(classWeightParams([weather], classWeightsOf('balanced', [weather]))['train.classWeight.snow']).toBe(20);
  });

  it('an unknown class is a located error listing the classes; a map needs exactly one classification target', () => {
    const unknown = kilnErrorOf(() => classWeightsOf({ snwo: 2 }, [weather]));
    expect([unknown.code, unknown.path]).toEqual(['train/class-weights', 'train.classWeights.snwo']);
    expect(unknown.message).toContain('drizzle, fog, rain, snow, sun');
    expect(unknown.hint).toContain('did you mean "snow"');
    expect(kilnErrorOf(() => classWeightsOf({ a: 2 }, [weather, { ...weather, name: 'other' }])).message).toContain('2 classification targets');
    expect(kilnErrorOf(() => classWeightsOf('balanced', [mass])).code).toBe('train/class-weights');
    expect(classWeightsOf('balanced', [weather, { ...weather, name: 'w2', counts: [1, 1, 1, 1, 1] }])[1]).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('class report text', () => {
  it('prints one row per class and the averages, with hostile class names escaped', () => {
    const text = classReportText(headClassReport([[3, 1], [0, 2]], ['\u001b[31mred', 'ok']));
    expect(text).toContain('\\u001b[31mred');
    expect(text).not.toContain('\u001b');
    expect(text).toMatch(/ok\s+0\.6667\s+1\.0000\s+0\.8000\s+2/);
    expect(text).toMatch(/macro avg\s+0\.8333\s+0\.8750\s+0\.8286\s+6/);
    expect(printableClass('x'.repeat(50))).toHaveLength(40);
  });
});
