import fs from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { acquireDataDirLock } from './lock';

/** The app database, whichever driver is underneath (PGlite or node-postgres). */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Plain SQL on the same connection(s), for libraries that bring their own (the job queue, pg-boss). */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  { url: string; poolSize?: number; serverless?: boolean } | { dataDir: string } | { memory: true };

/** Arbitrary constant: the Postgres advisory lock key that serialises migrations across instances. */
const MIGRATION_LOCK_KEY = 7_294_301_516;

/** Where drizzle-kit writes migrations; resolved from the project root (next start / CLI cwd). */
export function migrationsFolder(): string {
  const candidates = [process.env.TOKEN_DESK_MIGRATIONS_DIR, path.join(process.cwd(), 'server/db/migrations')].filter(
    (candidate): candidate is string => Boolean(candidate),
  );
  const found = candidates.find((candidate) => fs.existsSync(path.join(candidate, 'meta/_journal.json')));
  if (!found) {
    throw new Error(`Database migrations not found (looked in ${candidates.join(', ')}). Run from the project root.`);
  }
  return found;
}

/** Opens the database and applies pending migrations before returning. */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if ('url' in target) return openPostgres(target.url, target.serverless ?? false, target.poolSize);
  return openPglite('dataDir' in target ? target.dataDir : undefined);
}

async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  const [{ PGlite }, { drizzle }, { migrate }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  let releaseLock = () => {};
  if (dataDir) {
    fs.mkdirSync(dataDir, { recursive: true });
    releaseLock = acquireDataDirLock(dataDir);
  }
  try {
    const client = dataDir ? await PGlite.create({ dataDir }) : await PGlite.create();
    const db = drizzle({ client, schema });
    // PGlite is one connection in this process: awaiting here is all the serialisation needed.
    await migrate(db, { migrationsFolder: migrationsFolder() });
    return {
      db: db as unknown as Database,
      kind: 'pglite',
      async executeSql(text, values) {
        if (values?.length) return client.query(text, values);
        // Without parameters the text may hold several statements (pg-boss's migrations): the last answer counts.
        const results = await client.exec(text);
        return results[results.length - 1] ?? { rows: [] };
      },
      async close() {
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * Connections per instance unless DATABASE_POOL_SIZE says otherwise. Small on purpose: PostgreSQL
 * runs a process per connection, and a statement on a connection used a moment ago finds it awake.
 * On the load bench 5 gave 0.74-0.77x the bare route's revoke throughput, 10 gave 0.68-0.69x;
 * every statement on a request's path takes well under a millisecond.
 */
const DEFAULT_POOL_SIZE = 5;

async function openPostgres(url: string, serverless: boolean, poolSize?: number): Promise<DatabaseHandle> {
  const [{ default: pg }, { drizzle }, { migrate }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
    import('drizzle-orm/node-postgres/migrator'),
  ]);
  const pool = new pg.Pool({
    connectionString: url,
    // A serverless function instance serves one request at a time; many instances share the server.
    max: poolSize ?? (serverless ? 1 : DEFAULT_POOL_SIZE),
    idleTimeoutMillis: serverless ? 5_000 : 30_000,
    connectionTimeoutMillis: 10_000,
    allowExitOnIdle: true,
  });
  pool.on('error', (error) => {
    console.error(JSON.stringify({ level: 'error', msg: 'idle postgres client failed', error: error.message }));
  });
  try {
    // Instances starting together take turns: the advisory lock is held for the whole migration.
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      try {
        await migrate(drizzle({ client, schema }), { migrationsFolder: migrationsFolder() });
      } finally {
        await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  const db = drizzle({ client: pool, schema });
  return {
    db: db as unknown as Database,
    kind: 'postgres',
    executeSql: (text, values) => pool.query(text, values),
    close: () => pool.end(),
  };
}
