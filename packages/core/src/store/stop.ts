/**
 * Asking a running run to stop through the store: `kiln delete --force` may run on another
 * machine than the trainer and the store records no process id, so the request is a row the
 * trainer's tracker polls (a tag, so no migration and any dialect), and the asker waits for the
 * run to end cleanly before it deletes anything.
 */
import { and, eq } from 'drizzle-orm';
import type { Store } from './open.ts';
import { runs, tags } from './schema.ts';
import { effectiveStatus } from './stale.ts';
import { withBusyRetry } from './retry.ts';

/** The tag whose value is why a run was asked to stop. */
export const STOP_TAG = 'kiln.stop';

/** Records a stop request for a run; its tracker sees it within one flush interval. */
export async function requestStop(store: Store, runId: string, reason: string): Promise<void> {
  await withBusyRetry(() =>
    store.db
      .insert(tags)
      .values({ runId, key: STOP_TAG, value: reason })
      .onConflictDoUpdate({ target: [tags.runId, tags.key], set: { value: reason } }),
  );
}

/** The pending stop request of a run, if any. */
export async function stopRequest(store: Store, runId: string): Promise<string | undefined> {
  const rows = await store.db
    .select({ value: tags.value })
    .from(tags)
    .where(and(eq(tags.runId, runId), eq(tags.key, STOP_TAG)));
  return rows[0]?.value;
}

/** Waits until a run no longer reads as running (or is gone); returns its status then, or 'running' after timeoutMs. */
export async function waitForEnd(store: Store, runId: string, timeoutMs: number, pollMs = 200): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await store.db
      .select({ status: effectiveStatus(store.staleMs) })
      .from(runs)
      .where(eq(runs.id, runId))
      .then((r) => r[0]);
    if (row === undefined || row.status !== 'running') return row?.status ?? 'deleted';
    if (Date.now() >= deadline) return 'running';
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
  }
}
