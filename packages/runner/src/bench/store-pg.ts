/**
 * PostgreSQL store benchmark on a throwaway cluster it starts and removes: ingest rate from one
 * process (target >= 100,000 points/s), filtered listing over N runs, downsampling a long history.
 * Run: pnpm exec tsx packages/runner/src/bench/store-pg.ts [--runs N] [--points N] [--url postgres://...]
 */
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { listRuns, metricHistory, openStore } from '@kiln/core/store';
import { startPgCluster } from '@kiln/core/testing';
import { best, ingestRate, seedRuns } from '@kiln/core/testing';

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
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
    // Warm-up first (JIT, statement caches), as training benchmarks leave out their first epoch.
    await ingestRate(store, 100_000);
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
