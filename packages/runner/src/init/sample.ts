/**
 * What `kiln init` reads of a data file: the columns, the row count, every row's target cell (the task and its
 * classes need them all: a class may have one row) and a seeded uniform sample of the other columns. A CSV is
 * parsed as a stream and only the sampled rows' cells become strings, so a 200 MB file is never held as a table.
 */
import { mulberry32 } from '../random/rng.ts';
import { cellOf, type Table } from '../data/table.ts';
import { CsvParser, type CsvRecord } from '../data/sources/csv-parse.ts';
import { stat } from 'node:fs/promises';
import { streamTextFile } from '../data/sources/read-file.ts';
import { openSource } from '../data/sources/index.ts';

/** Rows a column's type is guessed from (the target's task is guessed from every row). */
export const SAMPLE_ROWS = 1000;
/** The reservoir's seed: the same file always gives the same sample, so kiln init writes the same pipeline. */
const SAMPLE_SEED = 20261130;

export interface FileSample {
  columns: string[];
  rows: number;
  /** Every row's target cell, or undefined when the file has no such column. */
  target: unknown[] | undefined;
  /** Sampled rows' cells per column (in file order), at most SAMPLE_ROWS each. */
  sample: Map<string, unknown[]>;
}

/**
 * Algorithm R over a stream: row i (0-based) replaces a random slot with chance SAMPLE_ROWS / (i + 1), so every
 * row is equally likely to be kept; `slot` says where row i goes (-1: not kept) before its cells are read.
 */
class Reservoir<T> {
  private readonly rand = mulberry32(SAMPLE_SEED);
  readonly kept: { row: number; value: T }[] = [];

  slot(i: number): number {
    if (i < SAMPLE_ROWS) return i;
    const j = Math.floor(this.rand() * (i + 1));
    return j < SAMPLE_ROWS ? j : -1;
  }

  put(slot: number, row: number, value: T): void {
    this.kept[slot] = { row, value };
  }

  /** The kept values in file order. */
  inOrder(): T[] {
    return [...this.kept].sort((a, b) => a.row - b.row).map((k) => k.value);
  }
}

/** Column -> its cells in the kept rows. */
function byColumn(columns: string[], rows: unknown[][]): Map<string, unknown[]> {
  return new Map(columns.map((c, k) => [c, rows.map((r) => r[k])]));
}

/** Thrown from the header when the target is no column: the rest of the file need not be read to say so. */
class NoTarget extends Error {}

/** Streams a CSV: the header, a reservoir of rows (as text, null for an empty cell) and the target's every cell. */
async function sampleCsv(path: string, target: string, progress: boolean): Promise<FileSample> {
  const file = path;
  const { size } = await stat(file);
  const reservoir = new Reservoir<unknown[]>();
  let columns: string[] = [];
  let targetAt = -1;
  const targets: unknown[] = [];
  const parser = new CsvParser(
    { path: 'FILE', file },
    {
      header: (names) => {
        columns = names;
        targetAt = names.indexOf(target);
        if (targetAt < 0) throw new NoTarget();
      },
      row: (rec: CsvRecord) => {
        const i = targets.length;
        targets.push(rec.text(targetAt));
        const slot = reservoir.slot(i);
        if (slot >= 0) reservoir.put(slot, i, columns.map((_, k) => rec.text(k)));
      },
    },
  );
  try {
    await streamTextFile(file, (chunk) => parser.push(chunk), { size, rows: () => targets.length, progress });
    parser.end();
  } catch (e) {
    if (e instanceof NoTarget) return { columns, rows: 0, target: undefined, sample: new Map() };
    throw e;
  }
  return { columns, rows: targets.length, target: targets, sample: byColumn(columns, reservoir.inOrder()) };
}

/** A loaded table's columns, its target and the same seeded sample (JSON and JSONL, read whole by their sources). */
function sampleTable(table: Table, target: string): FileSample {
  const reservoir = new Reservoir<number>();
  for (let i = 0; i < table.length; i++) {
    const slot = reservoir.slot(i);
    if (slot >= 0) reservoir.put(slot, i, i);
  }
  const rows = reservoir.inOrder();
  const has = table.columns.includes(target);
  return {
    columns: table.columns,
    rows: table.length,
    target: has ? Array.from({ length: table.length }, (_, i) => cellOf(table, i, target)) : undefined,
    sample: new Map(table.columns.map((c) => [c, rows.map((i) => cellOf(table, i, c))])),
  };
}

/** Reads what kiln init needs of a csv, jsonl or json file (absolute path), with a progress bar on a terminal. */
export async function sampleFile(type: 'csv' | 'jsonl' | 'json', path: string, target: string): Promise<FileSample> {
  if (type === 'csv') return sampleCsv(path, target, true);
  const source = await openSource({ type, path }, { baseDir: '/' });
  return sampleTable(await source.load({ progress: true }), target);
}
