/**
 * PostgreSQL store benchmark on a throwaway cluster it starts and removes: ingest rate from one
 * process (target >= 100,000 points/s), then what `pnpm bench store` times on 100,000 seeded runs and
 * a 10,000,000-point history. Run: pnpm bench store-pg [--runs N] [--points N] [--url postgres://...]
 */
import { pathToFileURL } from 'node:url';
import { sql } from 'drizzle-orm';
import { openStore } from '@kiln/core/store';
import { ingestRate, startPgCluster } from '@kiln/core/testing';
import { seed, timeHistory, timeQueries } from './store-queries.ts';

function arg(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Runs the benchmark against `--url`, or a throwaway cluster, and prints the numbers. */
export async function main(args: string[]): Promise<void> {
  const runs = Number(arg(args, 'runs') ?? 100_000);
  const points = Number(arg(args, 'points') ?? 10_000_000);
  const given = arg(args, 'url');
  const cluster = given === undefined ? await startPgCluster('kiln_bench') : undefined;
  const store = await openStore(given ?? cluster?.url);
  try {
    console.log(`store: ${store.displayUrl}`);
    // Warm-up first (JIT, statement caches), as training benchmarks leave out their first epoch.
    await ingestRate(store, 100_000);
    const { rate, runId } = await ingestRate(store, points);
    console.log(`ingest: ${Math.round(rate).toLocaleString('en-US')} points/s (${points.toLocaleString('en-US')} points, one process, target >= 100,000)`);
    const sweepId = await seed(store, runs);
    await store.conn.rows(sql`VACUUM ANALYZE`); // what autovacuum does on a live server after a bulk load: statistics, and the visibility map index-only scans need
    await timeQueries(store, runs, sweepId);
    await timeHistory(store, runId, points);
  } finally {
    store.close();
    cluster?.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.slice(2));
}
