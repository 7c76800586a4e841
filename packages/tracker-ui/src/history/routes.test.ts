import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTracker } from '@kiln/core/store';
import { createApp } from '../app.ts';
import { tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';

let store: Store;
let runId: string;
beforeAll(async () => {
  store = await tempStore();
  const run = await createTracker(store).startRun({ experiment: 'e', config: {}, yaml: '', configHash: 'h' });
  run.logMetrics(Array.from({ length: 10_000 }, (_, i) => ({ key: 'train.loss', step: i, value: i === 5003 ? 99 : i === 7001 ? -5 : Math.sin(i / 100) })));
  await run.end('finished');
  runId = run.id;
});
afterAll(() => store.close());

interface Wire {
  steps: number[];
  values: number[];
  downsampled: boolean;
}

describe('history API', () => {
  it('downsamples to maxPoints while keeping the extremes', async () => {
    const app = createApp({ store });
    const one = (await (await app.request(`/api/runs/${runId}/history?key=train.loss&maxPoints=200`)).json()) as Wire;
    expect(one.downsampled).toBe(true);
    expect(one.steps.length).toBeLessThanOrEqual(200);
    expect(Math.max(...one.values)).toBe(99);
    expect(Math.min(...one.values)).toBe(-5);
    const batch = (await (await app.request(`/api/history?run=${runId}&key=train.loss&run=${runId}&key=train.loss&maxPoints=50`)).json()) as { series: Wire[] };
    expect(batch.series).toHaveLength(2);
    expect(batch.series[0]?.steps.length).toBeLessThanOrEqual(50);
  });

  it('validates its parameters', async () => {
    const app = createApp({ store });
    expect((await app.request(`/api/runs/${runId}/history`)).status).toBe(400);
    expect((await app.request(`/api/runs/${runId}/history?key=train.loss&maxPoints=abc`)).status).toBe(400);
    expect((await app.request(`/api/history?run=${runId}`)).status).toBe(400);
    const empty = (await (await app.request(`/api/runs/${runId}/history?key=nope`)).json()) as Wire;
    expect(empty.steps).toEqual([]);
  });
});

describe('history cache', () => {
  it('serves ended runs from the cache but always reads running runs afresh', async () => {
    const { HistoryCache } = await import('./cache.ts');
    const live = await createTracker(store).startRun({ experiment: 'e', config: {}, yaml: '', configHash: 'h' });
    live.logMetrics([{ key: 'val.loss', step: 0, value: 1 }]);
    await live.flush();
    const cache = new HistoryCache(store, 10);
    const [ended1, live1] = await cache.get([[runId, 'train.loss'], [live.id, 'val.loss']], { points: 100 });
    live.logMetrics([{ key: 'val.loss', step: 1, value: 0.5 }]);
    await live.flush();
    const [ended2, live2] = await cache.get([[runId, 'train.loss'], [live.id, 'val.loss']], { points: 100 });
    expect(ended2).toBe(ended1);
    expect(live1?.points).toHaveLength(1);
    expect(live2?.points).toHaveLength(2);
    await live.end('finished');
  });
});
