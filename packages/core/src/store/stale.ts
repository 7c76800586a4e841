/** Crash detection: a `running` run whose heartbeat stopped belongs to a process that died. */
import { and, eq, lt, sql, type SQL } from 'drizzle-orm';
import type { StoreConnection } from './dialect.ts';
import { runs, type RunStatus } from './schema.ts';

/** Marks runs whose heartbeat is older than `staleMs` as `crashed`; returns how many. */
export async function markStaleRuns(conn: StoreConnection, staleMs: number, now: number = Date.now()): Promise<number> {
  const cutoff = now - staleMs;
  const rows = await conn.db
    .update(runs)
    .set({
      status: 'crashed',
      endedAt: sql`coalesce(${runs.heartbeatAt}, ${runs.startedAt})`,
      durationMs: sql`coalesce(${runs.heartbeatAt}, ${runs.startedAt}) - ${runs.startedAt}`,
      failureReason: staleReason(staleMs),
    })
    .where(and(eq(runs.status, 'running'), lt(sql`coalesce(${runs.heartbeatAt}, ${runs.startedAt})`, cutoff)))
    .returning({ id: runs.id });
  return rows.length;
}

/**
 * A run's status as readers should see it: a `running` run whose heartbeat is older than
 * `staleMs` is `crashed` even before a writer records that (a reader never writes, and on a
 * full disk or a read-only store no writer can).
 */
export function effectiveStatus(staleMs: number, now: number = Date.now()): SQL<RunStatus> {
  return sql<RunStatus>`CASE WHEN ${runs.status} = 'running' AND coalesce(${runs.heartbeatAt}, ${runs.startedAt}) < ${now - staleMs} THEN 'crashed' ELSE ${runs.status} END`;
}

/** The failure reason beside effectiveStatus: the stored one, or the missing heartbeat of a run read as crashed. */
export function effectiveFailureReason(staleMs: number, now: number = Date.now()): SQL<string | null> {
  return sql<string | null>`CASE WHEN ${runs.status} = 'running' AND coalesce(${runs.heartbeatAt}, ${runs.startedAt}) < ${now - staleMs} THEN ${staleReason(staleMs)} ELSE ${runs.failureReason} END`;
}

/** Why a run was (or reads as) crashed. */
export function staleReason(staleMs: number): string {
  return `no heartbeat for more than ${Math.round(staleMs / 1000)} s`;
}

/** The stale threshold: explicit, else env KILN_STALE_MS, else 30 s. */
export function staleThresholdMs(explicit?: number): number {
  const v = process.env.KILN_STALE_MS;
  const env = v !== undefined && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
  return explicit ?? env ?? 30_000;
}
