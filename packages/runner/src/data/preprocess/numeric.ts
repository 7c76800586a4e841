import { isMissingValue } from '@kiln/core/catalog';
import { must } from '@kiln/core/errors';
import { fail, rowLabel } from '../table.ts';
import { toNumber, type NumberColumn } from './number.ts';
import type { ColumnContext, FeatureHandler, StateOf } from './types.ts';

type State = StateOf<'numeric'>;

/** Standardize (train mean, population std as numpy's ddof 0), min-max scale, or pass through; constant columns map to 0. */
function scale(s: State, v: number): number {
  if (s.normalize === 'standardize') return (v - s.mean) / (s.std || 1);
  if (s.normalize === 'minmax') return s.max > s.min ? (v - s.min) / (s.max - s.min) : 0;
  return v;
}

// encode runs once per cell: its column description is built once per state.
const columns = new WeakMap<State, NumberColumn>();
const columnOf = (s: State): NumberColumn => {
  let c = columns.get(s);
  if (!c) columns.set(s, (c = { column: s.name, ...(s.missingValues ? { markers: s.missingValues } : {}) }));
  return c;
};

/** The located error for a missing value under `missing: error`. */
function missingValue(name: string, row: number, ctx: ColumnContext): never {
  return fail('data/missing-value', ctx.path, `${rowLabel(row, ctx.lines)} has no value in column "${name}"`, 'fill it in, or set missing: mean or missing: drop on this feature');
}

/** A numeric column: statistics fitted on train; missing values (see missingValues) filled with the train mean, dropped, or an error. */
export const numeric: FeatureHandler<'numeric'> = {
  fit(spec, values, ids, ctx) {
    const col = { column: spec.name, ...(spec.missingValues ? { markers: spec.missingValues } : {}) };
    // Sized once: a growing array of a big file's 2M train values is copied on each growth, and those copies were the peak of preparation's memory.
    const all = new Float64Array(values.length);
    let n = 0;
    values.forEach((v, k) => {
      const id = must(ids[k], 'one row id per value');
      const x = toNumber(v, id, ctx, 'numeric', col);
      if (x !== null) all[n++] = x;
      else if (spec.missing === 'error') missingValue(spec.name, id, ctx);
    });
    const xs = all.subarray(0, n);
    if (xs.length === 0) fail('data/no-values', ctx.path, `column "${spec.name}" has no values in the train split`);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const x of xs) {
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const mean = sum / xs.length;
    let sq = 0;
    for (const x of xs) sq += (x - mean) * (x - mean);
    const markers = spec.missingValues ? { missingValues: spec.missingValues } : {};
    return { name: spec.name, type: 'numeric', normalize: spec.normalize, missing: spec.missing, mean, std: Math.sqrt(sq / xs.length), min, max, ...markers };
  },
  shape: () => [1],
  dtype: () => 'float32',
  drops: (s, v) => s.missing === 'drop' && isMissingValue(v, s.missingValues),
  encode(s, v, out, offset, row, ctx) {
    const x = toNumber(v, row, ctx, 'numeric', columnOf(s));
    if (x === null && s.missing !== 'mean') missingValue(s.name, row, ctx);
    out[offset] = scale(s, x ?? s.mean);
  },
};
