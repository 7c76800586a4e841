/** The host each run trained on (runs record it; core's run listing leaves it out). */
import { inArray } from 'drizzle-orm';
import { tables, type Store } from './store.ts';

/** Host by run id for the given runs (runs without a recorded host are absent). */
export async function runHosts(store: Store, runIds: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (runIds.length === 0) return out;
  const rows = await store.db.select({ id: tables.runs.id, host: tables.runs.host }).from(tables.runs).where(inArray(tables.runs.id, [...runIds]));
  for (const r of rows) if (r.host !== null) out.set(r.id, r.host);
  return out;
}

/** The host part of a sweep worker id (`host:pid:tag`), for a trial whose run has not started yet. */
export function workerHost(workerId: string | null): string | null {
  if (workerId === null) return null;
  const cut = workerId.indexOf(':');
  return cut <= 0 ? null : workerId.slice(0, cut);
}
