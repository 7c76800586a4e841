/**
 * The SQLite/libsql dialect: opening the client, per-connection pragmas, the busy-timeout fix,
 * write batches, the migration lock and integrity checks.
 */
import type { Client, InArgs, InStatement, TransactionMode } from '@libsql/client';
import { createClient as createLocalClient } from '@libsql/client/sqlite3';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
// the sqlite3 entry wraps any client it is given (remote ones too); 'drizzle-orm/libsql' would load the remote client's code
import { drizzle } from 'drizzle-orm/libsql/sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { sql } from 'drizzle-orm';
import { packagePath } from '../paths.ts';
import { metricRollups, metrics, schema } from './schema.ts';
import { withBusyRetry } from './retry.ts';
import { storeLabel } from './faults.ts';
import { refuseNewerSchema, type AppliedMigration } from './schema-version.ts';
import { openSqliteReadOnly } from './sqlite-read.ts';
import { sqliteChangeMarker } from './change-marker.ts';
import type { ConnectOptions, MetricRow, Renderable, RollupRow, StoreConnection, StoreDb } from './dialect.ts';

/**
 * Binding 6 values per row through the client costs more than SQLite's own JSON parser, so the
 * rows travel as one JSON text expanded by json_each (dialect-pg.ts uses UNNEST of arrays).
 */
function bulkMetricInsert(runId: string, rows: MetricRow[]): Renderable {
  const m = metrics;
  return sql`INSERT INTO ${m} (${sql.identifier(m.runId.name)}, ${sql.identifier(m.key.name)}, ${sql.identifier(m.step.name)}, ${sql.identifier(m.epoch.name)}, ${sql.identifier(m.value.name)}, ${sql.identifier(m.wallTime.name)})
    SELECT ${runId}, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4 FROM json_each(${JSON.stringify(rows)})`;
}

/** Same JSON trick for rollups; merging with existing buckets happens in the upsert. */
function bulkRollupUpsert(runId: string, rows: RollupRow[]): Renderable {
  const r = metricRollups;
  const cols = [r.runId, r.key, r.width, r.bucket, r.min, r.minStep, r.max, r.maxStep, r.count].map((c) => sql.identifier(c.name));
  return sql`INSERT INTO ${r} (${sql.join(cols, sql`, `)})
    SELECT ${runId}, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7
    FROM json_each(${JSON.stringify(rows)}) WHERE true
    ON CONFLICT (run_id, key, width, bucket) DO UPDATE SET
      min_step = CASE WHEN excluded.min < min THEN excluded.min_step ELSE min_step END,
      min = CASE WHEN excluded.min < min THEN excluded.min ELSE min END,
      max_step = CASE WHEN excluded.max > max THEN excluded.max_step ELSE max_step END,
      max = CASE WHEN excluded.max > max THEN excluded.max ELSE max END,
      count = count + excluded.count`;
}

const MIGRATIONS_TABLE = '__drizzle_migrations';
const MIGRATIONS_DIR = packagePath(import.meta.url, 'drizzle', 'sqlite');

/** Per-connection settings; WAL itself is persistent in the file and set once in `connect`. */
function connectionPragmas(busyTimeoutMs: number): string {
  return `PRAGMA busy_timeout = ${Math.floor(busyTimeoutMs)}; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;`;
}

/**
 * @libsql/client#288: `transaction()` hands the client's connection to the transaction and lazily
 * opens a fresh one for later calls, which has none of our pragmas (busy_timeout 0 -> instant
 * SQLITE_BUSY). Both calls below run synchronously inside the client, so the new connection gets
 * the pragmas before any other statement can reach it.
 */
function keepPragmasAcrossTransactions(client: Client, pragmas: string, onHandover: () => void): void {
  const original = client.transaction.bind(client);
  client.transaction = (mode?: TransactionMode) => {
    const tx = original(mode);
    onHandover();
    const reapplied = client.executeMultiple(pragmas);
    return Promise.all([tx, reapplied]).then(([t]) => t);
  };
}

const sqliteDialect = new SQLiteAsyncDialect();

function render(stmt: Renderable): InStatement {
  const q = sqliteDialect.sqlToQuery(stmt.getSQL());
  return { sql: q.sql, args: q.params as InArgs };
}

/**
 * A file store gets libsql's local client alone: the package's main entry also loads the remote
 * one (hrana over HTTP/WebSocket), which cost ~130 ms CPU of every `kiln runs` start.
 */
async function newClient(url: string, authToken: string | undefined): Promise<Client> {
  const config = { url, authToken, intMode: 'number' as const };
  return url.startsWith('file:') ? createLocalClient(config) : (await import('@libsql/client')).createClient(config);
}

/** Opens a libsql client (file or remote) with durable pragmas and returns the dialect connection. */
export async function connect(url: string, opts: ConnectOptions): Promise<StoreConnection> {
  const isFile = url.startsWith('file:');
  const readOnly = opts.readOnly === true && isFile && !url.includes(':memory:');
  const opened = readOnly ? await openSqliteReadOnly(url) : { client: await newClient(url, opts.authToken), cleanup: () => undefined };
  const { client } = opened;
  const db = drizzle(client, { schema }) as StoreDb;
  // Connections the client handed to transactions: part of the change marker (their counters start afresh).
  let handovers = 0;
  try {
    if (isFile) {
      const pragmas = connectionPragmas(opts.busyTimeoutMs);
      await client.executeMultiple(pragmas);
      keepPragmasAcrossTransactions(client, pragmas, () => handovers++);
      // journal_mode is stored in the file: a reader leaves it as the writer set it
      if (!readOnly) await withBusyRetry(() => client.execute('PRAGMA journal_mode = WAL'));
    }
  } catch (err) {
    client.close();
    opened.cleanup();
    throw err;
  }
  return {
    dialect: 'sqlite',
    url,
    db,
    readOnly,
    appliedMigrations: () => appliedMigrations(client),
    bulkMetricInsert,
    bulkRollupUpsert,
    skipLocked: sql``,
    rows: async (stmt) => {
      const res = await client.execute(render(stmt));
      return res.rows.map((r) => Object.fromEntries(res.columns.map((c, i) => [c, r[i]])));
    },
    migrationsDir: MIGRATIONS_DIR,
    afterCopy: async () => undefined, // INTEGER PRIMARY KEY continues from max(id) by itself
    writeBatch: (statements) => writeBatch(client, statements),
    migrate: (folder) => withBusyRetry(() => migrateLocked(client, folder, storeLabel(url))),
    integrityCheck: async () => String((await client.execute('PRAGMA integrity_check')).rows[0]?.[0] ?? ''),
    // a remote libsql server's pragmas describe whichever connection served the request: no marker there
    changeMarker: isFile ? () => sqliteChangeMarker(client, handovers) : async () => null,
    close: () => {
      client.close();
      opened.cleanup();
    },
  };
}

async function writeBatch(client: Client, statements: Renderable[]): Promise<void> {
  if (statements.length === 0) return;
  const rendered = statements.map(render);
  // client.batch runs BEGIN IMMEDIATE..COMMIT on the pinned connection (which has the pragmas).
  await withBusyRetry(() => client.batch(rendered, 'write'));
}

/**
 * Takes the write lock first (BEGIN IMMEDIATE), then reads which migrations are applied and applies
 * the rest in the same transaction: a second process opening a new store waits on the lock and
 * then finds nothing left to do. Uses drizzle's bookkeeping table so drizzle-kit agrees.
 */
async function migrateLocked(client: Client, folder: string, where: string): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  // Up to date, or newer than this Kiln: nothing to write, so no write lock (a full disk or read-only file stays usable).
  const before = await appliedMigrations(client);
  if (refuseNewerSchema(folder, before, where).pending === 0 && before.length > 0) return 0;
  await client.execute('BEGIN IMMEDIATE');
  try {
    await client.execute(
      `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
    );
    const recorded = await appliedMigrations(client);
    refuseNewerSchema(folder, recorded, where);
    const lastMillis = Math.max(-1, ...recorded.map((a) => a.createdAt));
    let applied = 0;
    for (const m of migrations) {
      if (m.folderMillis <= lastMillis) continue;
      for (const stmt of m.sql) if (stmt.trim() !== '') await client.execute(stmt);
      await client.execute({
        sql: `INSERT INTO "${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES (?, ?)`,
        args: [m.hash, m.folderMillis],
      });
      applied++;
    }
    await client.execute('COMMIT');
    return applied;
  } catch (err) {
    await client.execute('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** drizzle's bookkeeping rows; none when the table does not exist yet (a new store). */
async function appliedMigrations(client: Client): Promise<AppliedMigration[]> {
  const table = await client.execute({ sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", args: [MIGRATIONS_TABLE] });
  if (table.rows.length === 0) return [];
  const rows = await client.execute(`SELECT hash, created_at FROM "${MIGRATIONS_TABLE}"`);
  return rows.rows.map((r) => ({ hash: String(r[0]), createdAt: Number(r[1]) }));
}
