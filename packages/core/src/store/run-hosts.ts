/** Per-run facts the run listing leaves out: the host each run trained on, and which runs have ended. */
import { inArray } from 'drizzle-orm';
import type { Store } from './open.ts';
import { runs } from './schema.ts';

/** Host by run id for the given runs (runs without a recorded host are absent). */
export async function runHosts(store: Store, runIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (runIds.length === 0) return out;
  const rows = await store.db.select({ id: runs.id, host: runs.host }).from(runs).where(inArray(runs.id, [...runIds]));
  for (const r of rows) if (r.host !== null) out.set(r.id, r.host);
  return out;
}

/** The ids among runIds whose run is stored with a status other than `running` (their metrics no longer change). */
export async function endedRuns(store: Store, runIds: readonly string[]): Promise<Set<string>> {
  if (runIds.length === 0) return new Set();
  const rows = await store.db.select({ id: runs.id, status: runs.status }).from(runs).where(inArray(runs.id, [...runIds]));
  return new Set(rows.filter((r) => r.status !== 'running').map((r) => r.id));
}
