/** Crash detection: a `running` run whose heartbeat stopped belongs to a process that died. */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { StoreConnection } from './dialect.ts';
import { runs } from './schema.ts';

/** Marks runs whose heartbeat is older than `staleMs` as `crashed`; returns how many. */
export async function markStaleRuns(conn: StoreConnection, staleMs: number, now: number = Date.now()): Promise<number> {
  const cutoff = now - staleMs;
  const rows = await conn.db
    .update(runs)
    .set({
      status: 'crashed',
      endedAt: sql`coalesce(${runs.heartbeatAt}, ${runs.startedAt})`,
      durationMs: sql`coalesce(${runs.heartbeatAt}, ${runs.startedAt}) - ${runs.startedAt}`,
      failureReason: `no heartbeat for more than ${Math.round(staleMs / 1000)} s`,
    })
    .where(and(eq(runs.status, 'running'), lt(sql`coalesce(${runs.heartbeatAt}, ${runs.startedAt})`, cutoff)))
    .returning({ id: runs.id });
  return rows.length;
}
