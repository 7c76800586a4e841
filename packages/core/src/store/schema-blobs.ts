/**
 * Artifact contents kept in the store itself (a PostgreSQL or remote libsql store, where no folder is
 * shared between machines): one `blobs` row per distinct content, addressed by its sha256, and its
 * bytes in fixed-size `blob_chunks` so a large file streams in and out a chunk at a time. Runs
 * reference contents through artifacts.sha256: the same weights logged by many runs are stored once.
 */
import { sqliteTable, text, integer, blob, primaryKey } from 'drizzle-orm/sqlite-core';

/**
 * One stored content. The row is written after all of its chunks, so a reader never sees a partial
 * blob: a writer that dies midway leaves chunks without a row, which the next writer of the same
 * content overwrites.
 */
export const blobs = sqliteTable('blobs', {
  sha256: text('sha256').primaryKey(),
  size: integer('size').notNull(),
  chunkSize: integer('chunk_size').notNull(),
  chunks: integer('chunks').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** The bytes of a blob, `chunk_size` bytes per row (the last one shorter), in `idx` order. */
export const blobChunks = sqliteTable(
  'blob_chunks',
  {
    sha256: text('sha256').notNull(),
    idx: integer('idx').notNull(),
    data: blob('data', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.sha256, t.idx] })],
);
