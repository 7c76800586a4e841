import { fail, isMissing, rowLabel } from '../table.ts';
import type { ColumnContext } from './types.ts';

/** A raw value as a number; null when missing; a KilnError naming the row and the value when it is not a finite number. */
export function toNumber(v: unknown, row: number, ctx: ColumnContext, what = 'numeric'): number | null {
  if (isMissing(v)) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (Number.isFinite(n)) return n;
  }
  return fail('data/not-a-number', ctx.path, `${rowLabel(row, ctx.lines)} has ${JSON.stringify(v)} in the ${what} column`, 'use a category feature for non-numeric values, or fix the value');
}
