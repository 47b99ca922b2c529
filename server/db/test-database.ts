/**
 * Tests only: every Vitest file that uses getDb() gets its own empty database on the PostgreSQL
 * server named by TEST_DATABASE_URL (a role allowed to CREATE DATABASE), so files running in
 * parallel never see each other's rows. `scripts/with-postgres.sh` starts such a server for `npm test`.
 */
import pg from 'pg';
import { openDatabase, type DatabaseHandle } from './open';

/** Databases made here start with this; the global teardown drops what a crashed file left behind. */
export const TEST_DATABASE_PREFIX = 'token_desk_test_';

/** The same server and credentials as `adminUrl`, another database. */
export function withDatabase(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

async function onServer<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database on the server and returns its name and URL (migrations not applied). */
export async function createScratchDatabase(
  adminUrl: string,
  runId = process.env.TOKEN_DESK_TEST_RUN ?? 'adhoc',
): Promise<{ name: string; url: string }> {
  // Identifier characters only: the name is spliced into CREATE DATABASE, which takes no parameters.
  const name = `${TEST_DATABASE_PREFIX}${runId}_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`.replace(
    /[^a-z0-9_]/g,
    '_',
  );
  await onServer(adminUrl, (client) => client.query(`create database "${name}"`));
  return { name, url: withDatabase(adminUrl, name) };
}

/** A fresh database with every migration applied; closing the handle drops it. */
export async function openScratchDatabase(adminUrl: string, runId?: string): Promise<DatabaseHandle> {
  const { name, url } = await createScratchDatabase(adminUrl, runId);
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase({ url });
  } catch (error) {
    await dropDatabases(adminUrl, [name]);
    throw error;
  }
  return {
    ...handle,
    async close() {
      await handle.close();
      await dropDatabases(adminUrl, [name]);
    },
  };
}

/** Drops the given databases, disconnecting whoever still uses them. */
export async function dropDatabases(adminUrl: string, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await onServer(adminUrl, async (client) => {
    for (const name of names)
      await client.query(`drop database if exists "${name.replaceAll('"', '""')}" with (force)`);
  });
}

/** Names of the scratch databases one test run made (all runs when `runId` is omitted). */
export async function scratchDatabases(adminUrl: string, runId?: string): Promise<string[]> {
  const prefix = runId ? `${TEST_DATABASE_PREFIX}${runId}_` : TEST_DATABASE_PREFIX;
  return onServer(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1)',
      [prefix],
    );
    return rows.map((row) => row.datname);
  });
}
