import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './open.ts';
import { createTracker } from './tracker.ts';
import { requestStop, stopRequest, waitForEnd } from './stop.ts';
import { DIALECTS, freshStoreUrl, stopTestCluster } from './testing/stores.ts';

let store: Store | undefined;
afterEach(() => store?.close());
afterAll(stopTestCluster);

describe.each(DIALECTS)('%s store: stop requests', (dialect) => {
  it("reach a run's listener on its next timed flush; the asker sees the run end", async () => {
    store = await openStore(await freshStoreUrl(dialect));
    const run = await createTracker(store, { flushIntervalMs: 50 }).startRun({ experiment: 'e', config: {}, yaml: '', configHash: 'h' });
    const heard = new Promise<string>((resolve) => run.onStopRequest(resolve));
    expect(await stopRequest(store, run.id)).toBeUndefined();
    expect(await waitForEnd(store, run.id, 100, 20)).toBe('running');
    await requestStop(store, run.id, 'stopped by a test');
    expect(await heard).toBe('stopped by a test');
    await run.end('killed', 'stopped by a test');
    expect(await waitForEnd(store, run.id, 1000)).toBe('killed');
    expect(await waitForEnd(store, 'no-such-run', 1000)).toBe('deleted');
  });
});
