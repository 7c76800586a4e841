/**
 * Tracking-store benchmark: ingest rate from one process, filtered+sorted listing over 10,000 runs,
 * and downsampling a 1,000,000-point history. Run: pnpm exec tsx packages/runner/src/bench/store.ts [--runs N] [--points N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTracker, listRuns, metricHistory, openStore, type Store } from '@kiln/core/store/index';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

async function timeIt<T>(fn: () => Promise<T>, reps = 5): Promise<{ ms: number; result: T }> {
  let best = Infinity;
  let result = undefined as T;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = await fn();
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, result };
}

async function ingest(store: Store, points: number): Promise<{ rate: number; runId: string }> {
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

async function seedRuns(store: Store, count: number): Promise<void> {
  const tracker = createTracker(store, { flushIntervalMs: 60_000, heartbeatMs: 60_000 });
  const optimizers = ['adam', 'sgd', 'rmsprop'];
  for (let i = 0; i < count; i++) {
    const run = await tracker.startRun({ experiment: `exp${i % 10}`, name: `run${i}`, config: {}, yaml: '', configHash: String(i) });
    const params: Record<string, unknown> = { 'train.optimizer.name': optimizers[i % 3], 'train.lr': (i % 100) / 1000 };
    for (let p = 0; p < 18; p++) params[`model.p${p}`] = (i * 7 + p) % 13;
    await run.logParams(params);
    const pts = [];
    for (let m = 0; m < 10; m++) pts.push({ key: m === 0 ? 'val.accuracy' : `m${m}`, step: 10, value: ((i * 31 + m) % 1000) / 1000 });
    run.logMetrics(pts);
    await run.end(i % 7 === 0 ? 'failed' : 'finished');
  }
}

/** Runs the benchmark and prints the numbers. */
export async function main(args: string[]): Promise<void> {
  const runs = arg(args, 'runs', 10_000);
  const points = arg(args, 'points', 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-'));
  const store = await openStore(join(dir, 'bench.db'));
  try {
    const { rate, runId } = await ingest(store, points);
    console.log(`ingest: ${Math.round(rate).toLocaleString('en-US')} points/s (${points.toLocaleString('en-US')} points, one process, target >= 200,000)`);

    const t0 = performance.now();
    await seedRuns(store, runs);
    console.log(`seeded ${runs} runs x 20 params x 10 metrics in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const filter = 'metrics.val.accuracy > 0.5 and (params.train.optimizer.name = "adam" or params.train.lr < 0.01) and status = finished';
    const list = await timeIt(() => listRuns(store, { filter, sort: '-metrics.val.accuracy', limit: 50 }));
    console.log(`list ${runs} runs, filter + sort by metric, page of 50: ${list.ms.toFixed(1)} ms (${list.result.total} match, target <= 100 ms)`);
    const byParam = await timeIt(() => listRuns(store, { sort: 'params.train.lr', limit: 50, offset: 100 }));
    console.log(`list ${runs} runs, sort by param, offset 100: ${byParam.ms.toFixed(1)} ms`);

    const hist = await timeIt(() => metricHistory(store, runId, 'loss', { points: 1000 }));
    console.log(`downsample ${points.toLocaleString('en-US')} points to ${hist.result.points.length}: ${hist.ms.toFixed(1)} ms (target <= 100 ms)`);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.slice(2));
}
