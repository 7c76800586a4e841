import { describe, expect, it } from 'vitest';
import { must } from './errors.ts';

describe('must', () => {
  it('returns a defined value, including falsy ones', () => {
    expect(must(0, 'zero')).toBe(0);
    expect(must('', 'empty')).toBe('');
    expect(must(null, 'null is a value')).toBeNull();
  });

  it('throws with the invariant named when the value is missing', () => {
    expect(() => must([1, 2][5], 'index 5 of a pair')).toThrow('internal invariant broken: index 5 of a pair');
  });
});
