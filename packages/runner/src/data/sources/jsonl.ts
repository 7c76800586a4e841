import type { SourceSpec } from '@kiln/core';
import { fail, tableFromRows, type Row } from '../table.ts';
import { decodeText, readSourceFile } from './read-file.ts';
import type { OpenedSource, SourceContext } from './types.ts';

/** A JSON Lines file: one object per non-blank line. */
export async function openJsonl(spec: Extract<SourceSpec, { type: 'jsonl' }>, ctx: SourceContext): Promise<OpenedSource> {
  const { bytes, hash, file } = await readSourceFile(spec.path, ctx.baseDir);
  return {
    hash,
    load: async () => {
      const rows: Row[] = [];
      const lines: number[] = [];
      const text = decodeText(bytes, file);
      text.split('\n').forEach((raw, k) => {
        const s = raw.trim();
        if (s === '') return;
        let v: unknown;
        try {
          v = JSON.parse(s);
        } catch (e) {
          fail('data/jsonl-syntax', 'data.source.path', `line ${k + 1} is not valid JSON: ${(e as Error).message}`, 'each line must hold one JSON object');
        }
        if (v === null || typeof v !== 'object' || Array.isArray(v)) fail('data/jsonl-syntax', 'data.source.path', `line ${k + 1} is not a JSON object`, 'each line must hold one JSON object, e.g. {"x": 1, "y": "a"}');
        rows.push(v as Row);
        lines.push(k + 1);
      });
      return tableFromRows(rows, undefined, Int32Array.from(lines));
    },
  };
}
