import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
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
