import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from './open';
import { authUser } from './schema';

const opened: DatabaseHandle[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((handle) => handle.close()));
});

async function tableNames(handle: DatabaseHandle): Promise<string[]> {
  const rows = await handle.db
    .select({ name: sql<string>`table_name` })
    .from(sql`information_schema.tables`)
    .where(sql`table_schema = 'public'`);
  return rows.map((row) => row.name).sort();
}

describe('openDatabase on PGlite', () => {
  it('applies every migration to a fresh in-memory database', async () => {
    const handle = await openDatabase({ memory: true });
    opened.push(handle);
    expect(handle.kind).toBe('pglite');
    expect(await tableNames(handle)).toEqual(
      expect.arrayContaining([
        'audit_log',
        'auth_account',
        'auth_rate_limit',
        'auth_session',
        'auth_user',
        'auth_verification',
      ]),
    );
  });

  it('keeps data in its folder across reopen and does not re-apply migrations', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-desk-db-'));
    try {
      const first = await openDatabase({ dataDir });
      await first.db.insert(authUser).values({ id: 'u1', name: 'Ada', email: 'ada@example.com', role: 'admin' });
      await first.close();

      const second = await openDatabase({ dataDir });
      opened.push(second);
      const users = await second.db.select().from(authUser);
      expect(users.map((user) => [user.email, user.role, user.disabled])).toEqual([
        ['ada@example.com', 'admin', false],
      ]);
      const applied = await second.db
        .select({ count: sql<number>`count(*)::int` })
        .from(sql`drizzle.__drizzle_migrations`);
      const journal = JSON.parse(fs.readFileSync('server/db/migrations/meta/_journal.json', 'utf8')) as {
        entries: unknown[];
      };
      expect(applied[0]?.count).toBe(journal.entries.length);
    } finally {
      await Promise.all(opened.splice(0).map((handle) => handle.close()));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a second opener of the same folder while the first is open', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-desk-db-'));
    const lockPath = path.join(dataDir, 'token-desk.lock');
    try {
      // A live process other than ours holds the lock: our parent (the vitest runner) will do.
      fs.writeFileSync(lockPath, String(process.ppid));
      await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by process \d+/);
      // A lock left by a process that no longer exists is taken over.
      fs.writeFileSync(lockPath, '999999');
      const handle = await openDatabase({ dataDir });
      expect(fs.readFileSync(lockPath, 'utf8')).toBe(String(process.pid));
      await handle.close();
      expect(fs.existsSync(lockPath)).toBe(false);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
