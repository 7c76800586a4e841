/**
 * vitest globalSetup: one throwaway PostgreSQL cluster for the whole test run, its admin URL in
 * KILN_TEST_PG_URL for the store tests (each makes its own databases in it). Started only when the
 * run includes tests that use PostgreSQL and the server binaries are installed; otherwise each test
 * process that needs PostgreSQL starts its own cluster (testing/stores.ts) or reports it missing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pgBinDir, startPgCluster } from '../../packages/core/src/store/testing/pg-cluster.ts';

export { startPgCluster, type PgCluster } from '../../packages/core/src/store/testing/pg-cluster.ts';

/** Folders holding tests that open PostgreSQL stores. */
const PG_TESTS = ['packages/core/src/store', 'packages/runner/src/track', 'packages/tracker-ui', 'test/store', 'test/pg', 'test/ui', 'test/faults'];

/** The path filters vitest was given (`vitest run a b`); option values may slip in, which only makes a cluster less likely. */
function fileFilters(argv: readonly string[]): string[] {
  const at = argv.findIndex((a) => a === 'run' || a === 'watch' || a === 'related');
  return (at < 0 ? [] : argv.slice(at + 1)).filter((a) => !a.startsWith('-')).map((a) => a.replace(/^\.\//, ''));
}

/** Whether a run with these filters includes a PostgreSQL test (no filters: the whole suite). */
export function needsCluster(filters: readonly string[]): boolean {
  return filters.length === 0 || filters.some((f) => PG_TESTS.some((dir) => dir.includes(f) || f.startsWith(dir)));
}

function serverInstalled(): boolean {
  const dir = pgBinDir();
  return dir === '' ? (process.env.PATH ?? '').split(':').some((p) => existsSync(join(p, 'initdb'))) : existsSync(join(dir, 'initdb'));
}

/** Starts the cluster before any test file and returns its teardown. */
export default async function setup(): Promise<() => void> {
  if (process.env.KILN_TEST_PG_URL || !needsCluster(fileFilters(process.argv)) || !serverInstalled()) return () => undefined;
  const cluster = await startPgCluster('kiln');
  process.env.KILN_TEST_PG_URL = cluster.url;
  return () => cluster.stop();
}
