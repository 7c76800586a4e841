import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the one schema module and applied by store/migrate.ts on open.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/schema.ts',
  out: './drizzle',
});
