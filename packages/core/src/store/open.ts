/**
 * Opening the store: where it lives, and what opening it may do. A writer migrates it and sweeps up
 * runs whose process died; a reader never writes (it works on a full disk and a read-only store;
 * stale runs read as crashed in the queries instead). Either refuses a store newer than this Kiln.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connect, dialectOf, type StoreConnection, type StoreDb } from './dialect.ts';
import { redactUrl } from './redact.ts';
import { markStaleRuns, staleThresholdMs } from './stale.ts';
import { asStoreFault, storeFault, storeLabel, StoreFault } from './faults.ts';
import { compareSchema, newerSchemaFault } from './schema-version.ts';
import { checkStoreFile, prepareStoreFolder } from './store-file.ts';

export interface OpenOptions {
  /** `write` (default) migrates and marks stale runs `crashed`; `read` never writes. */
  mode?: 'read' | 'write';
  /** Runs still `running` whose heartbeat is older than this are (or read as) `crashed` (default 30 s, env KILN_STALE_MS). */
  staleMs?: number;
  /** Where run artifacts are copied (default: $KILN_ARTIFACTS, else `artifacts/` beside a file store, else `.kiln/artifacts`). */
  artifactsDir?: string;
  /** Where artifacts are written: `folder` (artifactsDir) or `store` (the database's blob tables). Default: a store file, or any store given an artifacts folder, uses the folder; PostgreSQL and remote libsql keep them in the store, so every machine can read them. */
  artifactsIn?: 'folder' | 'store';
  busyTimeoutMs?: number;
  cwd?: string;
}

export interface Store {
  /** The resolved URL, for reopening (e.g. by worker processes); may hold a password. */
  readonly url: string;
  /** The URL with any password redacted: the only form to print, log or record. */
  readonly displayUrl: string;
  readonly dialect: 'sqlite' | 'pg';
  readonly db: StoreDb;
  readonly conn: StoreConnection;
  readonly artifactsDir: string;
  /** Where new artifacts go: files in artifactsDir, or the store's own blob tables (artifact-read.ts reads either). */
  readonly artifactsIn: 'folder' | 'store';
  /** How many stale runs this open marked `crashed` (always 0 for a reader). */
  readonly crashedOnOpen: number;
  /** Opened to read: writes are refused by the database. */
  readonly readOnly: boolean;
  /** A `running` run whose heartbeat is older than this reads as `crashed`. */
  readonly staleMs: number;
  close(): void;
}

const REMOTE = /^(libsql|https?|wss?|postgres(ql)?):\/\//i;

/** Resolves the store location: explicit arg, then env KILN_STORE, then `.kiln/kiln.db` under cwd; postgres:// and libsql:// URLs pass through. */
export function resolveStoreUrl(url: string | undefined, cwd: string = process.cwd()): string {
  const raw = url ?? process.env.KILN_STORE ?? join('.kiln', 'kiln.db');
  if (REMOTE.test(raw)) return raw;
  if (raw.startsWith('file:')) {
    const rest = raw.slice('file:'.length);
    return rest.startsWith('/') ? raw : pathToFileURL(resolve(cwd, rest)).href;
  }
  if (raw === ':memory:') return 'file::memory:';
  return pathToFileURL(isAbsolute(raw) ? raw : resolve(cwd, raw)).href;
}

function defaultArtifactsDir(url: string, cwd: string): string {
  if (url.startsWith('file:') && !url.includes(':memory:')) return join(dirname(fileURLToPath(url)), 'artifacts');
  return resolve(cwd, '.kiln', 'artifacts');
}

/** Where a store's artifacts live: an explicit folder (option or KILN_ARTIFACTS) is used as given; else a file store's folder, or the database. */
function artifactsPlace(url: string, opts: OpenOptions, cwd: string): { artifactsDir: string; artifactsIn: 'folder' | 'store' } {
  const chosen = opts.artifactsDir ?? (process.env.KILN_ARTIFACTS || undefined);
  const artifactsDir = chosen === undefined ? defaultArtifactsDir(url, cwd) : resolve(cwd, chosen);
  return { artifactsDir, artifactsIn: opts.artifactsIn ?? (chosen !== undefined || isFileStore(url) || url.includes(':memory:') ? 'folder' : 'store') };
}

/** Opens the tracking store: a writer (default) creates and migrates it and marks stale runs `crashed`; a reader never writes. */
export async function openStore(url?: string, opts: OpenOptions = {}): Promise<Store> {
  const cwd = opts.cwd ?? process.cwd();
  const resolved = resolveStoreUrl(url, cwd);
  const where = storeLabel(resolved);
  try {
    return await open(resolved, opts.mode ?? 'write', opts, cwd);
  } catch (err) {
    throw asStoreFault(err, where);
  }
}

const isFileStore = (url: string) => url.startsWith('file:') && !url.includes(':memory:');

async function open(resolved: string, mode: 'read' | 'write', opts: OpenOptions, cwd: string): Promise<Store> {
  const file = isFileStore(resolved) ? fileURLToPath(resolved) : undefined;
  if (file !== undefined) checkStoreFile(file);
  // Nothing tracked here yet: a reader creates the store as a writer would (there is nothing to lose);
  // an in-memory store is new on every open, so the same holds.
  if (mode === 'read' && (resolved.includes(':memory:') || (file !== undefined && !existsSync(file)))) return open(resolved, 'write', opts, cwd);
  if (mode === 'write' && file !== undefined) prepareStoreFolder(file);
  const connectOpts = { busyTimeoutMs: opts.busyTimeoutMs ?? 15_000, authToken: process.env.KILN_STORE_AUTH_TOKEN };
  const conn = await connect(resolved, { ...connectOpts, readOnly: mode === 'read' });
  const staleMs = staleThresholdMs(opts.staleMs);
  try {
    let crashedOnOpen = 0;
    if (mode === 'read') await readyForReading(conn, resolved, connectOpts);
    else {
      await conn.migrate(conn.migrationsDir);
      crashedOnOpen = await markStaleRuns(conn, staleMs);
    }
    return storeOf(resolved, conn, opts, cwd, { crashedOnOpen, staleMs });
  } catch (err) {
    conn.close();
    throw err;
  }
}

function storeOf(url: string, conn: StoreConnection, opts: OpenOptions, cwd: string, extra: { crashedOnOpen: number; staleMs: number }): Store {
  return {
    url,
    displayUrl: redactUrl(url),
    dialect: dialectOf(url),
    db: conn.db,
    conn,
    ...artifactsPlace(url, opts, cwd),
    readOnly: conn.readOnly,
    ...extra,
    close: () => conn.close(),
  };
}

/**
 * A reader checks the schema without writing: newer than this Kiln is refused; older (pending
 * migrations) is migrated by a short-lived writer first, since the queries need the current tables.
 */
async function readyForReading(conn: StoreConnection, url: string, connectOpts: { busyTimeoutMs: number; authToken?: string }): Promise<void> {
  const state = compareSchema(conn.migrationsDir, await conn.appliedMigrations());
  const newer = newerSchemaFault(state, storeLabel(url));
  if (newer) throw newer;
  if (state.pending === 0 && state.applied > 0) return;
  let writer: StoreConnection | undefined;
  try {
    writer = await connect(url, connectOpts);
    await writer.migrate(writer.migrationsDir);
  } catch (err) {
    const fault = storeFault(err, storeLabel(url));
    const e = fault?.errors[0];
    if (e === undefined || e.code === 'store/newer-schema') throw err;
    throw new StoreFault(
      { ...e, message: `the store's schema is version ${state.applied}, older than this Kiln's ${state.known}, and could not be migrated: ${e.message}`, hint: `run kiln store migrate where the store is writable, then read it again; ${e.hint ?? ''}`.trim() },
      err,
    );
  } finally {
    writer?.close();
  }
}
