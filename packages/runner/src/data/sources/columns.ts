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

const CHUNK = 1 << 16;

/** A growing Float64Array kept in fixed chunks, so growth never copies (or doubles) what was read. */
class NumberChunks {
  private chunks: Float64Array[] = [];
  private last = new Float64Array(CHUNK);
  private used = 0;
  length = 0;

  push(v: number): void {
    if (this.used === CHUNK) {
      this.chunks.push(this.last);
      this.last = new Float64Array(CHUNK);
      this.used = 0;
    }
    this.last[this.used++] = v;
    this.length++;
  }

  /** One array of exactly `length` values; the chunks are released. */
  finish(): Float64Array {
    const out = new Float64Array(this.length);
    this.chunks.forEach((c, k) => out.set(c, k * CHUNK));
    out.set(this.last.subarray(0, this.used), this.chunks.length * CHUNK);
    this.chunks = [];
    return out;
  }

  /** The values so far, one by one (to convert a column that turned out not to be numeric). */
  *values(): Generator<number> {
    for (const c of this.chunks) yield* c;
    yield* this.last.subarray(0, this.used);
  }
}

/** One column being read: numbers while every cell is one (or missing), the raw values from the first cell that is not. */
export class ColumnBuilder {
  private nums: NumberChunks | undefined;
  private raw: unknown[] | undefined;
  private text = true;

  constructor(
    private readonly plan: ColumnPlan,
    missingSoFar = 0,
  ) {
    if (plan.numeric) this.nums = new NumberChunks();
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
    this.raw = Array.from(nums.values(), (v) => (Number.isNaN(v) ? null : String(v)));
    this.nums = undefined;
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
  private lineChunks: Int32Array[] = [];
  private lineLast = new Int32Array(CHUNK);
  private lineUsed = 0;
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
      this.cols.set(name, c);
    }
    return c;
  }

  /** Ends a row that started on `line` (0 when the source has no lines). */
  endRow(line: number): void {
    if (this.lineUsed === CHUNK) {
      this.lineChunks.push(this.lineLast);
      this.lineLast = new Int32Array(CHUNK);
      this.lineUsed = 0;
    }
    this.lineLast[this.lineUsed++] = line;
    this.length++;
  }

  /** The finished table; `withLines` keeps each row's line number. */
  finish(withLines: boolean): Table {
    const columns = new Map<string, Column>();
    for (const [name, c] of this.cols) columns.set(name, c.finish());
    if (!withLines) return tableOf(this.length, columns);
    const lines = new Int32Array(this.length);
    this.lineChunks.forEach((c, k) => lines.set(c, k * CHUNK));
    lines.set(this.lineLast.subarray(0, this.lineUsed), this.lineChunks.length * CHUNK);
    return tableOf(this.length, columns, lines);
  }
}
