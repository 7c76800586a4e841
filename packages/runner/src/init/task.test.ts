import { describe, expect, it } from 'vitest';
import { guessTask } from './task.ts';

describe('guessTask', () => {
  it('gives a regression range from the smallest and largest of many distinct numbers', () => {
    const cells = Array.from({ length: 5000 }, (_, i) => String(((i * 7919) % 5000) / 10 - 100));
    const g = guessTask(cells);
    expect(g.type).toBe('regression');
    expect(g.reason).toContain('numbers from -100 to 399.9 with 5,000 distinct values in 5,000 rows');
  });

  it('orders few numeric classes by value and text classes alphabetically', () => {
    expect(guessTask(['10', '9', '2', '10', '9', '2']).reason).toContain('(2, 9, 10)');
    expect(guessTask(['b', 'a', 'NA', 'c']).reason).toContain('3 distinct values (a, b, c) in 3 rows');
    expect(guessTask(['yes', 'no', 'yes']).reason).toContain('the positive class is yes');
  });
});
