import { afterAll, describe, expect, it } from 'vitest';
import { distinctKeys } from './distinct-keys.ts';
import { openStore } from './open.ts';
import { createTracker } from './tracker.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';

afterAll(stopTestCluster);

describe.each(DIALECTS)('%s store: distinct keys', (dialect) => {
  it('lists each key of a table once, sorted, up to the limit; none for an empty table', async () => {
    const store = await openStore(await freshStoreUrl(dialect));
    expect(await distinctKeys(store, 'params')).toEqual([]);
    const tracker = createTracker(store, { flushIntervalMs: 60_000, heartbeatMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      const run = await tracker.startRun({ experiment: 'keys', config: {}, yaml: '', configHash: 'h' });
      await run.logParams({ 'train.lr': i, 'model.units': 8, ...(i === 2 ? { 'a_b.c': true } : {}) });
      run.logMetrics([{ key: 'val.loss', step: 1, value: i }, { key: 'train.loss', step: 1, value: i }]);
      await run.setTag('team', 'x');
      await run.end('finished');
    }
    expect(await distinctKeys(store, 'params')).toEqual(['a_b.c', 'model.units', 'train.lr']);
    expect(await distinctKeys(store, 'params', 2)).toHaveLength(2);
    expect(await distinctKeys(store, 'metric_summaries')).toEqual(['train.loss', 'val.loss']);
    expect(await distinctKeys(store, 'tags')).toEqual(['team']);
    store.close();
  });
});
