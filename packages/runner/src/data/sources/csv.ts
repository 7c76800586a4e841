import type { SourceSpec } from '@kiln/core';
import type { Row } from '../table.ts';
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
      const rows = records.map((rec) => {
        const row: Row = {};
        header.forEach((name, k) => (row[name] = rec[k]));
        return row;
      });
      return { rows, columns: header, lines: Int32Array.from(lines) };
    },
  };
}
