import { defineConfig } from 'drizzle-kit';

// PostgreSQL migrations from the same schema (schema-pg.ts derives the tables); applied on open (dialect-pg.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema-pg.ts',
  out: './drizzle/pg',
});
