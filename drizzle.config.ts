import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema and applied by server/db at start-up
// (the same SQL for embedded PGlite and for PostgreSQL).
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/schema/index.ts',
  out: './server/db/migrations',
  strict: true,
  verbose: true,
});
