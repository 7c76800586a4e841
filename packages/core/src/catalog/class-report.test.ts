import { describe, expect, it } from 'vitest';
import { classReport, presentClasses } from './class-report.ts';

describe('classReport', () => {
  it('per-class precision, recall, F1 and support with macro and weighted averages, as scikit-learn classification_report', () => {
    // actual rows, predicted columns: sklearn on y=[0,1,1,2,2], p=[0,0,1,1,2]
    const r = classReport([[1, 0, 0], [1, 1, 0], [0, 1, 1]], ['a<b>', 'sun', '']);
    expect(r.classes.map((c) => c.class)).toEqual(['a<b>', 'sun', '']);
    expect(r.classes.map((c) => [c.precision, c.recall, c.support])).toEqual([[0.5, 1, 1], [0.5, 0.5, 2], [1, 0.5, 2]]);
    expect(r.classes.map((c) => c.f1)).toEqual([2 / 3, 0.5, 2 / 3].map((v) => expect.closeTo(v, 12)));
    expect(r.macro.f1).toBeCloseTo((2 / 3 + 0.5 + 2 / 3) / 3, 12);
    expect(r.weighted.f1).toBeCloseTo((2 / 3 + 1 + 4 / 3) / 5, 12);
    expect(r.weighted.recall).toBeCloseTo(r.accuracy, 12);
    expect([r.accuracy, r.support]).toEqual([0.6, 5]);
  });

  it('a class never predicted nor present scores 0, not NaN (zero_division=0)', () => {
    const r = classReport([[2, 0], [0, 0]], ['x', 'y']);
    expect(r.classes[1]).toEqual({ class: 'y', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.macro.f1).toBe(1); // y is neither true nor predicted: left out of the macro average, as scikit-learn's default labels
  });
});

describe('macro averages count the classes present', () => {
  it('leaves out a class with no true rows and no predictions, as scikit-learn does', () => {
    // sklearn: f1_score([0,0,1,1,2], [0,1,1,1,2], average='macro', labels=None) over labels {0,1,2} = 0.8222...
    const m = [
      [1, 1, 0, 0],
      [0, 2, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 0],
    ];
    expect(presentClasses(m)).toEqual([true, true, true, false]);
    expect(classReport(m, ['a', 'b', 'c', 'd']).macro.f1).toBeCloseTo((2 / 3 + 0.8 + 1) / 3, 12);
  });
});
