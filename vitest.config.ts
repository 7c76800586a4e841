import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One throwaway PostgreSQL cluster shared by every test file that needs one (each makes its own databases).
    globalSetup: ['test/pg/cluster.ts'],
  },
});
