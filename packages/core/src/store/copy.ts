/**
 * Copying a whole store into another (e.g. a local file into the team's PostgreSQL): every table,
 * ids kept, then row counts and an order-independent checksum per table compared on both sides.
 */
import { createHash } from 'node:crypto';
import { and, asc, eq, getTableName, type Table } from 'drizzle-orm';
import { must } from '../errors.ts';
import type { Store } from './open.ts';
import type { MetricRow } from './dialect.ts';
import { blobChunks, blobs, metrics, runs, schema } from './schema.ts';

export interface TableReport {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  ok: boolean;
}

/** Tables in foreign-key order (parents first). */
const TABLES: Table[] = Object.values(schema);

/** Max bound parameters per insert, under SQLite's and PostgreSQL's limits. */
const MAX_PARAMS = 30_000;

/** Sum of per-row sha256 prefixes: independent of row order and collation, sensitive to duplicates. */
class Checksum {
  private sum = 0n;
  rows = 0;
  add(row: Record<string, unknown>): void {
    const h = createHash('sha256').update(JSON.stringify(Object.values(row))).digest();
    this.sum = (this.sum + h.readBigUInt64BE(0) + (h.readBigUInt64BE(8) << 64n)) & ((1n << 128n) - 1n);
    this.rows++;
  }
  hex(): string {
    return this.sum.toString(16).padStart(32, '0');
  }
}

async function runIds(store: Store): Promise<string[]> {
  return (await store.db.select({ id: runs.id }).from(runs).orderBy(asc(runs.id))).map((r) => r.id);
}

/** Streams a table's rows in chunks (metrics per run, since it is by far the largest). */
async function* tableRows(store: Store, table: Table, ids: string[]): AsyncGenerator<Record<string, unknown>[]> {
  if (table === metrics) {
    for (const id of ids) yield await store.db.select().from(metrics).where(eq(metrics.runId, id));
    return;
  }
  if (table === blobChunks) {
    // Artifact contents: one 1 MiB chunk at a time, never a whole model in memory.
    const keys = await store.db.select({ sha256: blobChunks.sha256, idx: blobChunks.idx }).from(blobChunks).orderBy(asc(blobChunks.sha256), asc(blobChunks.idx));
    for (const k of keys) yield await store.db.select().from(blobChunks).where(and(eq(blobChunks.sha256, k.sha256), eq(blobChunks.idx, k.idx)));
    return;
  }
  yield (await store.db.select().from(table as typeof runs)) as Record<string, unknown>[];
}

/** Checksum and count of one table. */
export async function tableChecksum(store: Store, table: Table, ids?: string[]): Promise<Checksum> {
  const sum = new Checksum();
  for await (const chunk of tableRows(store, table, ids ?? (await runIds(store)))) for (const row of chunk) sum.add(row);
  return sum;
}

async function insertChunk(to: Store, table: Table, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  if (table === metrics) {
    const byRun = rows as (typeof metrics.$inferSelect)[];
    const packed: MetricRow[] = byRun.map((r) => [r.key, r.step, r.epoch, r.value, r.wallTime]);
    const runId = must(byRun[0], 'rows is not empty').runId;
    await to.conn.writeBatch([to.conn.bulkMetricInsert(runId, packed)]);
    return;
  }
  const per = Math.max(1, Math.floor(MAX_PARAMS / Object.keys(must(rows[0], 'rows is not empty')).length));
  const stmts = [];
  for (let i = 0; i < rows.length; i += per) stmts.push(to.db.insert(table as typeof runs).values(rows.slice(i, i + per) as (typeof runs.$inferInsert)[]));
  await to.conn.writeBatch(stmts);
}

/** Copies every table of `from` into the empty store `to`, then compares counts and checksums per table. */
export async function copyStore(from: Store, to: Store, progress: (table: string, rows: number) => void = () => undefined): Promise<TableReport[]> {
  const [existing] = await to.db.select({ id: runs.id }).from(runs).limit(1);
  const [experiment] = await to.db.select().from(schema.experiments).limit(1);
  if (existing !== undefined || experiment !== undefined) throw new Error(`target store ${to.displayUrl} is not empty; copy into a new database`);
  const ids = await runIds(from);
  const reports: TableReport[] = [];
  // A target that keeps artifacts in a folder gets them as files (copyArtifacts), not as blob rows it would never read.
  const tables = to.artifactsIn === 'store' ? TABLES : TABLES.filter((t) => t !== blobs && t !== blobChunks);
  for (const table of tables) {
    const src = new Checksum();
    for await (const chunk of tableRows(from, table, ids)) {
      for (const row of chunk) src.add(row);
      await insertChunk(to, table, chunk);
    }
    progress(getTableName(table), src.rows);
    const dst = await tableChecksum(to, table, ids);
    reports.push({ table: getTableName(table), sourceRows: src.rows, targetRows: dst.rows, sourceChecksum: src.hex(), targetChecksum: dst.hex(), ok: src.rows === dst.rows && src.hex() === dst.hex() });
  }
  await to.conn.afterCopy();
  return reports;
}
