import type { SourceSpec } from '@kiln/core';
import type { Table } from '../table.ts';
import { estimateRows, RAW_PLAN, TableBuilder, type ColumnBuilder } from './columns.ts';
import { CsvParser } from './csv-parse.ts';
import { hashSourceFile, streamTextFile } from './read-file.ts';
import type { LoadOptions, OpenedSource, SourceContext } from './types.ts';

/** Reads a CSV file as a stream into typed columns (see columnPlan: numbers where allowed, raw text elsewhere). */
export async function readCsv(file: string, size: number, opts: LoadOptions = {}): Promise<Table> {
  const builder = new TableBuilder(opts.plan ?? RAW_PLAN);
  let cols: ColumnBuilder[] = [];
  const parser = new CsvParser(
    { path: 'data.source.path', file },
    {
      header: (names) => (cols = names.map((n) => builder.column(n))),
      row: (rec, line) => {
        cols.forEach((c, k) => c.pushField(rec, k));
        builder.endRow(line);
      },
    },
  );
  let read = 0;
  const onChunk = (chunk: Buffer) => {
    parser.push(chunk);
    // Size the columns once, from the first rows: no regrowth, no final copy.
    if (read === 0 && builder.length > 0) builder.expect(estimateRows(size, chunk.length, builder.length));
    read += chunk.length;
  };
  await streamTextFile(file, onChunk, { size, rows: () => builder.length, ...(opts.progress ? { progress: true } : {}) });
  parser.end();
  return builder.finish(true);
}

/** A CSV file: the hash streams over the bytes at once, the rows are read (streamed) only when needed. */
export async function openCsv(spec: Extract<SourceSpec, { type: 'csv' }>, ctx: SourceContext): Promise<OpenedSource> {
  const { hash, file, size } = await hashSourceFile(spec.path, ctx.baseDir);
  return { hash, load: (opts) => readCsv(file, size, opts) };
}
