/** Test and benchmark helpers: throwaway stores, a PostgreSQL cluster, seeded runs. Not part of the runtime API. */
export * from './store/testing/pg-cluster.ts';
export * from './store/testing/seed-runs.ts';
export * from './store/testing/seed-bulk.ts';
export * from './store/testing/stores.ts';
export * from './store/testing/migrations.ts';
