/** What the store benchmarks share (CLI, UI, PostgreSQL): timing, the ingest measurement, seeding many small runs. */
import { createTracker, type Store } from '@kiln/core/store';

/** The fastest of `reps` runs of fn, with its last result. */
export async function best<T>(fn: () => Promise<T>, reps = 5): Promise<{ ms: number; result: T }> {
  let ms = Infinity;
  let result = undefined as T;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = await fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, result };
}

/** Logs `points` points through the tracker in 50,000-point flushes; returns points/s. */
export async function ingestRate(store: Store, points: number): Promise<{ rate: number; runId: string }> {
  const run = await createTracker(store).startRun({ experiment: 'bench-ingest', config: {}, yaml: '', configHash: 'b' });
  const batch = 50_000;
  const t0 = performance.now();
  for (let start = 0; start < points; start += batch) {
    const pts = [];
    for (let step = start; step < Math.min(points, start + batch); step++) pts.push({ key: 'loss', step, value: Math.sin(step / 1000) + Math.random() * 0.1 });
    run.logMetrics(pts);
    await run.flush();
  }
  const rate = points / ((performance.now() - t0) / 1000);
  await run.end('finished');
  return { rate, runId: run.id };
}

/** `count` ended runs with 20 params and 10 one-point metrics each, over 10 experiments, 8 writers at a time. */
export async function seedRuns(store: Store, count: number): Promise<void> {
  const tracker = createTracker(store, { flushIntervalMs: 60_000, heartbeatMs: 60_000 });
  const optimizers = ['adam', 'sgd', 'rmsprop'];
  const one = async (i: number) => {
    const run = await tracker.startRun({ experiment: `exp${i % 10}`, name: `run${i}`, config: {}, yaml: '', configHash: String(i) });
    const params: Record<string, unknown> = { 'train.optimizer.name': optimizers[i % 3], 'train.lr': (i % 100) / 1000 };
    for (let p = 0; p < 18; p++) params[`model.p${p}`] = (i * 7 + p) % 13;
    await run.logParams(params);
    run.logMetrics(Array.from({ length: 10 }, (_, m) => ({ key: m === 0 ? 'val.accuracy' : `m${m}`, step: 10, value: ((i * 31 + m) % 1000) / 1000 })));
    await run.end(i % 7 === 0 ? 'failed' : 'finished');
  };
  for (let i = 0; i < count; i += 8) await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, k) => one(i + k)));
}
