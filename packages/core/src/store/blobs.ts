/**
 * Artifact contents in the store's own tables (schema-blobs.ts): written a chunk at a time from a
 * file, read back a chunk at a time, so neither side holds a whole model in memory. A content
 * already stored (same sha256) is not written again.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { KilnFailure, kilnError } from '../errors.ts';
import type { Store } from './open.ts';
import { blobChunks, blobs } from './schema-blobs.ts';
import { withBusyRetry } from './retry.ts';

/** Bytes per stored chunk: large enough that a model is a few rows, small enough to stream. */
export const CHUNK_SIZE = 1024 * 1024;

export interface BlobInfo {
  sha256: string;
  size: number;
  chunks: number;
}

/** The stored blob with this sha256, or undefined when the store does not hold it (complete). */
export async function blobInfo(store: Store, sha256: string): Promise<BlobInfo | undefined> {
  const [row] = await store.db.select({ sha256: blobs.sha256, size: blobs.size, chunks: blobs.chunks }).from(blobs).where(eq(blobs.sha256, sha256));
  return row;
}

/** Re-slices a byte stream into CHUNK_SIZE pieces (a file stream's reads need not line up). */
async function* fixedChunks(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for await (const piece of source) {
    pending.push(piece);
    length += piece.length;
    while (length >= CHUNK_SIZE) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, CHUNK_SIZE);
      pending = [all.subarray(CHUNK_SIZE)];
      length = all.length - CHUNK_SIZE;
    }
  }
  if (length > 0 || pending.length === 0) yield Buffer.concat(pending);
}

/**
 * Stores the bytes of `source` under `sha256` unless they are there already. The content is hashed
 * again as it is written; when it differs from `sha256` (the file changed underneath) nothing is
 * recorded and a KilnFailure says so.
 */
export async function putBlob(store: Store, sha256: string, source: AsyncIterable<Buffer>, what: string): Promise<BlobInfo> {
  const existing = await blobInfo(store, sha256);
  if (existing !== undefined) return existing;
  const hash = createHash('sha256');
  let size = 0;
  let idx = 0;
  for await (const data of fixedChunks(source)) {
    hash.update(data);
    size += data.length;
    const at = idx++;
    // A chunk left by a writer that died midway is overwritten; its blob row was never written.
    await withBusyRetry(() =>
      store.db
        .insert(blobChunks)
        .values({ sha256, idx: at, data })
        .onConflictDoUpdate({ target: [blobChunks.sha256, blobChunks.idx], set: { data } }),
    );
  }
  const written = hash.digest('hex');
  if (written !== sha256) {
    throw new KilnFailure(kilnError('artifact/changed-while-storing', '', `${what} changed while it was being stored (sha256 ${written.slice(0, 12)}, expected ${sha256.slice(0, 12)})`, 'let whatever writes the file finish, then log it again'));
  }
  await withBusyRetry(() => store.db.insert(blobs).values({ sha256, size, chunkSize: CHUNK_SIZE, chunks: idx, createdAt: Date.now() }).onConflictDoNothing());
  return { sha256, size, chunks: idx };
}

/** Stores a file's content (streamed) under its sha256, computed beforehand by the caller. */
export function putFileBlob(store: Store, sha256: string, file: string): Promise<BlobInfo> {
  return putBlob(store, sha256, createReadStream(file, { highWaterMark: CHUNK_SIZE }) as AsyncIterable<Buffer>, file);
}

/** The blob's bytes, one chunk (one query) at a time; a missing chunk is a KilnFailure. */
export async function* blobBytes(store: Store, blob: BlobInfo, what: string): AsyncGenerator<Buffer> {
  for (let idx = 0; idx < blob.chunks; idx++) {
    const [row] = await store.db
      .select({ data: blobChunks.data })
      .from(blobChunks)
      .where(and(eq(blobChunks.sha256, blob.sha256), eq(blobChunks.idx, idx)));
    if (row === undefined) throw new KilnFailure(kilnError('artifact/missing', '', `${what} is incomplete in the store: chunk ${idx + 1} of ${blob.chunks} is missing`, 'log the artifact again from a machine that has it, or train the run again'));
    yield Buffer.from(row.data);
  }
}
