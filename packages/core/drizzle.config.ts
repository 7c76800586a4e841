import { defineConfig } from 'drizzle-kit';

// SQLite/libsql migrations, generated from the one schema module and applied on open (dialect-sqlite.ts).
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/store/schema.ts',
  out: './drizzle/sqlite',
});
