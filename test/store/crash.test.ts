import { afterAll, describe, expect, it } from 'vitest';
import { openStore, getRun } from '../../packages/core/src/store/index.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster, storeRows } from '../../packages/core/src/store/testing/stores.ts';
import { spawnWorker, waitFor } from './helpers.ts';

afterAll(stopTestCluster);

describe.each(DIALECTS)('kill -9 mid-logging (%s)', (dialect) => {
  it('marks the run crashed on next open, keeps every flushed metric, and the store stays intact', async () => {
    const db = await freshStoreUrl(dialect);
    const child = spawnWorker(['hang', db, '-', '0', '200']);
    const [, runId = 'no run id printed'] = await waitFor(child, /run (\w+)/);
    await waitFor(child, /flushed (\d{4,})/);
    child.proc.kill('SIGKILL');
    await child.exited;
    const flushed = Math.max(...[...child.stdout().matchAll(/flushed (\d+)/g)].map((m) => Number(m[1])));
    expect(flushed).toBeGreaterThanOrEqual(1000);

    await new Promise((r) => setTimeout(r, 600));
    const store = await openStore(db, { staleMs: 500 });
    try {
      expect(store.crashedOnOpen).toBe(1);
      const run = await getRun(store, runId);
      expect(run?.status).toBe('crashed');
      const [row] = await storeRows(store)`SELECT count(*) AS n, max(step) AS top FROM metrics WHERE run_id = ${runId}`;
      const count = Number(row?.n);
      const maxStep = Number(row?.top);
      // Every point reported flushed is there (a flush may have committed after the last report).
      expect(count).toBeGreaterThanOrEqual(flushed);
      expect(count).toBe(maxStep + 1);
      expect(run?.metrics.loss?.count).toBe(count);
      expect(await store.conn.integrityCheck()).toBe('ok');
    } finally {
      store.close();
    }
  });
});
