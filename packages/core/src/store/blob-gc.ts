/**
 * Freeing stored artifact contents (schema-blobs.ts) that no artifact refers to any more, once the
 * runs that logged them are deleted. Contents are shared between runs (one blob per sha256), so a
 * blob goes only when no `artifacts` row names it, checked in the same write transaction that
 * deletes it. A writer that reused a blob just before it was freed notices (confirmBlob) and
 * stores the content again from its file.
 */
import { inArray, sql, type SQL } from 'drizzle-orm';
import type { Store } from './open.ts';
import { blobChunks, blobs } from './schema-blobs.ts';
import { putFileBlob } from './blobs.ts';

export interface BlobGcResult {
  /** Contents removed. */
  blobs: number;
  /** Their bytes. */
  bytes: number;
}

/** No artifact row names the blob: the condition checked inside the deleting transaction. */
const unreferenced = sql`NOT EXISTS (SELECT 1 FROM artifacts a WHERE a.sha256 = blobs.sha256)`;

/** Blobs among `candidates` (every stored blob when omitted) that no artifact names now: sha256 and size. */
async function unreferencedBlobs(store: Store, candidates?: readonly string[]): Promise<Array<{ sha256: string; size: number }>> {
  const among: SQL = candidates === undefined ? sql`1 = 1` : sql`${inArray(blobs.sha256, [...candidates])}`;
  const rows = await store.conn.rows(sql`SELECT sha256, size FROM blobs WHERE ${among} AND ${unreferenced}`);
  return rows.map((r) => ({ sha256: String(r.sha256), size: Number(r.size) }));
}

/**
 * Deletes the blobs among `candidates` (all when omitted) that no artifact refers to, with their
 * chunks. The row goes first and the chunks only of rows gone, in one transaction: a writer still
 * streaming chunks of a content (its row not yet written) is left alone.
 */
export async function collectBlobs(store: Store, candidates?: readonly string[]): Promise<BlobGcResult> {
  if (store.artifactsIn !== 'store' || (candidates !== undefined && candidates.length === 0)) return { blobs: 0, bytes: 0 };
  const found = await unreferencedBlobs(store, candidates);
  if (found.length === 0) return { blobs: 0, bytes: 0 };
  const shas = found.map((b) => b.sha256);
  await store.conn.writeBatch([
    sql`DELETE FROM blobs WHERE ${inArray(blobs.sha256, shas)} AND ${unreferenced}`,
    sql`DELETE FROM blob_chunks WHERE ${inArray(blobChunks.sha256, shas)} AND NOT EXISTS (SELECT 1 FROM blobs b WHERE b.sha256 = blob_chunks.sha256)`,
  ]);
  // what the transaction left (a blob named again meanwhile stays) tells what it removed
  const kept = new Set((await store.conn.rows(sql`SELECT sha256 FROM blobs WHERE ${inArray(blobs.sha256, shas)}`)).map((r) => String(r.sha256)));
  const gone = found.filter((b) => !kept.has(b.sha256));
  return { blobs: gone.length, bytes: gone.reduce((s, b) => s + b.size, 0) };
}

/**
 * After recording an artifact that reuses a stored blob: makes sure the blob is still there (a
 * concurrent collectBlobs may have freed it between the writer's check and its artifact row) and
 * stores `file` again when it is not. PostgreSQL waits on a collector's uncommitted delete (FOR SHARE).
 */
export async function confirmBlob(store: Store, sha256: string, file: string): Promise<void> {
  const lock = store.dialect === 'pg' ? sql` FOR SHARE` : sql``;
  const rows = await store.conn.rows(sql`SELECT 1 AS one FROM blobs WHERE sha256 = ${sha256}${lock}`);
  if (rows.length === 0) await putFileBlob(store, sha256, file);
}
