/**
 * Deleting a run safely: a run still heart-beating is refused unless forced (then asked to stop
 * and waited for), and a sweep trial
 * that names the run forgets it in the same transaction, so the sweep never points at a deleted
 * run (its value stays: the sweep did observe it, and TPE's history keeps it).
 */
import { eq } from 'drizzle-orm';
import { KilnFailure, kilnError, type KilnError } from '../errors.ts';
import type { Store } from './open.ts';
import { artifacts, runs, trials } from './schema.ts';
import { collectBlobs, type BlobGcResult } from './blob-gc.ts';
import { effectiveStatus } from './stale.ts';
import { aliasedRefusal } from './registry.ts';
import { requestStop, waitForEnd } from './stop.ts';

export interface DeleteResult {
  /** False when no run had this id. */
  deleted: boolean;
  /** The run's status as read just before (a stale `running` run reads `crashed`). */
  status: string | null;
  /** Sweep trials that named the run and now name none. */
  trialsDetached: number;
  /** Artifact contents kept in the store that no other run named, freed with it. */
  blobsFreed: BlobGcResult;
  /** For a forced delete of a running run: how it ended when asked to stop ('running' if it did not in time). */
  stoppedAs?: string;
}

/** The refusal to delete runs still running (`detail`, such as the last heartbeat, follows "still running"). */
export function runningRefusal(runIds: string[], detail = ''): KilnError {
  const which = runIds.length === 1 ? `run ${runIds[0]} is` : `runs ${runIds.join(', ')} are`;
  return kilnError('store/run-running', '', `${which} still running${detail}; nothing deleted`, 'stop it first (Ctrl-C where it trains), or pass --force to stop it through the store and then delete it');
}

export interface DeleteOptions {
  /** Delete a running run too: ask it to stop through the store, wait for it, then delete. */
  force?: boolean;
  /** How long a forced delete waits for the run to stop (default 15 s: a tracker looks every flush interval, 2 s). */
  waitMs?: number;
}

/**
 * Deletes a run and everything recorded for it, with the artifact contents kept in the store that no other run
 * names (not artifact files in a folder: the caller removes those). A run still running
 * (fresh heartbeat) is refused unless `force`: its process may be on another machine and the
 * store records no process id, so it is asked to stop through the store and given `waitMs` to
 * end cleanly; one that does not (an old Kiln, a hung process) fails at its next write.
 */
export async function deleteRunChecked(store: Store, runId: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
  const row = await store.db
    .select({ status: effectiveStatus(store.staleMs), heartbeatAt: runs.heartbeatAt, host: runs.host })
    .from(runs)
    .where(eq(runs.id, runId))
    .then((r) => r[0]);
  if (row === undefined) return { deleted: false, status: null, trialsDetached: 0, blobsFreed: { blobs: 0, bytes: 0 } };
  if (row.status === 'running' && opts.force !== true) {
    const ago = row.heartbeatAt === null ? '' : ` (last heartbeat ${Math.max(0, Math.round((Date.now() - row.heartbeatAt) / 1000))} s ago${row.host ? ` on ${row.host}` : ''})`;
    throw new KilnFailure(runningRefusal([runId], ago));
  }
  // a registered version an alias points at (production...): deleting its run would leave the alias pointing at nothing
  const aliased = opts.force === true ? undefined : await aliasedRefusal(store, [runId]);
  if (aliased !== undefined) throw new KilnFailure(aliased);
  let stoppedAs: string | undefined;
  if (row.status === 'running') {
    await requestStop(store, runId, 'stopped by kiln delete --force');
    stoppedAs = await waitForEnd(store, runId, opts.waitMs ?? 15_000);
  }
  const detached = await store.db.select({ id: trials.id }).from(trials).where(eq(trials.runId, runId));
  const contents = await store.db.selectDistinct({ sha256: artifacts.sha256 }).from(artifacts).where(eq(artifacts.runId, runId));
  await store.conn.writeBatch([store.db.update(trials).set({ runId: null }).where(eq(trials.runId, runId)), store.db.delete(runs).where(eq(runs.id, runId))]);
  // artifact contents kept in the store go with the last run that names them (artifact rows cascade with the run)
  const freed = await collectBlobs(store, contents.map((c) => c.sha256));
  return { deleted: true, status: row.status, trialsDetached: detached.length, blobsFreed: freed, ...(stoppedAs === undefined ? {} : { stoppedAs }) };
}
