/**
 * The test harness itself: under Vitest getDb() is a fresh database per test file, on the
 * PostgreSQL server at TEST_DATABASE_URL when set (npm test's second pass), else in-memory PGlite.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { closeDb, getDatabaseHandle } from './index';
import { scratchDatabases, TEST_DATABASE_PREFIX } from './test-database';

const server = process.env.TEST_DATABASE_URL;

describe('getDb under Vitest', () => {
  it(`opens ${server ? 'a scratch PostgreSQL database, migrated, and drops it on close' : 'in-memory PGlite, migrated'}`, async () => {
    const handle = await getDatabaseHandle();
    const result = (await handle.db.execute(
      sql`select current_database() as name, (select count(*)::int from information_schema.tables where table_schema = 'public') as tables`,
    )) as unknown as { rows: { name: string; tables: number }[] };
    const [row] = result.rows;
    expect(row!.tables).toBeGreaterThan(5);
    if (!server) {
      expect(handle.kind).toBe('pglite');
      await closeDb();
      return;
    }
    expect(handle.kind).toBe('postgres');
    expect(row!.name.startsWith(TEST_DATABASE_PREFIX)).toBe(true);
    expect(await scratchDatabases(server)).toContain(row!.name);
    await closeDb();
    expect(await scratchDatabases(server)).not.toContain(row!.name);
  });
});
