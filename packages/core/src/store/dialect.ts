/**
 * The store's one dialect seam. Queries everywhere else are written once with drizzle over the
 * tables of schema.ts; a `StoreConnection` supplies what differs between SQLite/libsql and
 * PostgreSQL: the client, bulk inserts, atomic write batches, claim locking, migrations.
 * The dialect is chosen from the URL at open (registry below); nothing above the store knows which.
 */
import type { Client } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
import type { SQL, SQLWrapper } from 'drizzle-orm';
import type { schema } from './schema.ts';
import type { AppliedMigration } from './schema-version.ts';

/**
 * The drizzle database over the tables of schema.ts. It is typed with the SQLite builders (the
 * canonical tables), and under PostgreSQL it is drizzle's node-postgres database over the same
 * tables, so use the portable subset: select/insert/update/delete, joins, onConflictDo*,
 * returning(), transaction(). Not portable: `.get()`, `.all()`, `.run()` and `$client` (libsql only).
 */
export type StoreDb = LibSQLDatabase<typeof schema> & { $client: Client };

/** A statement drizzle can render: a query builder or an `sql` template. */
export type Renderable = SQLWrapper;

export type DialectName = 'sqlite' | 'pg';

export type MetricRow = [key: string, step: number, epoch: number | null, value: number | null, wallTime: number];

export type RollupRow = [key: string, width: number, bucket: number, min: number, minStep: number, max: number, maxStep: number, count: number];

export interface StoreConnection {
  readonly dialect: DialectName;
  /** The URL as given (may hold a password: print `redactUrl(url)` instead). */
  readonly url: string;
  readonly db: StoreDb;
  /** One statement inserting many metric rows `[key, step, epoch, value, wallTime]` for a run. */
  bulkMetricInsert(runId: string, rows: MetricRow[]): Renderable;
  /** One statement merging many rollup rows for a run. */
  bulkRollupUpsert(runId: string, rows: RollupRow[]): Renderable;
  /** Appended to the claim subquery: `FOR UPDATE SKIP LOCKED` in PostgreSQL, nothing in SQLite (one writer at a time). */
  readonly skipLocked: SQL;
  /** Runs the statements atomically in one write transaction, retrying on lock conflicts. */
  writeBatch(statements: Renderable[]): Promise<void>;
  /** Rows of any statement as plain objects keyed by column name (for tools and tests). */
  rows(statement: Renderable): Promise<Record<string, unknown>[]>;
  /** Applies pending migrations from `folder` exactly once, even with concurrent openers; refuses a store newer than `folder`. */
  migrate(folder: string): Promise<number>;
  /** The migrations recorded in the store (none for an empty store); reads only. */
  appliedMigrations(): Promise<AppliedMigration[]>;
  /** Opened for reading only: every write is refused by the database itself. */
  readonly readOnly: boolean;
  /** Migration folder for this dialect, under packages/core/drizzle. */
  readonly migrationsDir: string;
  /** After rows were inserted with explicit ids: moves id generators past them (PostgreSQL identity sequences). */
  afterCopy(): Promise<void>;
  /** `ok` when the database passes the dialect's integrity check. */
  integrityCheck(): Promise<string>;
  /** A token that differs after any commit by anyone (change-marker.ts); null where the dialect cannot tell cheaply. */
  changeMarker(): Promise<string | null>;
  close(): void;
}

export interface ConnectOptions {
  busyTimeoutMs: number;
  authToken?: string;
  /** Open for reading only (SQLite: the file opened read-only; PostgreSQL: read-only transactions by default). */
  readOnly?: boolean;
}

interface DialectEntry {
  matches: (url: string) => boolean;
  load: () => Promise<{ connect(url: string, opts: ConnectOptions): Promise<StoreConnection> }>;
}

/** URL scheme -> dialect; each module is loaded only when a store of its kind is opened. */
const DIALECTS: Record<DialectName, DialectEntry> = {
  pg: { matches: (url) => /^postgres(ql)?:\/\//i.test(url), load: () => import('./dialect-pg.ts') },
  sqlite: { matches: () => true, load: () => import('./dialect-sqlite.ts') },
};

/** The dialect a (resolved) store URL selects. */
export function dialectOf(url: string): DialectName {
  return DIALECTS.pg.matches(url) ? 'pg' : 'sqlite';
}

/** Opens a connection with the dialect the URL selects. */
export async function connect(url: string, opts: ConnectOptions): Promise<StoreConnection> {
  const mod = await DIALECTS[dialectOf(url)].load();
  return mod.connect(url, opts);
}
