/**
 * Fresh stores of either dialect for the shared store test suite. PostgreSQL tests use the server
 * at KILN_TEST_PG_URL (an admin URL; test/pg/cluster.ts sets it as a vitest globalSetup) or, when
 * unset, one throwaway cluster per test process; every fresh store is a new database in it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { Store } from '../open.ts';
import type { DialectName } from '../dialect.ts';
import { startPgCluster, type PgCluster } from './pg-cluster.ts';

/** Both dialects, for `describe.each(DIALECTS)`. */
export const DIALECTS: DialectName[] = ['sqlite', 'pg'];

let cluster: Promise<PgCluster> | undefined;
let counter = 0;

async function adminUrl(): Promise<string> {
  if (process.env.KILN_TEST_PG_URL) return process.env.KILN_TEST_PG_URL;
  cluster ??= startPgCluster('kiln');
  return (await cluster).url;
}

/** Creates an empty database on the test server and returns its URL. */
export async function freshPgUrl(): Promise<string> {
  const admin = await adminUrl();
  const name = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.href;
}

/** A URL for a new, empty store of the given dialect. */
export async function freshStoreUrl(dialect: DialectName): Promise<string> {
  if (dialect === 'pg') return freshPgUrl();
  return join(mkdtempSync(join(tmpdir(), 'kiln-store-')), 'kiln.db');
}

/** Stops the cluster this process started, if any (call from afterAll). */
export async function stopTestCluster(): Promise<void> {
  const c = cluster;
  cluster = undefined;
  if (c !== undefined) (await c).stop();
}

/** Tagged template: rows of a raw query with bound values, on either dialect (tests outside core lack drizzle). */
export function storeRows(store: Store) {
  return (strings: TemplateStringsArray, ...values: unknown[]) => store.conn.rows(sql(strings, ...values));
}

/** The first column of the first row of a raw query, as a number. */
export async function scalar(store: Store, query: string): Promise<number> {
  const rows = await store.conn.rows(sql.raw(query));
  return Number(Object.values(rows[0] ?? {})[0]);
}
