import { describe, expect, it } from 'vitest';
import { kilnErrorOf } from '../data/preprocess/test-support.ts';
import { guessColumn } from './columns.ts';
import { guessTask } from './task.ts';

const repeat = <T>(values: T[], n: number) => Array.from({ length: n }, (_, i) => values[i % values.length]);

describe('kiln init column guesses', () => {
  it('takes few distinct words for a category and says how many it saw', () => {
    const g = guessColumn('island', repeat(['Biscoe', 'Dream', 'Torgersen', 'NA'], 40));
    expect(g.kind).toBe('category');
    expect(g.reason).toContain('3 distinct values in 40 rows (Biscoe, Dream, Torgersen)');
    expect(g.reason).toContain('10 missing cells');
  });

  it('takes numbers as numeric, filling missing cells, and whole-number ids as ids', () => {
    const g = guessColumn('bill', ['39.1', '?', '40.3', '', '36.7']);
    expect(g).toMatchObject({ kind: 'numeric', fillMissing: true });
    expect(g.reason).toContain('from 36.7 to 40.3');
    expect(g.reason).toContain('2 missing cells');
    expect(guessColumn('customer_id', ['17', '3', '99', '42']).kind).toBe('skip');
    // a row counter is an id whatever its name
    const counter = guessColumn('n', ['1', '2', '3', '4', '5']);
    expect(counter.kind).toBe('skip');
    expect(counter.reason).toContain('increasing row by row');
    // repeated whole numbers are a measurement, not an id
    expect(guessColumn('rooms', ['1', '2', '2', '3']).kind).toBe('numeric');
  });

  it('finds dates: ISO 8601 with zones, and other formats it names', () => {
    expect(guessColumn('when', ['2024-03-01T10:00:00+02:00', '2024-03-02T11:30:00Z', 'NA'])).toMatchObject({ kind: 'date', fillMissing: true });
    expect(guessColumn('time', ['2015/01/01 01:00:00', '2015/01/01 04:00:00'])).toMatchObject({ kind: 'date', format: 'YYYY/MM/DD HH:mm:ss' });
    expect(guessColumn('date', ['Jan 1 2000', 'Feb 1 2000'])).toMatchObject({ kind: 'date', format: 'MMM D YYYY' });
    const dmy = guessColumn('d', ['31/12/2020', '01/02/2021']);
    expect(dmy).toMatchObject({ kind: 'date', format: 'DD/MM/YYYY' });
    expect(dmy.reason).not.toContain('MM/DD');
    // both readings work: the comment says so
    expect(guessColumn('d', ['01/02/2021', '03/04/2021']).reason).toContain('also read as MM/DD');
    // years alone are numbers, not dates
    expect(guessColumn('year', ['1999', '2001', '2001']).kind).toBe('numeric');
  });

  it('takes long strings as text and sizes it, and skips short unique strings', () => {
    const reviews = repeat(['a great little phone with a long battery life', 'broke after two days, would not buy it again', 'fine', 'the screen is sharp and the price is right'], 80).map((s, i) => `${s} ${i}`);
    const g = guessColumn('review', reviews);
    expect(g.kind).toBe('text');
    expect(g.maxLength).toBe(16);
    expect(guessColumn('name', ['Ann', 'Bo', 'Cy', 'Di', 'Ed']).reason).toContain('every sampled value is different');
    expect(guessColumn('empty', ['', 'NA', null]).kind).toBe('skip');
  });
});

describe('kiln init task guesses', () => {
  it('reads binary, multiclass and regression from the target values', () => {
    expect(guessTask(['yes', 'no', 'no', 'yes'])).toMatchObject({ type: 'binary', classes: 2 });
    expect(guessTask(['0', '1', '1', ''])).toMatchObject({ type: 'binary', missing: 1 });
    expect(guessTask(['sun', 'rain', 'fog', 'sun'])).toMatchObject({ type: 'multiclass', classes: 3 });
    const digits = guessTask(repeat(['3', '4', '5', '6', '7', '8'], 50));
    expect(digits).toMatchObject({ type: 'multiclass', classes: 6 });
    expect(digits.reason).toContain('try type: regression');
    const price = guessTask(['1.5', '2.25', '3', '10', '7.5']);
    expect(price.type).toBe('regression');
    expect(price.reason).toContain('from 1.5 to 10');
  });

  it('refuses a target with fewer than two values', () => {
    expect(kilnErrorOf(() => guessTask(['a', 'a', 'a'])).message).toContain('one value (a) in every row');
    expect(kilnErrorOf(() => guessTask(['', 'NA'])).code).toBe('cli/init-target');
  });
});
