/**
 * Tracking-store benchmark: ingest rate from one process, filtered+sorted listing over 10,000 runs,
 * and downsampling a 1,000,000-point history. Run: pnpm exec tsx packages/runner/src/bench/store.ts [--runs N] [--points N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { listRuns, metricHistory, openStore } from '@kiln/core/store';
import { best as timeIt, ingestRate as ingest, seedRuns } from '@kiln/core/testing';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

/** Runs the benchmark and prints the numbers. */
export async function main(args: string[]): Promise<void> {
  const runs = arg(args, 'runs', 10_000);
  const points = arg(args, 'points', 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-'));
  const store = await openStore(join(dir, 'bench.db'));
  try {
    // Warm-up first (JIT, statement caches), as training benchmarks leave out their first epoch.
    await ingest(store, 100_000);
    const { rate, runId } = await ingest(store, points);
    console.log(`ingest: ${Math.round(rate).toLocaleString('en-US')} points/s (${points.toLocaleString('en-US')} points after a 100,000-point warm-up, one process, target >= 200,000)`);

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
