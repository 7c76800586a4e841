import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import kiln from './eslint-rules/layers.js';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.kiln/**', 'test-output/**', 'packages/tracker-ui/src/public/vendor/**', '**/generated/**', '**/scratch/**', '**/*.tmp.*'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain Node entry scripts (the TypeScript sources get their globals from @types/node).
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', URL: 'readonly', console: 'readonly', Buffer: 'readonly', performance: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Imports go one way (eslint-rules/layers.js). Tests, and the scripts they run as a user would,
    // may reach across layers to set up and check.
    files: ['packages/*/src/**/*.{ts,tsx,js}', 'packages/*/bin/**/*.mjs'],
    ignores: ['**/*.test.ts', '**/*-fixture.ts'],
    plugins: { kiln },
    rules: { 'kiln/layers': 'error' },
  },
);
