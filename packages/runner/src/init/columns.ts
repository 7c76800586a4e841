/**
 * What `kiln init` guesses a column is, from a sample of its cells, and why: each guess carries the
 * sentence the generated pipeline shows beside it, so a user can check the guess instead of trusting it.
 */
import { isMissingValue } from '@kiln/core';
import { dateParser } from '../data/preprocess/date-parse.ts';
import { parseDecimal } from '../data/preprocess/number.ts';

export type ColumnKind = 'numeric' | 'category' | 'text' | 'date' | 'skip';

/** One column's guess: the kind, the options it needs, and the reason shown as a comment. */
export interface ColumnGuess {
  name: string;
  kind: ColumnKind;
  reason: string;
  /** A date format when the values are not ISO 8601. */
  format?: string;
  /** Some sampled cells are missing: fill them (numeric, date) instead of failing. */
  fillMissing?: boolean;
  /** Text: tokens per example and vocabulary size. */
  maxLength?: number;
  vocabSize?: number;
}

/** Category: at most this many distinct values, and at most half as many as there are values. */
export const MAX_CATEGORIES = 50;
/** Text: at least this many words on average. */
const TEXT_WORDS = 4;
/** Date formats tried after ISO 8601, most specific first; the first that reads every sampled value wins. */
const DATE_FORMATS = [
  'YYYY/MM/DD HH:mm:ss',
  'YYYY/MM/DD HH:mm',
  'YYYY/MM/DD',
  'DD/MM/YYYY HH:mm:ss',
  'DD/MM/YYYY HH:mm',
  'DD/MM/YYYY',
  'MM/DD/YYYY HH:mm:ss',
  'MM/DD/YYYY HH:mm',
  'MM/DD/YYYY',
  'DD.MM.YYYY',
  'MMM D YYYY',
  'D MMM YYYY',
  'MMMM D, YYYY',
] as const;
const ID_NAME = /^(id|uuid|guid|index|key|row|rownum|row_?id|unnamed: ?0)$|[_ -]id$|Id$|ID$/i;

const count = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
const show = (values: string[], max = 4) => `${values.slice(0, max).join(', ')}${values.length > max ? ', ...' : ''}`;
const words = (s: string) => s.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '').length;

/** The sampled cells of one column as text, missing ones left out (the default missing markers apply). */
export function presentValues(cells: readonly unknown[]): string[] {
  return cells.filter((v) => !isMissingValue(v)).map((v) => (typeof v === 'string' ? v.trim() : typeof v === 'object' ? JSON.stringify(v) : String(v)));
}

/** The date format every value is written in (undefined: ISO 8601), or null when they are not dates. */
function dateFormatOf(values: string[]): string | undefined | null {
  // a bare number is never taken for a date: years, amounts and codes are numbers first
  if (values.every((v) => parseDecimal(v) !== undefined)) return null;
  const reads = (format: string | undefined) => {
    const parse = dateParser(format);
    return values.every((v) => parse(v) !== undefined);
  };
  if (reads(undefined)) return undefined;
  return DATE_FORMATS.find(reads) ?? null;
}

/** A sorted list of the distinct values, for the reason text. */
const distinct = (values: string[]) => [...new Set(values)].sort();

/** Numbers: numeric, unless they look like row ids. */
function numericGuess(name: string, values: string[], missing: string): ColumnGuess {
  const xs = values.map((v) => parseDecimal(v) ?? NaN);
  const unique = new Set(xs).size;
  const integers = xs.every((x) => Number.isInteger(x));
  const increasing = xs.every((x, k) => k === 0 || x > (xs[k - 1] ?? x));
  if (integers && unique === xs.length && xs.length > 1 && (ID_NAME.test(name) || increasing))
    return { name, kind: 'skip', reason: `skipped: an id (${ID_NAME.test(name) ? 'its name, and ' : ''}every sampled value is a different whole number${increasing ? ', increasing row by row' : ''}); an id names a row and predicts nothing` };
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) [lo, hi] = [Math.min(lo, x), Math.max(hi, x)];
  const what = integers ? 'whole numbers' : 'numbers';
  return { name, kind: 'numeric', reason: `numeric: ${what} from ${lo} to ${hi}, ${plural(unique, 'distinct value')}; standardized on the train split${missing}`, ...(missing ? { fillMissing: true } : {}) };
}

/** Text that is not a number or a date: a category, free text, or an id / too many values to use. */
function textGuess(name: string, values: string[], sampled: number): ColumnGuess {
  const kinds = distinct(values);
  if (kinds.length <= MAX_CATEGORIES && kinds.length <= Math.max(2, values.length / 2))
    return { name, kind: 'category', reason: `category: ${plural(kinds.length, 'distinct value')} in ${plural(sampled, 'row')} (${show(kinds)}); one-hot, values unseen in train go to the unknown bucket` };
  const perValue = values.reduce((s, v) => s + words(v), 0) / Math.max(1, values.length);
  if (perValue >= TEXT_WORDS) {
    const lengths = values.map(words).sort((a, b) => a - b);
    const p95 = lengths[Math.floor(0.95 * (lengths.length - 1))] ?? 1;
    const maxLength = Math.min(256, Math.max(8, 2 ** Math.ceil(Math.log2(p95))));
    return { name, kind: 'text', reason: `text: free text, ${perValue.toFixed(1)} words on average (95% have at most ${p95}); ${maxLength} tokens per row, a vocabulary of the 10,000 most frequent train words`, maxLength, vocabSize: 10000 };
  }
  const idLike = ID_NAME.test(name) || kinds.length === values.length;
  return {
    name,
    kind: 'skip',
    reason: idLike
      ? `skipped: ${kinds.length === values.length ? 'every sampled value is different' : 'its name says id'} (${show(kinds, 3)}), so it names a row rather than describing it`
      : `skipped: ${plural(kinds.length, 'distinct value')} among ${plural(values.length, 'value')}, too many for a category (at most ${MAX_CATEGORIES}) and too short for text (${perValue.toFixed(1)} words on average); use type: category with maxCategories to keep the most frequent`,
  };
}

/** Guesses a feature column's type from its sampled cells. */
export function guessColumn(name: string, cells: readonly unknown[]): ColumnGuess {
  const values = presentValues(cells);
  const gaps = cells.length - values.length;
  if (values.length === 0) return { name, kind: 'skip', reason: `skipped: all ${plural(cells.length, 'sampled cell')} are empty or missing markers` };
  const missing = gaps > 0 ? `; ${plural(gaps, 'missing cell')} in the sample, filled with the train mean` : '';
  const format = dateFormatOf(values);
  if (format !== null) {
    const how = format === undefined ? 'ISO 8601 dates' : `dates written ${format}`;
    // DD/MM is tried first; when every value also reads as MM/DD the data cannot tell, so the comment says so
    const ambiguous = format?.startsWith('DD/MM') === true && values.every((v) => dateParser(format.replace('DD/MM', 'MM/DD'))(v) !== undefined);
    const note = ambiguous ? ' (they also read as MM/DD: check which is meant)' : '';
    return { name, kind: 'date', reason: `date: ${how}${note}; encoded as time since the oldest train date and the month and weekday as cycles${missing}`, ...(format === undefined ? {} : { format }), ...(gaps > 0 ? { fillMissing: true } : {}) };
  }
  if (values.every((v) => parseDecimal(v) !== undefined)) return numericGuess(name, values, missing);
  const guess = textGuess(name, values, cells.length);
  return gaps > 0 && guess.kind === 'category' ? { ...guess, reason: `${guess.reason}; ${plural(gaps, 'missing cell')} in the sample go there too` } : guess;
}
