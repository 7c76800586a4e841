import { defineConfig } from 'vitest/config';

// Tests import the workspace packages' TypeScript sources: the `source` condition of their exports
// maps (the default conditions follow; vite's server set is module, node, development|production).
const conditions = ['source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'test/**/*.test.ts', 'eslint-rules/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: [
      // The spawned `kiln` binary runs packages/*/dist: build it from the current sources first.
      'test/global-build.ts',
      // One throwaway PostgreSQL cluster shared by every test file that needs one (each makes its own databases).
      'test/pg/cluster.ts',
    ],
  },
});
