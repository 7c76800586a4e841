import { fail, isMissing, rowLabel } from '../table.ts';
import type { ColumnContext } from './types.ts';

/**
 * A decimal number as written in a data file: optional sign, digits with an optional fraction, an
 * optional exponent; spaces around it are ignored. Not numbers here, though JavaScript's Number()
 * takes them: hex/octal/binary (0x10 would silently become 16), Infinity and NaN, and a value whose
 * magnitude overflows to infinity (1e999).
 */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a decimal number written as text; undefined when it is not one (see DECIMAL) or not finite. */
export function parseDecimal(s: string): number | undefined {
  const t = s.trim();
  if (!DECIMAL.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** A raw value as a number; null when missing; a KilnError naming the row and the value when it is not a finite decimal number. */
export function toNumber(v: unknown, row: number, ctx: ColumnContext, what = 'numeric'): number | null {
  if (isMissing(v)) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  const n = typeof v === 'string' ? parseDecimal(v) : undefined;
  if (n !== undefined) return n;
  const why = typeof v === 'string' && v.trim() === '' ? 'only spaces' : JSON.stringify(v);
  return fail('data/not-a-number', ctx.path, `${rowLabel(row, ctx.lines)} has ${why} in the ${what} column`, 'numbers are decimal (e.g. -1.5, 2e-3; not 0x10, Infinity, NaN or beyond ±1.8e308); use a category feature for non-numeric values, or fix the value');
}
