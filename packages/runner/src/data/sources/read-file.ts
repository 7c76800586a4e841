import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { resolve } from 'node:path';
import { decodeUtf8, describeBadByte } from '@kiln/core/spec';
import { KilnFailure } from '@kiln/core/errors';
import { fail } from '../table.ts';
import { LoadProgress } from './progress.ts';

/** Bytes per read: large enough that per-chunk work is noise, small enough to keep memory flat. */
const CHUNK_BYTES = 1 << 20;

/** A located error for a source file that cannot be read. */
function unreadable(file: string, baseDir: string, e: unknown): never {
  const code = (e as NodeJS.ErrnoException).code;
  return fail('data/file-not-found', 'data.source.path', code === 'ENOENT' ? `data file not found: ${file}` : `cannot read data file ${file} (${code})`, `the path is resolved from the pipeline's folder (${baseDir})`);
}

/** Reads a source file (path relative to the pipeline's folder) and hashes its bytes; a clear error if it is missing. */
export async function readSourceFile(path: string, baseDir: string): Promise<{ bytes: Buffer; hash: string; file: string }> {
  const file = resolve(baseDir, path);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    unreadable(file, baseDir, e);
  }
  return { bytes, hash: createHash('sha256').update(bytes).digest('hex'), file };
}

/**
 * Reads a file chunk by chunk into one reused buffer: no garbage per chunk, so memory stays flat however big the
 * file (a stream's fresh buffer per chunk is freed only when the collector gets to it, which a fast reader outruns).
 * `onChunk` must be done with the bytes when it returns; returning false stops the read.
 */
async function readChunks(file: string, onChunk: (chunk: Buffer, read: number) => boolean | void): Promise<void> {
  const fh = await open(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let read = 0;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      read += bytesRead;
      if (onChunk(buf.subarray(0, bytesRead), read) === false) return;
    }
  } finally {
    await fh.close();
  }
}

/** Hashes a source file chunk by chunk (the whole file is never in memory); a clear error if it is missing. */
export async function hashSourceFile(path: string, baseDir: string): Promise<{ hash: string; file: string; size: number }> {
  const file = resolve(baseDir, path);
  const h = createHash('sha256');
  let size = 0;
  try {
    size = (await stat(file)).size;
    await readChunks(file, (chunk) => {
      h.update(chunk);
    });
  } catch (e) {
    unreadable(file, baseDir, e);
  }
  return { hash: h.digest('hex'), file, size };
}

/** A text source's bytes as a string (BOM dropped); bytes that are not UTF-8 are a located error, not a silent U+FFFD. */
export function decodeText(bytes: Uint8Array, file: string): string {
  const r = decodeUtf8(bytes);
  if ('text' in r) return r.text;
  throw new KilnFailure({ code: 'data/not-utf8', path: 'data.source.path', file, line: r.bad.line, col: r.bad.col, message: describeBadByte(r.bad), hint: 'save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)' });
}

/** Where the last complete UTF-8 character of b ends (a chunk may stop inside one). */
function completeUtf8(b: Buffer): number {
  let i = b.length - 1;
  let back = 0;
  while (i >= 0 && back < 3 && ((b[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < 0) return b.length;
  return i + seqLength(b[i] ?? 0) <= b.length ? b.length : i;
}

/** Bytes in the UTF-8 sequence a lead byte starts. */
const seqLength = (lead: number) => (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1);

/** Checks chunks as they stream by, without copying them: only a character split between two chunks is joined. */
class Utf8Check {
  private carry = Buffer.alloc(0);

  /** Whether the chunk (with the end of the previous one) is UTF-8 so far. */
  ok(chunk: Buffer): boolean {
    let from = 0;
    if (this.carry.length > 0) {
      from = Math.min(chunk.length, seqLength(this.carry[0] ?? 0) - this.carry.length);
      const joined = Buffer.concat([this.carry, chunk.subarray(0, from)]);
      if (joined.length < seqLength(joined[0] ?? 0)) {
        this.carry = joined;
        return true;
      }
      if (!isUtf8(joined)) return false;
    }
    const rest = chunk.subarray(from);
    const cut = completeUtf8(rest);
    this.carry = Buffer.from(rest.subarray(cut));
    return isUtf8(rest.subarray(0, cut));
  }

  /** Whether the file ended on a complete character. */
  complete(): boolean {
    return this.carry.length === 0;
  }
}

export interface StreamOptions {
  /** Size of the file in bytes, for the progress bar's ETA. */
  size: number;
  /** Rows read so far, for the progress bar. */
  rows: () => number;
  /** Show a progress bar on a terminal (stderr) when the read takes more than a second. */
  progress?: boolean;
}

/**
 * Streams a text file's bytes to `onChunk`, checking as it goes that they are UTF-8; bytes that are not are
 * reported as decodeText reports them (located), by reading the file once more on that error path only.
 */
export async function streamTextFile(file: string, onChunk: (chunk: Buffer) => void, opts: StreamOptions): Promise<void> {
  const bar = opts.progress ? new LoadProgress(opts.size) : undefined;
  const utf8 = new Utf8Check();
  let bad = false;
  try {
    await readChunks(file, (chunk, read) => {
      bad = !utf8.ok(chunk);
      if (bad) return false;
      onChunk(chunk);
      bar?.update(read, opts.rows());
      return true;
    });
    if (bad || !utf8.complete()) decodeText(await readFile(file), file);
  } finally {
    bar?.done();
  }
}
