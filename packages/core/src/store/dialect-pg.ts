/**
 * The PostgreSQL dialect through drizzle's node-postgres driver: a pool per store, bigint columns
 * read as JS numbers, metric rows by COPY FROM STDIN, rollups as UNNEST of typed arrays, write
 * batches in one transaction, trial claims with FOR UPDATE SKIP LOCKED, and migrations serialized
 * by an advisory lock.
 */
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { PgDialect } from 'drizzle-orm/pg-core';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { sql } from 'drizzle-orm';
import { packagePath } from '../paths.ts';
import { getTableConfig } from 'drizzle-orm/sqlite-core';
import { metricRollups, metrics, schema } from './schema.ts';
import { withBusyRetry } from './retry.ts';
import { redactUrl } from './redact.ts';
import { refuseNewerSchema, type AppliedMigration } from './schema-version.ts';
import type { ConnectOptions, MetricRow, Renderable, RollupRow, StoreConnection, StoreDb } from './dialect.ts';
import { copyStatement, isCopy, metricCopyData, runCopy, type CopyStatement } from './pg-copy.ts';
import { pgChangeMarker } from './change-marker.ts';

const MIGRATIONS_DIR = packagePath(import.meta.url, 'drizzle', 'pg');
/** drizzle-kit's own bookkeeping location, so `drizzle-kit migrate` and Kiln agree. */
const MIGRATIONS_TABLE = '"drizzle"."__drizzle_migrations"';
/** Arbitrary constant naming Kiln's migration advisory lock. */
const MIGRATION_LOCK = 0x6b696c6e;

/**
 * Every integer column is bigint (epoch ms) and sum() of bigints is numeric; ids and counts fit in a
 * double, so read both as numbers. Set on the module's parsers because drizzle's node-postgres
 * session passes its own per-query `types` that fall back to these, ignoring the pool's.
 */
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v: string) => Number(v));

/** Tables with an identity id column (autoIncrement in schema.ts). */
const IDENTITY_TABLES = Object.values(schema)
  .map((t) => getTableConfig(t))
  .filter((cfg) => cfg.columns.some((c) => 'autoIncrement' in c && c.autoIncrement === true))
  .map((cfg) => cfg.name);

const dialect = new PgDialect();

function render(stmt: Renderable): { text: string; values: unknown[] } {
  const q = dialect.sqlToQuery(stmt.getSQL());
  return { text: q.sql, values: q.params };
}

const ident = (name: string) => sql.identifier(name);

/** Columns travel as one array parameter each; UNNEST zips them back into rows. */
function unnestMetricInsert(runId: string, rows: MetricRow[]): Renderable {
  const m = metrics;
  const col = (i: number) => sql.param(rows.map((r) => r[i]));
  return sql`INSERT INTO ${m} (${ident(m.runId.name)}, ${ident(m.key.name)}, ${ident(m.step.name)}, ${ident(m.epoch.name)}, ${ident(m.value.name)}, ${ident(m.wallTime.name)})
    SELECT ${runId}, * FROM UNNEST(${col(0)}::text[], ${col(1)}::bigint[], ${col(2)}::bigint[], ${col(3)}::float8[], ${col(4)}::bigint[])`;
}

const METRICS_COPY = `COPY "${getTableConfig(metrics).name}" (${[metrics.runId, metrics.key, metrics.step, metrics.epoch, metrics.value, metrics.wallTime].map((c) => `"${c.name}"`).join(', ')}) FROM STDIN`;

/** Metric rows go in by COPY (see pg-copy.ts; 10-18% more points/s than the UNNEST insert, which is its SQL form). */
function bulkMetricInsert(runId: string, rows: MetricRow[]): Renderable {
  return copyStatement(() => unnestMetricInsert(runId, rows), METRICS_COPY, metricCopyData(runId, rows));
}

/** Rollup rows the same way; merging with existing buckets happens in the upsert. */
function bulkRollupUpsert(runId: string, rows: RollupRow[]): Renderable {
  const r = metricRollups;
  const cols = [r.runId, r.key, r.width, r.bucket, r.min, r.minStep, r.max, r.maxStep, r.count].map((c) => ident(c.name));
  const col = (i: number) => sql.param(rows.map((row) => row[i]));
  return sql`INSERT INTO ${r} AS cur (${sql.join(cols, sql`, `)})
    SELECT ${runId}, * FROM UNNEST(${col(0)}::text[], ${col(1)}::bigint[], ${col(2)}::bigint[], ${col(3)}::float8[], ${col(4)}::bigint[], ${col(5)}::float8[], ${col(6)}::bigint[], ${col(7)}::bigint[])
    ON CONFLICT (run_id, key, width, bucket) DO UPDATE SET
      min_step = CASE WHEN excluded.min < cur.min THEN excluded.min_step ELSE cur.min_step END,
      min = CASE WHEN excluded.min < cur.min THEN excluded.min ELSE cur.min END,
      max_step = CASE WHEN excluded.max > cur.max THEN excluded.max_step ELSE cur.max_step END,
      max = CASE WHEN excluded.max > cur.max THEN excluded.max ELSE cur.max END,
      count = cur.count + excluded.count`;
}

/** Connection errors from node-postgres can quote the connection string; keep only a redacted form. */
function scrub(err: unknown, url: string): unknown {
  if (!(err instanceof Error)) return err;
  const secret = /:\/\/[^:/@]+:([^@/]+)@/.exec(url)?.[1];
  if (secret !== undefined && err.message.includes(secret)) err.message = err.message.split(secret).join('***');
  if (err.message.includes(url)) err.message = err.message.split(url).join(redactUrl(url));
  return err;
}

/** Opens a pool on a PostgreSQL URL and returns the dialect connection. */
export async function connect(url: string, opts: ConnectOptions): Promise<StoreConnection> {
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.KILN_PG_POOL ?? 8),
    // Like a file store, an idle store must not keep the process alive.
    allowExitOnIdle: true,
    connectionTimeoutMillis: Math.max(opts.busyTimeoutMs, 5000),
    // A reader's sessions refuse writes server-side, so reading can never change the store.
    ...(opts.readOnly === true ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  pool.on('error', () => undefined); // an idle client's dropped connection is replaced on next use
  try {
    const c = await pool.connect();
    c.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw scrub(err, url);
  }
  const db = drizzle(pool) as unknown as StoreDb;
  return {
    dialect: 'pg',
    url,
    db,
    readOnly: opts.readOnly === true,
    appliedMigrations: async () => {
      const c = await pool.connect();
      try {
        return await appliedMigrations(c);
      } finally {
        c.release();
      }
    },
    bulkMetricInsert,
    bulkRollupUpsert,
    skipLocked: sql` FOR UPDATE SKIP LOCKED`,
    rows: async (stmt) => (await pool.query(render(stmt))).rows as Record<string, unknown>[],
    migrationsDir: MIGRATIONS_DIR,
    afterCopy: async () => {
      for (const t of IDENTITY_TABLES) await pool.query(`SELECT setval(pg_get_serial_sequence('"${t}"', 'id'), coalesce((SELECT max(id) FROM "${t}"), 0) + 1, false)`);
    },
    writeBatch: (statements) => withBusyRetry(() => inTransaction(pool, statements.map((s) => (isCopy(s) ? s : render(s))))),
    migrate: (folder) => migrateLocked(pool, folder, redactUrl(url)),
    integrityCheck: async () => ((await pool.query('SELECT 1 AS ok')).rows.length === 1 ? 'ok' : 'unreachable'),
    changeMarker: () => pgChangeMarker((text) => pool.query(text)),
    close: () => void pool.end().catch(() => undefined),
  };
}

async function inTransaction(pool: pg.Pool, statements: ({ text: string; values: unknown[] } | CopyStatement)[]): Promise<void> {
  if (statements.length === 0) return;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const s of statements) await ('copy' in s ? runCopy(client, s) : client.query(s));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Applies pending migrations in one transaction holding an advisory lock, so concurrent openers
 * of a new store wait and then find nothing left to do. Bookkeeping matches drizzle-kit's.
 */
async function migrateLocked(pool: pg.Pool, folder: string, where: string): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder: folder });
  const client = await pool.connect();
  try {
    // Up to date, or newer than this Kiln: nothing to write (a read-only role can still open it).
    const before = await appliedMigrations(client);
    if (refuseNewerSchema(folder, before, where).pending === 0 && before.length > 0) return 0;
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE SCHEMA IF NOT EXISTS "drizzle"');
    await client.query(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`);
    const lastMillis = Math.max(-1, ...refuseNewerSchemaRows(folder, await appliedMigrations(client), where));
    let applied = 0;
    for (const m of migrations) {
      if (m.folderMillis <= lastMillis) continue;
      for (const stmt of m.sql) if (stmt.trim() !== '') await client.query(stmt);
      await client.query(`INSERT INTO ${MIGRATIONS_TABLE} ("hash", "created_at") VALUES ($1, $2)`, [m.hash, m.folderMillis]);
      applied++;
    }
    await client.query('COMMIT');
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

function refuseNewerSchemaRows(folder: string, applied: AppliedMigration[], where: string): number[] {
  refuseNewerSchema(folder, applied, where);
  return applied.map((a) => a.createdAt);
}

/** drizzle-kit's bookkeeping rows; none when its table does not exist yet (a new database). */
async function appliedMigrations(client: pg.PoolClient): Promise<AppliedMigration[]> {
  const exists = await client.query(`SELECT to_regclass('${MIGRATIONS_TABLE.replaceAll("'", "''")}') IS NOT NULL AS present`);
  if (exists.rows[0]?.present !== true) return [];
  const rows = await client.query(`SELECT hash, created_at FROM ${MIGRATIONS_TABLE}`);
  return rows.rows.map((r: { hash: string; created_at: number }) => ({ hash: r.hash, createdAt: Number(r.created_at) }));
}
