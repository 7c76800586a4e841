import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './open.ts';
import { createTracker } from './tracker.ts';
import { addTrials, claimTrial, createSweep, finishTrial } from './sweeps.ts';
import { endedRuns, runHosts } from './run-hosts.ts';
import { listSweeps } from './sweep-list.ts';
import { experimentsWithBest, mainMetric } from './experiment-best.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';

let store: Store | undefined;
afterEach(() => store?.close());
afterAll(stopTestCluster);

describe('mainMetric', () => {
  it('prefers validation accuracy, then validation loss, then any validation or test metric', () => {
    expect(mainMetric(['train.loss', 'val.loss', 'val.accuracy'])).toBe('val.accuracy');
    expect(mainMetric(['train.loss', 'val.loss'])).toBe('val.loss');
    expect(mainMetric(['train.loss', 'test.f1'])).toBe('test.f1');
    expect(mainMetric([])).toBeNull();
  });

  it('never picks a system metric, the legacy epoch time included', () => {
    expect(mainMetric(['sys/cpu_percent', 'time.epoch_seconds', 'loss'])).toBe('loss');
    expect(mainMetric(['sys/rss_mb', 'time.epoch_seconds'])).toBeNull();
  });
});

describe.each(DIALECTS)('%s store: the UI listings', (dialect) => {
  it('read hosts, ended runs, best experiment values and sweep summaries', async () => {
    store = await openStore(await freshStoreUrl(dialect));
    const tracker = createTracker(store, { flushIntervalMs: 60_000, heartbeatMs: 60_000 });
    const done = await tracker.startRun({ experiment: 'e', config: {}, yaml: '', configHash: 'a', provenance: { host: 'box-1' } });
    done.logMetrics([
      { key: 'val.loss', step: 1, value: 0.5 },
      { key: 'val.loss', step: 2, value: 0.25 },
    ]);
    await done.end('finished');
    const live = await tracker.startRun({ experiment: 'e', config: {}, yaml: '', configHash: 'b', provenance: {} });

    expect([...(await runHosts(store, [done.id, live.id, 'nope']))]).toEqual([[done.id, 'box-1']]);
    expect([...(await endedRuns(store, [done.id, live.id]))]).toEqual([done.id]);
    expect(await endedRuns(store, [])).toEqual(new Set());

    const [exp] = await experimentsWithBest(store);
    expect(exp).toMatchObject({ name: 'e', runCount: 2, metric: 'val.loss', goal: 'minimize', best: 0.25 });

    const sweepId = await createSweep(store, { name: 's', experiment: 'e', spec: {}, method: 'grid', metric: 'val.accuracy', goal: 'maximize' });
    await addTrials(store, sweepId, [0, 1, 2].map((number) => ({ number, params: {} })));
    for (const value of [0.5, 0.75]) {
      const trial = await claimTrial(store, sweepId, 'w:1:t');
      if (trial === null) throw new Error('no queued trial');
      await finishTrial(store, trial.id, { state: 'complete', value });
    }
    expect(await listSweeps(store)).toEqual([expect.objectContaining({ id: sweepId, experiment: 'e', trials: 3, complete: 2, best: 0.75 })]);
    await live.end('finished');
  });
});
