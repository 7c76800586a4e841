import type { SourceSpec } from '@kiln/core';
import { tableOf, type Column } from '../table.ts';
import { parseCsv } from './csv-parse.ts';
import { decodeText, readSourceFile } from './read-file.ts';
import type { OpenedSource, SourceContext } from './types.ts';

/** A CSV file: every value stays a string (null when the cell is empty); features parse them. */
export async function openCsv(spec: Extract<SourceSpec, { type: 'csv' }>, ctx: SourceContext): Promise<OpenedSource> {
  const { bytes, hash, file } = await readSourceFile(spec.path, ctx.baseDir);
  return {
    hash,
    load: async () => {
      const { header, records, lines } = parseCsv(decodeText(bytes, file), 'data.source.path', file);
      const columns = new Map<string, Column>(header.map((name, k) => [name, { kind: 'string', values: records.map((r) => r[k] ?? null) }]));
      return tableOf(records.length, columns, Int32Array.from(lines));
    },
  };
}
