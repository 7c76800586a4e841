import type { SourceSpec } from '@kiln/core';
import { KilnFailure } from '@kiln/core/errors';
import type { Table } from '../table.ts';
import { estimateRows, RAW_PLAN, TableBuilder } from './columns.ts';
import { hashSourceFile, streamTextFile } from './read-file.ts';
import type { LoadOptions, OpenedSource, SourceContext } from './types.ts';

/** A located JSONL error: the file and the line. */
function lineError(file: string, line: number, message: string, hint: string): never {
  throw new KilnFailure({ code: 'data/jsonl-syntax', path: 'data.source.path', file, line, col: 1, message, hint });
}

/** One line's object into the builder; every column it lacks is missing in this row. */
function addLine(builder: TableBuilder, text: string, line: number, file: string): void {
  const s = text.trim();
  if (s === '') return;
  let v: unknown;
  try {
    v = JSON.parse(s);
  } catch (e) {
    lineError(file, line, `line ${line} is not valid JSON: ${(e as Error).message}`, 'each line must hold one JSON object');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) lineError(file, line, `line ${line} is not a JSON object`, 'each line must hold one JSON object, e.g. {"x": 1, "y": "a"}');
  const obj = v as Record<string, unknown>;
  for (const k of Object.keys(obj)) builder.column(k);
  for (const [name, c] of builder.entries()) c.pushValue(obj[name]);
  builder.endRow(line);
}

/** Reads a JSON Lines file as a stream, line by line, into typed columns. */
export async function readJsonl(file: string, size: number, opts: LoadOptions = {}): Promise<Table> {
  const builder = new TableBuilder(opts.plan ?? RAW_PLAN);
  let rest = '';
  let line = 0;
  let read = 0;
  const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
  await streamTextFile(
    file,
    (chunk) => {
      const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) addLine(builder, l, ++line, file);
      if (read === 0 && builder.length > 0) builder.expect(estimateRows(size, chunk.length, builder.length));
      read += chunk.length;
    },
    { size, rows: () => builder.length, ...(opts.progress ? { progress: true } : {}) },
  );
  addLine(builder, rest + decoder.decode(), ++line, file);
  return builder.finish(true);
}

/** A JSON Lines file: one object per non-blank line. */
export async function openJsonl(spec: Extract<SourceSpec, { type: 'jsonl' }>, ctx: SourceContext): Promise<OpenedSource> {
  const { hash, file, size } = await hashSourceFile(spec.path, ctx.baseDir);
  return { hash, load: (opts) => readJsonl(file, size, opts) };
}
