/** What `kiln init` guesses the task is from the target column's values, and why. */
import { parseDecimal } from '../data/preprocess/number.ts';
import { fail } from '../data/table.ts';
import { presentValues } from './columns.ts';

/** The task, the class count for classification, and the reason shown beside the target. */
export interface TaskGuess {
  type: 'binary' | 'multiclass' | 'regression';
  /** Distinct values over all rows (classification). */
  classes: number;
  reason: string;
  /** Rows whose target is missing. */
  missing: number;
}

/** Whole numbers with at most this many distinct values are classes (star ratings, digits), more are amounts. */
const MAX_INTEGER_CLASSES = 10;

const show = (values: string[]) => `${values.slice(0, 5).join(', ')}${values.length > 5 ? ', ...' : ''}`;
/** Distinct numbers up to this many are sorted; past it only the smallest and largest are needed (a regression's range). */
const SORT_NUMBERS = 1000;

/**
 * The distinct values sorted (numerically when every one is a number) and whether they are all numbers. Each value
 * is parsed once (a comparator that parses cost seconds on a big file's millions of distinct amounts), and many
 * numbers are not sorted at all: only the first and last places, the smallest and the largest, are filled in.
 */
function distinctSorted(values: string[]): { kinds: string[]; numbers: boolean } {
  const kinds = [...new Set(values)];
  const parsed = kinds.map((v) => parseDecimal(v) ?? Number.NaN);
  if (parsed.some(Number.isNaN)) return { kinds: kinds.sort(), numbers: false };
  if (kinds.length <= SORT_NUMBERS) {
    const order = Array.from(kinds.keys()).sort((a, b) => (parsed[a] ?? 0) - (parsed[b] ?? 0));
    return { kinds: order.map((i) => kinds[i] ?? ''), numbers: true };
  }
  let [lo, hi] = [0, 0];
  parsed.forEach((x, i) => {
    if (x < (parsed[lo] ?? 0)) lo = i;
    if (x > (parsed[hi] ?? 0)) hi = i;
  });
  const [min, max] = [kinds[lo] ?? '', kinds[hi] ?? ''];
  return { kinds: [min, ...kinds.filter((_, i) => i !== lo && i !== hi), max], numbers: true };
}

/** Guesses binary / multiclass / regression from every row's target value; a target with fewer than two values is an error. */
export function guessTask(cells: readonly unknown[]): TaskGuess {
  const values = presentValues(cells);
  const missing = cells.length - values.length;
  const { kinds, numbers } = distinctSorted(values);
  const n = kinds.length;
  const rows = `${values.length.toLocaleString('en-US')} rows`;
  if (n < 2) fail('cli/init-target', '--target', n === 0 ? `the target column has no values (${cells.length} rows, all empty or missing markers)` : `the target column has one value (${kinds[0]}) in every row: there is nothing to predict`, 'pick the column to predict with --target');
  if (n === 2) return { type: 'binary', classes: 2, missing, reason: `binary: two distinct values (${kinds.join(', ')}) in ${rows}; the positive class is ${kinds[1]} (set positive: to change it)` };
  if (!numbers) return { type: 'multiclass', classes: n, missing, reason: `multiclass: ${n} distinct values (${show(kinds)}) in ${rows}, not numbers` };
  const integers = kinds.every((v) => Number.isInteger(parseDecimal(v)));
  if (integers && n <= MAX_INTEGER_CLASSES)
    return { type: 'multiclass', classes: n, missing, reason: `multiclass: whole numbers with only ${n} distinct values (${show(kinds)}) in ${rows}; if their order matters (a rating), try type: regression` };
  return { type: 'regression', classes: 0, missing, reason: `regression: numbers from ${kinds[0]} to ${kinds[n - 1]} with ${n.toLocaleString('en-US')} distinct values in ${rows}` };
}
