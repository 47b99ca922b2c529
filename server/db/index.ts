import 'server-only';
import { config } from '@/server/config';
import { openDatabase, type Database, type DatabaseHandle } from './open';

export type { Database, DatabaseHandle } from './open';
export { openDatabase } from './open';
export * as schema from './schema';

// Kept on globalThis so Next's dev-mode module reloads reuse one connection (PGlite allows one
// opener per data folder) and migrations run once per process.
const globalKey = Symbol.for('token-desk.app-database');
type GlobalWithDb = typeof globalThis & { [globalKey]?: Promise<DatabaseHandle> };

/**
 * The app database, migrated. PostgreSQL when DATABASE_URL is set; otherwise embedded PGlite in
 * `${DATA_DIR}/app`. Under Vitest every test file starts empty: a fresh database on the PostgreSQL
 * server at TEST_DATABASE_URL when set (server/db/test-database.ts), else in-memory PGlite.
 */
export function getDb(): Promise<Database> {
  return getDatabaseHandle().then((handle) => handle.db);
}

export function getDatabaseHandle(): Promise<DatabaseHandle> {
  const store = globalThis as GlobalWithDb;
  store[globalKey] ??= openConfiguredDatabase().catch((error: unknown) => {
    // Let the next request try again instead of caching the failure forever.
    delete store[globalKey];
    throw error;
  });
  return store[globalKey];
}

function openConfiguredDatabase(): Promise<DatabaseHandle> {
  if (config.databaseUrl)
    return openDatabase({ url: config.databaseUrl, poolSize: config.databasePoolSize, serverless: config.vercel });
  if (process.env.VITEST) {
    const testServer = process.env.TEST_DATABASE_URL;
    return testServer
      ? import('./test-database').then(({ openScratchDatabase }) => openScratchDatabase(testServer))
      : openDatabase({ memory: true });
  }
  return openDatabase({ dataDir: `${config.dataDir}/app` });
}

/** Closes the process-wide database (CLI commands and tests call this before exiting). */
export async function closeDb(): Promise<void> {
  const store = globalThis as GlobalWithDb;
  const pending = store[globalKey];
  delete store[globalKey];
  if (pending) await (await pending).close();
}

/**
 * One value per database, made on first use: for prepared statements on hot paths (built once,
 * then only executed), while a test that opens a fresh database gets its own.
 */
export function perDatabase<T>(make: (db: Database) => T): (db: Database) => T {
  const made = new WeakMap<Database, T>();
  return (db) => {
    let value = made.get(db);
    if (value === undefined) {
      value = make(db);
      made.set(db, value);
    }
    return value;
  };
}
