/** Runs seeded straight through the tracker API (the CLI is not the point there), and what the store holds afterwards. */
import { createTracker, openStore, type Store } from '@kiln/core/store';
import { storeRows } from '@kiln/core/testing';

export const POINTS = 200;

/** How a seeded run is left: ended, still heart-beating, or silent since long ago (its process died). */
export type Seeded = 'finished' | 'live' | 'stale';

/** Seeds one run with POINTS `loss` points; a `live` run's handle stays open (end it with the returned function). */
export async function seedRun(url: string, how: Seeded = 'finished'): Promise<{ id: string; end: () => Promise<void> }> {
  const store = await openStore(url, { staleMs: 3_600_000 });
  const run = await createTracker(store, { flushIntervalMs: 60_000, heartbeatMs: 60_000 }).startRun({ experiment: 'faults', name: `seed-${how}`, config: {}, yaml: '', configHash: how });
  await run.logParams({ 'train.epochs': 3 });
  run.logMetrics(Array.from({ length: POINTS }, (_, step) => ({ key: 'loss', step, value: 1 / (step + 1) })));
  await run.flush();
  if (how === 'finished') await run.end('finished');
  if (how === 'stale') await storeRows(store)`UPDATE runs SET heartbeat_at = ${Date.now() - 3_600_000} WHERE id = ${run.id}`;
  if (how !== 'live') {
    store.close();
    return { id: run.id, end: async () => undefined };
  }
  return {
    id: run.id,
    end: async () => {
      await run.end('killed').catch(() => undefined); // the run may have been deleted under it
      store.close();
    },
  };
}

/** Makes a file store a single self-contained file (no -wal content), as after a clean checkpoint. */
export async function checkpoint(path: string): Promise<void> {
  const store = await openStore(path, { staleMs: 3_600_000 });
  try {
    await storeRows(store)`PRAGMA wal_checkpoint(TRUNCATE)`;
  } finally {
    store.close();
  }
}

export interface Snapshot {
  integrity: string;
  /** Stored status per run id, as written (no stale computation). */
  stored: Record<string, string>;
  /** loss points per run id. */
  points: Record<string, number>;
}

/** What a store holds, read without writing. */
export async function snapshot(url: string): Promise<Snapshot> {
  const store: Store = await openStore(url, { mode: 'read' });
  try {
    const q = storeRows(store);
    const runs = await q`SELECT id, status FROM runs`;
    const counts = await q`SELECT run_id, count(*) AS n FROM metrics WHERE key = 'loss' GROUP BY run_id`;
    return {
      integrity: await store.conn.integrityCheck(),
      stored: Object.fromEntries(runs.map((r) => [String(r.id), String(r.status)])),
      points: Object.fromEntries(counts.map((r) => [String(r.run_id), Number(r.n)])),
    };
  } finally {
    store.close();
  }
}

/** Records a migration this Kiln does not ship, as a newer Kiln would have, through an already open store (the check is at open). */
export async function addFutureMigration(store: Store): Promise<void> {
  const q = storeRows(store);
  const future = Date.UTC(2030, 0, 1);
  if (store.dialect === 'pg') await q`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('future-migration', ${future})`;
  else await q`INSERT INTO __drizzle_migrations (hash, created_at) VALUES ('future-migration', ${future})`;
}

/** Rows in the runs, metrics and migration tables, through an open store. */
export async function rowCounts(store: Store): Promise<{ runs: number; metrics: number; migrations: number }> {
  const q = storeRows(store);
  const [runs] = await q`SELECT count(*) AS n FROM runs`;
  const [metrics] = await q`SELECT count(*) AS n FROM metrics`;
  const [migrations] = store.dialect === 'pg' ? await q`SELECT count(*) AS n FROM drizzle.__drizzle_migrations` : await q`SELECT count(*) AS n FROM __drizzle_migrations`;
  return { runs: Number(runs?.n), metrics: Number(metrics?.n), migrations: Number(migrations?.n) };
}

/** Per metric key of a run: points, its first epoch, and whether its epochs run without a hole. */
export async function metricRanges(url: string, runId: string): Promise<Record<string, { n: number; first: number; contiguous: boolean }>> {
  const store = await openStore(url, { mode: 'read' });
  try {
    const rows = await storeRows(store)`SELECT key, count(*) AS n, count(DISTINCT epoch) AS epochs, min(epoch) AS lo, max(epoch) AS hi FROM metrics WHERE run_id = ${runId} GROUP BY key`;
    return Object.fromEntries(rows.map((r) => [String(r.key), { n: Number(r.n), first: Number(r.lo), contiguous: Number(r.epochs) === Number(r.hi) - Number(r.lo) + 1 }]));
  } finally {
    store.close();
  }
}
