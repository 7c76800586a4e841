import { missingTest, type MissingTest } from '@kiln/core/catalog';
import { tableOf, type Column, type Table } from '../table.ts';
import { parseDecimal } from '../preprocess/number.ts';
import type { CsvRecord } from './csv-parse.ts';

/** How a reader stores one column: as numbers (missing cells by `missing`) when it may, or as the raw text. */
export interface ColumnPlan {
  numeric: boolean;
  missing: MissingTest;
  /** Some marker reads as a number (e.g. -999): every cell must be checked against the markers first. */
  numericMarkers: boolean;
}

/** Which plan a column gets, by name. */
export type PlanOf = (name: string) => ColumnPlan;

const DEFAULT_TEST = missingTest();

/** Every column kept as its raw text: nothing can be lost (predict, or when nothing says which columns are numbers). */
export const RAW_PLAN: PlanOf = () => ({ numeric: false, missing: DEFAULT_TEST, numericMarkers: false });

/** Rows a column holds before the reader has an estimate of the total. */
const INITIAL = 1024;

/**
 * A growing typed array. The reader estimates the total row count early (from the file size and the bytes per
 * row so far) and the arrays are sized to it once, so they are neither copied again nor finished by a copy
 * (which would hold every column twice at the end of a big read); an estimate too low grows by half.
 */
class Grow<T extends Float64Array | Int32Array> {
  private data: T;
  length = 0;

  constructor(private readonly make: (n: number) => T) {
    this.data = make(INITIAL);
  }

  push(v: number): void {
    if (this.length === this.data.length) this.reserve(Math.ceil(this.data.length * 1.5));
    this.data[this.length++] = v;
  }

  /** Makes room for n values in all (never shrinks). */
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = this.make(n);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  /** The values: a view of exactly `length` (the slack of the estimate stays allocated, a few percent). */
  finish(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const numbers = () => new Grow((n) => new Float64Array(n));

/** One column being read: numbers while every cell is one (or missing), the raw values from the first cell that is not. */
export class ColumnBuilder {
  private nums: Grow<Float64Array> | undefined;
  private raw: unknown[] | undefined;
  private text = true;

  constructor(
    private readonly plan: ColumnPlan,
    missingSoFar = 0,
  ) {
    if (plan.numeric) this.nums = numbers();
    else this.raw = [];
    for (let i = 0; i < missingSoFar; i++) this.pushValue(null);
  }

  /** Field k of a CSV record. */
  pushField(rec: CsvRecord, k: number): void {
    const nums = this.nums;
    if (nums) {
      const fast = this.plan.numericMarkers ? undefined : rec.number(k);
      if (fast !== undefined) return nums.push(fast);
    }
    this.pushText(rec.text(k));
  }

  /** A CSV cell's text (null: empty unquoted). */
  private pushText(t: string | null): void {
    const nums = this.nums;
    if (nums) {
      if (t === null || this.plan.missing(t)) return nums.push(NaN);
      const n = parseDecimal(t);
      if (n !== undefined) return nums.push(n);
      this.toRaw();
    }
    this.raw?.push(t);
  }

  /** A JSON value (undefined: the key is absent from this record). */
  pushValue(v: unknown): void {
    const nums = this.nums;
    if (nums) {
      if (v === null || v === undefined) return nums.push(NaN);
      if (typeof v === 'number') return nums.push(v);
      if (typeof v === 'string' && this.plan.missing(v)) return nums.push(NaN);
      this.toRaw();
    }
    if (typeof v !== 'string' && v !== null && v !== undefined) this.text = false;
    this.raw?.push(v ?? null);
  }

  /** From numbers to raw values: numbers as they were read, missing cells as null. */
  private toRaw(): void {
    const nums = this.nums;
    if (!nums) return;
    this.raw = Array.from(nums.finish(), (v) => (Number.isNaN(v) ? null : String(v)));
    this.nums = undefined;
  }

  /** Expects about n rows in all. */
  reserve(n: number): void {
    this.nums?.reserve(n);
  }

  /** The finished column. */
  finish(): Column {
    if (this.nums) return { kind: 'number', values: this.nums.finish() };
    const values = this.raw ?? [];
    return this.text ? { kind: 'string', values: values as (string | null)[] } : { kind: 'value', values };
  }
}

/** Builds a table row by row from named columns; columns that appear late are missing in earlier rows. */
export class TableBuilder {
  private readonly cols = new Map<string, ColumnBuilder>();
  private readonly lines = new Grow((n) => new Int32Array(n));
  private expected = 0;
  length = 0;

  constructor(private readonly plan: PlanOf) {}

  /** Every column so far, by name. */
  entries(): IterableIterator<[string, ColumnBuilder]> {
    return this.cols.entries();
  }

  /** The builder of column `name`, created (missing so far) when new. */
  column(name: string): ColumnBuilder {
    let c = this.cols.get(name);
    if (!c) {
      c = new ColumnBuilder(this.plan(name), this.length);
      c.reserve(this.expected);
      this.cols.set(name, c);
    }
    return c;
  }

  /** Sizes every column for about `rows` rows in all (an estimate: more still fit, by growing). */
  expect(rows: number): void {
    this.expected = rows;
    this.lines.reserve(rows);
    for (const c of this.cols.values()) c.reserve(rows);
  }

  /** Ends a row that started on `line` (0 when the source has no lines). */
  endRow(line: number): void {
    this.lines.push(line);
    this.length++;
  }

  /** The finished table; `withLines` keeps each row's line number. */
  finish(withLines: boolean): Table {
    const columns = new Map<string, Column>();
    for (const [name, c] of this.cols) columns.set(name, c.finish());
    return withLines ? tableOf(this.length, columns, this.lines.finish()) : tableOf(this.length, columns);
  }
}

/** An estimate of the rows in a file of `size` bytes after `rows` rows in its first `read` bytes (10% over, so one allocation usually holds all). */
export function estimateRows(size: number, read: number, rows: number): number {
  return rows > 0 && read > 0 ? Math.ceil((size / read) * rows * 1.1) + 16 : 0;
}
