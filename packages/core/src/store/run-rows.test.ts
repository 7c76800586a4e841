import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './open.ts';
import { runRows } from './run-rows.ts';
import { createTracker } from './tracker.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';

afterAll(stopTestCluster);

const PARAMS = { lr: 0.1 + 0.2, third: 1 / 3, big: 2 ** 53 - 1, tiny: 5e-324, huge: -1.7976931348623157e308, on: true, off: false, name: 'a "quoted" ünïcode ✓', layers: [{ units: 64 }, { units: 10 }], nothing: null };

describe.each(DIALECTS)('%s store: run rows', (dialect) => {
  it('read every value back exactly, in the order asked, leaving unknown ids out', async () => {
    const store = await openStore(await freshStoreUrl(dialect));
    const tracker = createTracker(store, { flushIntervalMs: 60_000, heartbeatMs: 60_000 });
    const a = await tracker.startRun({ experiment: 'rows', config: {}, yaml: '', configHash: 'h' });
    await a.setTag('team', 'vision ✓');
    await a.setTag('odd key', '"x"');
    await a.logParams(PARAMS);
    a.logMetrics([
      { key: 'val.loss', step: 1, value: 1 / 3 },
      { key: 'val.loss', step: 2, value: 0.1 + 0.2 },
      { key: 'val.loss', step: 3, value: 0.7 },
      { key: 'spike', step: 1, value: Number.MAX_VALUE },
      { key: 'spike', step: 2, value: Number.MIN_VALUE },
      { key: 'blowup', step: 1, value: -Infinity },
      { key: 'blowup', step: 2, value: Infinity },
    ]);
    await a.end('finished');
    const b = await tracker.startRun({ experiment: 'rows', config: {}, yaml: '', configHash: 'h' });
    await b.end('failed', 'boom');

    const rows = await runRows(store, [b.id, 'no-such-run', a.id]);
    expect(rows.map((r) => r.id)).toEqual([b.id, a.id]);
    const [rb, ra] = rows;
    expect(rb).toMatchObject({ status: 'failed', failureReason: 'boom', experiment: 'rows', metrics: {}, params: {}, tags: {} });
    expect(ra?.params).toEqual(PARAMS);
    expect(ra?.tags).toEqual({ team: 'vision ✓', 'odd key': '"x"' });
    expect(ra?.metrics['val.loss']).toEqual({ last: 0.7, final: null, min: 0.1 + 0.2, max: 0.7, bestStep: 2, count: 3 });
    expect(ra?.metrics.spike).toMatchObject({ last: Number.MIN_VALUE, min: Number.MIN_VALUE, max: Number.MAX_VALUE, count: 2 });
    // non-finite values are stored as missing, and read back so
    expect(ra?.metrics.blowup).toMatchObject({ last: null, min: null, max: null, count: 2 });
    expect(await runRows(store, [])).toEqual([]);
    store.close();
  });

  it('reads more runs than one round trip holds', async () => {
    const store = await openStore(await freshStoreUrl(dialect));
    const tracker = createTracker(store, { flushIntervalMs: 60_000, heartbeatMs: 60_000 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await tracker.startRun({ experiment: 'many', config: {}, yaml: '', configHash: 'h' });
      await r.logParams({ i });
      await r.end('finished');
      ids.push(r.id);
    }
    // the same five ids, repeated past the 2,000-id chunk
    const asked = Array.from({ length: 4100 }, (_, k) => ids[k % 5] ?? '');
    const rows = await runRows(store, asked);
    expect(rows).toHaveLength(4100);
    expect(rows.map((r) => r.params.i)).toEqual(asked.map((_, k) => k % 5));
    store.close();
  });
});
