/**
 * Date parsing for `type: date` features and `split.by`: ISO 8601 by default, or an explicit format
 * of tokens (YYYY-MM-DD, DD/MM/YYYY HH:mm, MMM D YYYY ...). No Date.parse: it reads the same text
 * differently per engine and per machine time zone; here a value means one thing everywhere.
 */
// a type only: this module stays import-free at run time (kiln-model.js, the exported models' module, bundles it)
import type { DateEncoding } from '@kiln/core';

/** A parsed value: the wall-clock parts as written, and the zone offset when the value carries one. */
export interface DateParts {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  /** Minutes east of UTC as written (+02:00 is 120); null when the value has no zone (taken as UTC). */
  offset: number | null;
}

/** Text -> parts, or undefined when the text does not match (or names an impossible date such as 2023-02-30). */
export type DateParser = (text: string) => DateParts | undefined;

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** Milliseconds from a fraction of a second written with 1-9 digits. */
const msOf = (frac: string | undefined) => (frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);

/** Minutes east of UTC from Z, +02, +02:00 or +0200. */
function offsetOf(zone: string | undefined): number | null {
  if (!zone) return null;
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The parts when they name a real moment, else undefined. */
function checked(p: DateParts): DateParts | undefined {
  const ok =
    p.month >= 1 && p.month <= 12 && p.day >= 1 && p.day <= daysIn(p.year, p.month) && p.hour <= 23 && p.minute <= 59 && p.second <= 59 && (p.offset === null || Math.abs(p.offset) <= 18 * 60);
  return ok ? p : undefined;
}

/** ISO 8601 dates and date-times (extended form), with an optional zone. */
export const parseIso: DateParser = (text) => {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const n = (i: number) => Number(m[i] ?? '0');
  return checked({ year: n(1), month: n(2), day: n(3), hour: n(4), minute: n(5), second: n(6), ms: msOf(m[7]), offset: offsetOf(m[8]) });
};

type Setter = (p: DateParts, s: string, pm: { pm?: boolean }) => void;
interface Token {
  re: string;
  set: Setter;
}

const num = (re: string, key: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second'): Token => ({ re, set: (p, s) => (p[key] = Number(s)) });
const monthName = (len: 'short' | 'long'): Token => ({
  re: len === 'short' ? '[A-Za-z]{3}' : '[A-Za-z]{3,9}',
  set: (p, s) => (p.month = 1 + MONTHS.findIndex((m) => (len === 'short' ? m.slice(0, 3) : m) === s.toLowerCase())),
});

/** Format tokens, longest first so MMMM wins over MM. */
const TOKENS: [string, Token][] = [
  ['YYYY', num('\\d{4}', 'year')],
  ['MMMM', monthName('long')],
  ['MMM', monthName('short')],
  ['SSS', { re: '\\d{1,9}', set: (p, s) => (p.ms = msOf(s)) }],
  ['YY', { re: '\\d{2}', set: (p, s) => (p.year = Number(s) < 70 ? 2000 + Number(s) : 1900 + Number(s)) }],
  ['MM', num('\\d{2}', 'month')],
  ['DD', num('\\d{2}', 'day')],
  ['HH', num('\\d{2}', 'hour')],
  ['hh', num('\\d{2}', 'hour')],
  ['mm', num('\\d{2}', 'minute')],
  ['ss', num('\\d{2}', 'second')],
  ['M', num('\\d{1,2}', 'month')],
  ['D', num('\\d{1,2}', 'day')],
  ['H', num('\\d{1,2}', 'hour')],
  ['h', num('\\d{1,2}', 'hour')],
  ['A', { re: '[AaPp][Mm]', set: (_p, s, pm) => (pm.pm = s.toLowerCase() === 'pm') }],
  ['Z', { re: 'Z|z|[+-]\\d{2}(?::?\\d{2})?', set: (p, s) => (p.offset = offsetOf(s)) }],
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Compiles a format such as "DD/MM/YYYY HH:mm" into a parser; parts the format lacks default to 1 January 2000, 00:00. */
export function formatParser(format: string): DateParser {
  const setters: Setter[] = [];
  let re = '';
  let twelveHour = false;
  for (let i = 0; i < format.length; ) {
    if (format[i] === '[') {
      const end = format.indexOf(']', i);
      const stop = end < 0 ? format.length : end;
      re += escape(format.slice(i + 1, stop));
      i = stop + 1;
      continue;
    }
    const hit = TOKENS.find(([t]) => format.startsWith(t, i));
    if (hit) {
      const [name, token] = hit;
      if (name === 'hh' || name === 'h') twelveHour = true;
      re += `(${token.re})`;
      setters.push(token.set);
      i += name.length;
    } else {
      re += escape(format.charAt(i));
      i += 1;
    }
  }
  const compiled = new RegExp(`^${re}$`);
  return (text) => {
    const m = compiled.exec(text.trim());
    if (!m) return undefined;
    const p: DateParts = { year: 2000, month: 1, day: 1, hour: 0, minute: 0, second: 0, ms: 0, offset: null };
    const half: { pm?: boolean } = {};
    setters.forEach((set, k) => set(p, m[k + 1] ?? '', half));
    if (twelveHour) {
      if (p.hour < 1 || p.hour > 12) return undefined;
      p.hour = (p.hour % 12) + (half.pm ? 12 : 0);
    }
    return checked(p);
  };
}

/** The parser for a feature's `format`, or ISO 8601 when it has none. */
export function dateParser(format: string | undefined): DateParser {
  return format === undefined ? parseIso : formatParser(format);
}

/** Milliseconds since 1970-01-01 UTC of the moment written (the zone's offset applied; no zone counts as UTC). */
export function instantOf(p: DateParts): number {
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.ms) - (p.offset ?? 0) * 60_000;
}

/** How a date is described in an error: the format a value must match. */
export function formatLabel(format: string | undefined): string {
  return format === undefined ? 'ISO 8601 (e.g. 2024-03-01 or 2024-03-01T14:30:00+02:00)' : `format "${format}"`;
}

/** Fraction of the way through a cycle, per calendar encoding (0 at its start). */
export const DATE_CYCLES: Record<Exclude<DateEncoding, 'elapsed'>, (p: DateParts) => number> = {
  month: (p) => (p.month - 1) / 12,
  // Monday first (ISO 8601): getUTCDay() counts from Sunday.
  dayOfWeek: (p) => ((new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay() + 6) % 7) / 7,
  dayOfYear: (p) => {
    const start = Date.UTC(p.year, 0, 1);
    return (Date.UTC(p.year, p.month - 1, p.day) - start) / (Date.UTC(p.year + 1, 0, 1) - start);
  },
  hour: (p) => (p.hour + p.minute / 60 + p.second / 3600) / 24,
};
