import { DEFAULT_MISSING_MARKERS, describeMissingMarkers, isMissingValue } from '@kiln/core/catalog';
import { fail, rowLabel } from '../table.ts';
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

/** Which column a value came from and which cells count as missing in it (the default markers when absent). */
export interface NumberColumn {
  column?: string;
  markers?: readonly string[];
}

/** A raw value as a number; null when missing (see @kiln/core/catalog missing markers); a KilnError naming the row, the value and the markers when it is not a finite decimal number. */
export function toNumber(v: unknown, row: number, ctx: ColumnContext, what = 'numeric', col: NumberColumn = {}): number | null {
  if (typeof v === 'number' && Number.isFinite(v) && col.markers === undefined) return v;
  if (isMissingValue(v, col.markers)) return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  const n = typeof v === 'string' ? parseDecimal(v) : undefined;
  if (n !== undefined) return n;
  return fail('data/not-a-number', ctx.path, `${rowLabel(row, ctx.lines)} has ${JSON.stringify(v)} in the ${what} column${col.column === undefined ? '' : ` "${col.column}"`}`, notANumberHint(v, what, col.markers));
}

/** What to do about a value that is not a number: the cells that count as missing, and how to add one. */
function notANumberHint(v: unknown, what: string, markers: readonly string[] | undefined): string {
  const missing = `cells that count as missing here: ${describeMissingMarkers(markers)} (spaces around them and case ignored)`;
  if (typeof v !== 'string') return `${missing}; numbers are decimal (-1.5, 2e-3)`;
  const where = what === 'target' ? 'data.source.missingValues' : 'missingValues on this feature (or data.source.missingValues for every column)';
  const list = [...(markers ?? DEFAULT_MISSING_MARKERS).filter((m) => m.trim() !== ''), v.trim()].map((m) => JSON.stringify(m)).join(', ');
  return `${missing}. If ${JSON.stringify(v.trim())} means missing, list it in ${where}, e.g. missingValues: [${list}] (the list replaces the defaults); otherwise fix the value. Numbers are decimal (-1.5, 2e-3; not 0x10 or Infinity)`;
}
