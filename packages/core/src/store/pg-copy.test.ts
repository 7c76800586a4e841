import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openStore } from './open.ts';
import { createTracker } from './tracker.ts';
import { metricCopyData } from './pg-copy.ts';
import { freshPgUrl, stopTestCluster } from './testing/stores.ts';

afterAll(stopTestCluster);

describe('metric rows by COPY', () => {
  it('escapes text fields and writes NULL as \\N', () => {
    expect(metricCopyData('r\\1', [['a\tb\nc\rd', 3, null, null, 7]])).toBe('r\\\\1\ta\\tb\\nc\\rd\t3\t\\N\t\\N\t7\n');
  });

  it('stores every row exactly as given in PostgreSQL: awkward keys, null epochs, non-finite values, extreme doubles', async () => {
    const store = await openStore(await freshPgUrl());
    try {
      const run = await createTracker(store).startRun({ experiment: 'copy', config: {}, yaml: '', configHash: 'c' });
      const keys = ['plain', 'tab\there', 'line\nbreak', 'back\\slash', 'ünï €'];
      const values = [0.1 + 0.2, -1e-300, 1.7976931348623157e308, 123456789.12345679, -0.5, Number.NaN, Number.POSITIVE_INFINITY];
      const points = keys.flatMap((key, k) => values.map((value, i) => ({ key, step: k * 100 + i, epoch: i % 2 === 0 ? i : undefined, value })));
      run.logMetrics(points);
      await run.end('finished');
      const rows = await store.conn.rows(sql`SELECT key, step, epoch, value FROM metrics WHERE run_id = ${run.id} ORDER BY step`);
      expect(rows).toEqual(points.map((p) => ({ key: p.key, step: p.step, epoch: p.epoch ?? null, value: Number.isFinite(p.value) ? p.value : null })));
    } finally {
      store.close();
    }
  });
});
