import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './open.ts';
import { createTracker } from './tracker.ts';
import { writeMetrics, type MetricPoint } from './metrics.ts';
import { getRun } from './query.ts';
import { freshStoreUrl } from './testing/stores.ts';

let store: Store | undefined;
afterEach(() => store?.close());

const base = { yaml: 'name: x\n', configHash: 'h1', seed: 7, dataFingerprint: 'fp' };
const series = (key: string, values: number[]): MetricPoint[] => values.map((value, i) => ({ key, step: i + 1, epoch: i + 1, value }));

/** best_step per key after writing `points` in two batches (the second merges into the stored summary). */
async function bestSteps(points: MetricPoint[]): Promise<Record<string, number | null | undefined>> {
  store = await openStore(await freshStoreUrl('sqlite'));
  const run = await createTracker(store).startRun({ experiment: 'e', config: {}, ...base });
  const half = Math.ceil(points.length / 2);
  await writeMetrics(store.conn, run.id, points.slice(0, half));
  await writeMetrics(store.conn, run.id, points.slice(half));
  const got = await getRun(store, run.id);
  return Object.fromEntries(Object.entries(got?.metrics ?? {}).map(([k, m]) => [k, m.bestStep]));
}

describe('metric summaries: best step', () => {
  // The old store regex matched the whole key, so an output named `error` made its accuracy lower-is-better,
  // and the epoch time's best was its slowest epoch; the monitor and compare said otherwise.
  it('points at the better extreme the catalog names, whatever the output is called', async () => {
    const best = await bestSteps([
      ...series('val.error.accuracy', [0.5, 0.9, 0.7, 0.6]),
      ...series('val.error.loss', [0.9, 0.3, 0.5, 0.4]),
      ...series('time.epoch_seconds', [3, 2, 4, 5]),
      ...series('train.batch_loss', [2, 1.5, 1, 1.2]),
      ...series('val.species.accuracy', [0.2, 0.4, 0.8, 0.6]),
    ]);
    expect(best).toEqual({ 'val.error.accuracy': 2, 'val.error.loss': 2, 'time.epoch_seconds': 2, 'train.batch_loss': 3, 'val.species.accuracy': 3 });
  });
});
