import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTracker } from '@kiln/core/store';
import { createApp } from '../app.ts';
import { tempStore } from '../testing/seed.ts';
import type { Store } from '../data/store.ts';

let store: Store;
let runId: string;
const T0 = Date.UTC(2026, 0, 1);
beforeAll(async () => {
  store = await tempStore();
  const run = await createTracker(store).startRun({ experiment: 'e', config: {}, yaml: '', configHash: 'h' });
  // 3 epochs of 4 batches, a batch every 2 s
  run.logMetrics(Array.from({ length: 12 }, (_, i) => ({ key: 'train.batch_loss', step: i, epoch: Math.floor(i / 4) + 1, value: 1 / (i + 1), wallTime: T0 + 2000 * i })));
  await run.end('finished');
  runId = run.id;
});
afterAll(() => store.close());

interface Wire {
  steps: number[];
  epochs?: (number | null)[];
  times?: (number | null)[];
  downsampled: boolean;
}

async function history(query: string): Promise<Wire> {
  const res = await createApp({ store }).request(`/api/history?run=${runId}&key=train.batch_loss${query}`, { headers: { host: '127.0.0.1' } });
  const { series } = (await res.json()) as { series: Wire[] };
  const [one] = series;
  if (one === undefined) throw new Error('no series');
  return one;
}

describe('history wire form for the x axis switch', () => {
  it('carries each point epoch and wall time beside its step', async () => {
    const h = await history('');
    expect(h.downsampled).toBe(false);
    expect(h.epochs).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
    expect(h.times).toEqual(h.steps.map((s) => T0 + 2000 * s));
  });

  it('carries them for the bucket extremes a downsampled history keeps', async () => {
    const h = await history('&maxPoints=4');
    expect(h.downsampled).toBe(true);
    expect(h.steps.length).toBeLessThan(12);
    expect(h.epochs).toEqual(h.steps.map((s) => Math.floor(s / 4) + 1));
    expect(h.times).toEqual(h.steps.map((s) => T0 + 2000 * s));
  });
});
