/**
 * Tracking-store benchmark (libsql file): ingest rate from one process, then on 100,000 seeded runs the
 * listing (filter + metric sort), the experiments and sweep pages, and downsampling a 10,000,000-point
 * history. Run: pnpm bench store [--runs N] [--points N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openStore } from '@kiln/core/store';
import { ingestRate as ingest } from '@kiln/core/testing';
import { seed, timeHistory, timeQueries } from './store-queries.ts';

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

/** Runs the benchmark and prints the numbers. */
export async function main(args: string[]): Promise<void> {
  const runs = arg(args, 'runs', 100_000);
  const points = arg(args, 'points', 10_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'kiln-bench-'));
  const store = await openStore(join(dir, 'bench.db'));
  try {
    // Warm-up first (JIT, statement caches), as training benchmarks leave out their first epoch.
    await ingest(store, 100_000);
    const { rate, runId } = await ingest(store, points);
    console.log(`ingest: ${Math.round(rate).toLocaleString('en-US')} points/s (${points.toLocaleString('en-US')} points after a 100,000-point warm-up, one process, target >= 200,000)`);

    const sweepId = await seed(store, runs);
    await timeQueries(store, runs, sweepId);
    await timeHistory(store, runId, points);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(process.argv.slice(2));
}
