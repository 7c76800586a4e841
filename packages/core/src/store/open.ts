/** Opening the store: where it lives, migrating it once, and sweeping up runs whose process died. */
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { connect, dialectOf, type StoreConnection, type StoreDb } from './dialect.ts';
import { redactUrl } from './redact.ts';
import { markStaleRuns } from './stale.ts';

export interface OpenOptions {
  /** Runs still `running` whose heartbeat is older than this are marked `crashed` on open (default 30 s, env KILN_STALE_MS). */
  staleMs?: number;
  /** Where run artifacts are copied (default: `artifacts/` beside a file store, else `.kiln/artifacts`). */
  artifactsDir?: string;
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
  /** How many stale runs this open marked `crashed`. */
  readonly crashedOnOpen: number;
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

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  return v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
}

/** Opens (creating and migrating if needed) the tracking store and marks stale running runs `crashed`. */
export async function openStore(url?: string, opts: OpenOptions = {}): Promise<Store> {
  const cwd = opts.cwd ?? process.cwd();
  const resolved = resolveStoreUrl(url, cwd);
  if (resolved.startsWith('file:') && !resolved.includes(':memory:')) {
    mkdirSync(dirname(fileURLToPath(resolved)), { recursive: true });
  }
  const conn = await connect(resolved, {
    busyTimeoutMs: opts.busyTimeoutMs ?? 15_000,
    authToken: process.env.KILN_STORE_AUTH_TOKEN,
  });
  try {
    await conn.migrate(conn.migrationsDir);
    const staleMs = opts.staleMs ?? envNumber('KILN_STALE_MS') ?? 30_000;
    const crashedOnOpen = await markStaleRuns(conn, staleMs);
    return {
      url: resolved,
      displayUrl: redactUrl(resolved),
      dialect: dialectOf(resolved),
      db: conn.db,
      conn,
      artifactsDir: opts.artifactsDir ?? defaultArtifactsDir(resolved, cwd),
      crashedOnOpen,
      close: () => conn.close(),
    };
  } catch (err) {
    conn.close();
    throw err;
  }
}
