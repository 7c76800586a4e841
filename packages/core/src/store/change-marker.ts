/**
 * Telling cheaply whether the store changed: a marker that differs after any commit, by this process or another,
 * so a reader (the UI) can keep answers computed from the store until it does, without ever serving stale data.
 * SQLite: `data_version` (commits by other connections), `total_changes()` (this connection's own writes),
 * `schema_version` (DDL), and how many times the client handed its connection to a transaction (libsql then opens a
 * fresh connection, whose counters start again). PostgreSQL: the current snapshot (xmin:xmax:in-progress xids),
 * which changes when any transaction that wrote commits or a new one takes an id.
 */
import type { Client } from '@libsql/client';
import { and, eq, gte, min, sql } from 'drizzle-orm';
import type { Store } from './open.ts';
import { runs } from './schema.ts';

const SQLITE_MARKER = 'SELECT (SELECT data_version FROM pragma_data_version) AS d, total_changes() AS c, (SELECT schema_version FROM pragma_schema_version) AS s';

/** The SQLite marker of `client`; `handovers` counts connections the client gave away to transactions so far. */
export async function sqliteChangeMarker(client: Client, handovers: number): Promise<string> {
  // client.execute runs synchronously on the client's current connection, so `handovers` names that connection.
  const res = await client.execute(SQLITE_MARKER);
  const row = res.rows[0];
  return `${handovers}.${String(row?.[0])}.${String(row?.[1])}.${String(row?.[2])}`;
}

/** The PostgreSQL marker: the cluster's current snapshot as text. */
export async function pgChangeMarker(query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>): Promise<string> {
  const res = await query('SELECT pg_current_snapshot()::text AS s');
  return String(res.rows[0]?.s);
}

/** A token that differs after any commit to the store; equal tokens mean the same data. Null where the store cannot tell cheaply (remote libsql). */
export function storeChangeMarker(store: Store): Promise<string | null> {
  return store.conn.changeMarker();
}

/**
 * When the next stored `running` run starts reading as `crashed` with no write at all (its heartbeat older than the
 * stale threshold): the one way a read's answer changes while the marker stays put. Runs already past it read as
 * crashed now and change no more. Null when no running run will go stale.
 */
export async function staleDeadline(store: Store, now: number = Date.now()): Promise<number | null> {
  const beat = sql<number>`coalesce(${runs.heartbeatAt}, ${runs.startedAt})`;
  const row = await store.db
    .select({ at: min(beat) })
    .from(runs)
    .where(and(eq(runs.status, 'running'), gte(beat, now - store.staleMs)))
    .then((r) => r[0]);
  return row?.at === null || row?.at === undefined ? null : Number(row.at) + store.staleMs;
}
