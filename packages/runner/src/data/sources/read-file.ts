import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decodeUtf8, describeBadByte } from '@kiln/core/spec';
import { KilnFailure } from '@kiln/core/errors';
import { fail } from '../table.ts';

/** Reads a source file (path relative to the pipeline's folder) and hashes its bytes; a clear error if it is missing. */
export async function readSourceFile(path: string, baseDir: string): Promise<{ bytes: Buffer; hash: string; file: string }> {
  const file = resolve(baseDir, path);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    fail('data/file-not-found', 'data.source.path', code === 'ENOENT' ? `data file not found: ${file}` : `cannot read data file ${file} (${code})`, `the path is resolved from the pipeline's folder (${baseDir})`);
  }
  return { bytes, hash: createHash('sha256').update(bytes).digest('hex'), file };
}

/** A text source's bytes as a string (BOM dropped); bytes that are not UTF-8 are a located error, not a silent U+FFFD. */
export function decodeText(bytes: Uint8Array, file: string): string {
  const r = decodeUtf8(bytes);
  if ('text' in r) return r.text;
  throw new KilnFailure({ code: 'data/not-utf8', path: 'data.source.path', file, line: r.bad.line, col: r.bad.col, message: describeBadByte(r.bad), hint: 'save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)' });
}
