import { missingTest, type DateEncoding } from '@kiln/core';
import { must } from '@kiln/core/errors';
import { fail, rowLabel } from '../table.ts';
import { DATE_CYCLES, dateParser, formatLabel, instantOf, type DateParts } from './date-parse.ts';
import type { ColumnContext, FeatureHandler } from './types.ts';

const DAY = 86_400_000;

/** Columns each encoding writes: elapsed one, each calendar part sin and cos. */
const widthOf = (e: DateEncoding) => (e === 'elapsed' ? 1 : 2);

const parsers = new WeakMap<object, (v: unknown, row: number, ctx: ColumnContext) => DateParts | null>();

/** A cell as date parts; null when missing; a located error naming the format when it does not parse. */
function reader(s: { name: string; format?: string; missingValues?: string[] }): (v: unknown, row: number, ctx: ColumnContext) => DateParts | null {
  let read = parsers.get(s);
  if (read) return read;
  const parse = dateParser(s.format);
  const missing = missingTest(s.missingValues);
  read = (v, row, ctx) => {
    if (missing(v)) return null;
    const parts = typeof v === 'string' || typeof v === 'number' ? parse(String(v)) : undefined;
    if (parts) return parts;
    return fail('data/bad-date', ctx.path, `${rowLabel(row, ctx.lines)} has ${JSON.stringify(v)} in date column "${s.name}", which does not match ${formatLabel(s.format)}`, s.format === undefined ? 'set format on this feature to say how the dates are written, e.g. format: DD/MM/YYYY' : 'fix the value, or change format (see docs/spec.md for the tokens)');
  };
  parsers.set(s, read);
  return read;
}

/**
 * A date column: parsed with its format (ISO 8601 by default), then encoded as elapsed time since the train
 * minimum scaled by the train range, and as sin/cos of calendar parts. Statistics are fitted on train only.
 */
export const date: FeatureHandler<'date'> = {
  fit(spec, values, ids, ctx) {
    const read = reader(spec);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let n = 0;
    values.forEach((v, k) => {
      const id = must(ids[k], 'one row id per value');
      const p = read(v, id, ctx);
      if (p === null) {
        if (spec.missing === 'error') fail('data/missing-value', ctx.path, `${rowLabel(id, ctx.lines)} has no value in date column "${spec.name}"`, 'fill it in, or set missing: mean or missing: drop on this feature');
        return;
      }
      const t = instantOf(p);
      min = Math.min(min, t);
      max = Math.max(max, t);
      sum += t;
      n += 1;
    });
    if (n === 0) fail('data/no-values', ctx.path, `date column "${spec.name}" has no values in the train split`);
    const base = { name: spec.name, type: 'date' as const, encodings: [...spec.encodings], missing: spec.missing, min, range: max - min, mean: sum / n };
    return { ...base, ...(spec.format === undefined ? {} : { format: spec.format }), ...(spec.missingValues === undefined ? {} : { missingValues: [...spec.missingValues] }) };
  },
  shape: (s) => [s.encodings.reduce((w, e) => w + widthOf(e), 0)],
  dtype: () => 'float32',
  drops: (s, v) => s.missing === 'drop' && missingTest(s.missingValues)(v),
  encode(s, v, out, offset, row, ctx) {
    const p = reader(s)(v, row, ctx);
    if (p === null && s.missing !== 'mean') fail('data/missing-value', ctx.path, `${rowLabel(row, ctx.lines)} has no value in date column "${s.name}"`, 'fill it in, or set missing: mean or missing: drop on this feature');
    let at = offset;
    for (const e of s.encodings) {
      if (e === 'elapsed') {
        // A constant train column (range 0) gives 0 for its value; days since it for others keep the scale sane.
        const t = p === null ? s.mean : instantOf(p);
        out[at] = (t - s.min) / (s.range || DAY);
      } else {
        const angle = p === null ? undefined : 2 * Math.PI * DATE_CYCLES[e](p);
        out[at] = angle === undefined ? 0 : Math.sin(angle);
        out[at + 1] = angle === undefined ? 0 : Math.cos(angle);
      }
      at += widthOf(e);
    }
  },
};
