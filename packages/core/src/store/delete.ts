/**
 * Deleting a run safely: a run still heart-beating is refused unless forced, and a sweep trial
 * that names the run forgets it in the same transaction, so the sweep never points at a deleted
 * run (its value stays: the sweep did observe it, and TPE's history keeps it).
 */
import { eq } from 'drizzle-orm';
import { KilnFailure } from '../errors.ts';
import type { Store } from './open.ts';
import { runs, trials } from './schema.ts';
import { effectiveStatus } from './stale.ts';

export interface DeleteResult {
  /** False when no run had this id. */
  deleted: boolean;
  /** The run's status as read just before (a stale `running` run reads `crashed`). */
  status: string | null;
  /** Sweep trials that named the run and now name none. */
  trialsDetached: number;
}

/**
 * Deletes a run and everything recorded for it (not its artifact files). A run still running
 * (fresh heartbeat) is refused unless `force`: its process may be on another machine, and the
 * store records no process id, so nothing is signalled; that process fails at its next write.
 */
export async function deleteRunChecked(store: Store, runId: string, opts: { force?: boolean } = {}): Promise<DeleteResult> {
  const row = await store.db
    .select({ status: effectiveStatus(store.staleMs), heartbeatAt: runs.heartbeatAt, host: runs.host })
    .from(runs)
    .where(eq(runs.id, runId))
    .then((r) => r[0]);
  if (row === undefined) return { deleted: false, status: null, trialsDetached: 0 };
  if (row.status === 'running' && opts.force !== true) {
    const ago = row.heartbeatAt === null ? '' : ` (last heartbeat ${Math.max(0, Math.round((Date.now() - row.heartbeatAt) / 1000))} s ago${row.host ? ` on ${row.host}` : ''})`;
    throw new KilnFailure({
      code: 'store/run-running',
      path: '',
      message: `run ${runId} is still running${ago}; nothing deleted`,
      hint: `stop it first (Ctrl-C where it trains), or pass --force to delete it anyway (its process then fails at its next write)`,
    });
  }
  const detached = await store.db.select({ id: trials.id }).from(trials).where(eq(trials.runId, runId));
  await store.conn.writeBatch([store.db.update(trials).set({ runId: null }).where(eq(trials.runId, runId)), store.db.delete(runs).where(eq(runs.id, runId))]);
  return { deleted: true, status: row.status, trialsDetached: detached.length };
}
