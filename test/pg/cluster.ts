/**
 * vitest globalSetup: one throwaway PostgreSQL cluster for the whole test run, its admin URL in
 * KILN_TEST_PG_URL for the store tests (each makes its own databases in it). Without this setup,
 * each test process that needs PostgreSQL starts its own cluster (testing/stores.ts).
 */
import { startPgCluster } from '../../packages/core/src/store/testing/pg-cluster.ts';

export { startPgCluster, type PgCluster } from '../../packages/core/src/store/testing/pg-cluster.ts';

/** Starts the cluster before any test file and returns its teardown. */
export default async function setup(): Promise<() => void> {
  if (process.env.KILN_TEST_PG_URL) return () => undefined;
  const cluster = await startPgCluster('kiln');
  process.env.KILN_TEST_PG_URL = cluster.url;
  return () => cluster.stop();
}
