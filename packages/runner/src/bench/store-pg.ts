/**
 * PostgreSQL store benchmark on a throwaway cluster it starts and removes: ingest rate from one
 * process (target >= 100,000 points/s), filtered listing over N runs, downsampling a long history.
 * Run: pnpm exec tsx packages/runner/src/bench/store-pg.ts [--runs N] [--points N] [--url postgres://...]
 */
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { createTracker, listRuns, metricHistory, openStore, type Store } from '@kiln/core/store/index';
import { startPgCluster } from '@kiln/core/store/testing/pg-cluster';

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function best<T>(fn: () => Promise<T>, reps = 5): Promise<{ ms: number; result: T }> {
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

/** `count` finished runs with 20 params and 10 metrics each, spread over 10 experiments. */
export async function seedRuns(store: Store, count: number): Promise<void> {
  const tracker = createTracker(store, { flushIntervalMs: 60_000, heartbeatMs: 60_000 });
  const optimizers = ['adam', 'sgd', 'rmsprop'];
  const one = async (i: number) => {
    const run = await tracker.startRun({ experiment: `exp${i % 10}`, name: `run${i}`, config: {}, yaml: '', configHash: String(i) });
    const params: Record<string, unknown> = { 'train.optimizer.name': optimizers[i % 3], 'train.lr': (i % 100) / 1000 };
    for (let p = 0; p < 18; p++) params[`model.p${p}`] = (i * 7 + p) % 13;
    await run.logParams(params);
    const pts = [];
    for (let m = 0; m < 10; m++) pts.push({ key: m === 0 ? 'val.accuracy' : `m${m}`, step: 10, value: ((i * 31 + m) % 1000) / 1000 });
    run.logMetrics(pts);
    await run.end(i % 7 === 0 ? 'failed' : 'finished');
  };
  // A server store takes concurrent writers; 8 at a time keeps the seeding short.
  for (let i = 0; i < count; i += 8) await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, k) => one(i + k)));
}

/** Runs the benchmark against `--url`, or a throwaway cluster, and prints the numbers. */
export async function main(args: string[]): Promise<void> {
  const runs = Number(arg(args, 'runs') ?? 10_000);
  const points = Number(arg(args, 'points') ?? 1_000_000);
  const given = arg(args, 'url');
  const cluster = given === undefined ? await startPgCluster('kiln_bench') : undefined;
  const store = await openStore(given ?? cluster?.url);
  try {
    console.log(`store: ${store.displayUrl}`);
    const { rate, runId } = await ingestRate(store, points);
    console.log(`ingest: ${Math.round(rate).toLocaleString('en-US')} points/s (${points.toLocaleString('en-US')} points, one process, target >= 100,000)`);
    const t0 = performance.now();
    await seedRuns(store, runs);
    console.log(`seeded ${runs} runs x 20 params x 10 metrics in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await store.conn.rows(sql`ANALYZE`); // what autovacuum does on a live server after a bulk load
    const filter = 'metrics.val.accuracy > 0.5 and (params.train.optimizer.name = "adam" or params.train.lr < 0.01) and status = finished';
    const list = await best(() => listRuns(store, { filter, sort: '-metrics.val.accuracy', limit: 50 }));
    console.log(`list ${runs} runs, filter + sort by metric, page of 50: ${list.ms.toFixed(1)} ms (${list.result.total} match)`);
    const byParam = await best(() => listRuns(store, { sort: 'params.train.lr', limit: 50, offset: 100 }));
    console.log(`list ${runs} runs, sort by param, offset 100: ${byParam.ms.toFixed(1)} ms`);
    const hist = await best(() => metricHistory(store, runId, 'loss', { points: 1000 }));
    console.log(`downsample ${points.toLocaleString('en-US')} points to ${hist.result.points.length}: ${hist.ms.toFixed(1)} ms`);
  } finally {
    store.close();
    cluster?.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.slice(2));
}
