import type { SourceSpec } from '@kiln/core';
import { fail, tableFromRows, type Row } from '../table.ts';
import { decodeText, readSourceFile } from './read-file.ts';
import type { OpenedSource, SourceContext } from './types.ts';

/** A JSON file holding an array of objects. */
export async function openJson(spec: Extract<SourceSpec, { type: 'json' }>, ctx: SourceContext): Promise<OpenedSource> {
  const { bytes, hash, file } = await readSourceFile(spec.path, ctx.baseDir);
  return {
    hash,
    load: async () => {
      const text = decodeText(bytes, file);
      let v: unknown;
      try {
        v = JSON.parse(text);
      } catch (e) {
        fail('data/json-syntax', 'data.source.path', `not valid JSON: ${(e as Error).message}`);
      }
      if (!Array.isArray(v)) fail('data/json-shape', 'data.source.path', 'the JSON file must hold an array of objects', 'e.g. [{"x": 1, "y": "a"}, ...]');
      v.forEach((r, i) => {
        if (r === null || typeof r !== 'object' || Array.isArray(r)) fail('data/json-shape', 'data.source.path', `element ${i} of the array is not an object`);
      });
      return tableFromRows(v as Row[]);
    },
  };
}
