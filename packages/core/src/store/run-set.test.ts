import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './open.ts';
import { runSetStats } from './run-set.ts';
import { createTracker } from './tracker.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';

afterAll(stopTestCluster);

describe.each(DIALECTS)('%s store: run set statistics', (dialect) => {
  it('read the whole set when it is small, and its newest runs only past the sample size', async () => {
    const store = await openStore(await freshStoreUrl(dialect));
    const tracker = createTracker(store, { flushIntervalMs: 60_000, heartbeatMs: 60_000 });
    for (let i = 0; i < 5; i++) {
      const run = await tracker.startRun({ experiment: i < 4 ? 'set' : 'other', config: {}, yaml: '', configHash: 'h' });
      // the oldest run alone has `legacy`; lr varies over every run
      await run.logParams({ lr: [0.1, 0.01, 0.001, 0.0001, 0.00001][i], ...(i === 0 ? { legacy: 'x' } : {}) });
      run.logMetrics([{ key: i === 0 ? 'old.metric' : 'val.loss', step: 1, value: i }]);
      await run.end('finished');
      // startedAt orders the sample: one millisecond apart at least
      await new Promise((r) => setTimeout(r, 3));
    }
    const all = await runSetStats(store, { experiment: 'set' });
    expect(all).toMatchObject({ total: 4, sampled: false, metricKeys: ['old.metric', 'val.loss'] });
    expect(all.params.map((p) => p.key)).toEqual(['legacy', 'lr']);
    expect(all.params.find((p) => p.key === 'lr')).toMatchObject({ runs: 4, distinct: 4, numeric: true, min: 1e-4, max: 0.1 });

    const newest = await runSetStats(store, { experiment: 'set' }, 3);
    expect(newest).toMatchObject({ total: 3, sampled: true, metricKeys: ['val.loss'] });
    expect(newest.params.map((p) => p.key)).toEqual(['lr']);
    expect(newest.params[0]).toMatchObject({ runs: 3, min: 1e-4, max: 0.01 });

    const none = await runSetStats(store, { filter: 'metrics.val.loss > 100' });
    expect(none).toEqual({ total: 0, sampled: false, params: [], metricKeys: [], tagKeys: [], monitored: null, swept: {} });
    store.close();
  });
});
