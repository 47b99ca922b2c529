/**
 * The PostgreSQL path (DATABASE_URL): the same migrations through node-postgres, applied once even
 * when several instances start together. Runs in a scratch database created for this file on the
 * server at TEST_DATABASE_URL when given (a role allowed to CREATE DATABASE), otherwise on a
 * throwaway cluster from the machine's PostgreSQL binaries on a random loopback port.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import pMap from 'p-map';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertChained, verifyAuditChain } from '@/server/audit/chain';
import { openDatabase } from './open';
import { auditLog, authUser } from './schema';
import { freePort } from '@/server/testing/free-port';

let url: string;
let adminUrl: string;
const scratch = `token_desk_pg_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
let server: ChildProcess | undefined;
let clusterDir: string | undefined;

function findBinaries(): string {
  const candidates = [
    process.env.PG_BIN,
    ...(fs.existsSync('/usr/lib/postgresql')
      ? fs
          .readdirSync('/usr/lib/postgresql')
          .sort()
          .reverse()
          .map((version) => `/usr/lib/postgresql/${version}/bin`)
      : []),
    '/usr/local/pgsql/bin',
    '/opt/homebrew/bin',
    '/usr/local/bin',
  ].filter((dir): dir is string => Boolean(dir));
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'initdb')));
  if (!found) {
    throw new Error(
      'PostgreSQL binaries (initdb, postgres) not found: install postgresql, set PG_BIN, or set TEST_DATABASE_URL.',
    );
  }
  return found;
}

/** PostgreSQL refuses to run as root: run it as the `postgres` account then. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

beforeAll(async () => {
  if (process.env.TEST_DATABASE_URL) adminUrl = process.env.TEST_DATABASE_URL;
  else adminUrl = await startThrowawayCluster();
  await onServer((client) => client.query(`create database "${scratch}"`));
  const scratchUrl = new URL(adminUrl);
  scratchUrl.pathname = `/${scratch}`;
  url = scratchUrl.toString();
});

async function onServer<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function startThrowawayCluster(): Promise<string> {
  const bin = findBinaries();
  clusterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'token-desk-pg-'));
  fs.chmodSync(clusterDir, 0o777);
  const dataDir = path.join(clusterDir, 'data');
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', clusterDir]);
  const [initdb, initArgs] = asServerUser(path.join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    'desk',
    '--auth=trust',
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  execFileSync(initdb, initArgs, { stdio: 'ignore' });
  const port = await freePort();
  const [postgres, args] = asServerUser(path.join(bin, 'postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    clusterDir,
    '-c',
    'fsync=off',
  ]);
  server = spawn(postgres, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  // Ready once it accepts connections (the log line is locale-independent enough to wait on).
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`postgres did not start:\n${log}`)), 20_000);
    const check = () => {
      if (log.includes('ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      } else if (server?.exitCode !== null) {
        clearTimeout(timer);
        reject(new Error(`postgres exited:\n${log}`));
      } else setTimeout(check, 50);
    };
    check();
  });
  return `postgres://desk@127.0.0.1:${port}/postgres`;
}

afterAll(async () => {
  if (adminUrl) await onServer((client) => client.query(`drop database if exists "${scratch}" with (force)`));
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    // Signal postgres itself (runuser does not pass signals on): SIGINT is its fast shutdown.
    const pidFile = path.join(clusterDir!, 'data', 'postmaster.pid');
    const postmaster = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
    if (postmaster) process.kill(postmaster, 'SIGINT');
    else server.kill('SIGINT');
    await exited;
  }
  if (clusterDir) fs.rmSync(clusterDir, { recursive: true, force: true });
});

describe('openDatabase on PostgreSQL', () => {
  it('migrates once when several instances start at the same moment, and all of them work', async () => {
    const handles = await Promise.all([
      openDatabase({ url }),
      openDatabase({ url }),
      openDatabase({ url, serverless: true }),
    ]);
    try {
      expect(handles.map((handle) => handle.kind)).toEqual(['postgres', 'postgres', 'postgres']);
      const [first, second] = handles;
      const applied = await first!.db
        .select({ count: sql<number>`count(*)::int` })
        .from(sql`drizzle.__drizzle_migrations`);
      const journal = JSON.parse(fs.readFileSync('server/db/migrations/meta/_journal.json', 'utf8')) as {
        entries: unknown[];
      };
      expect(applied[0]?.count).toBe(journal.entries.length);

      await first!.db.insert(authUser).values({ id: 'pg-1', name: 'Pat', email: 'pat@desk.test', role: 'support' });
      const seen = await second!.db.select().from(authUser);
      expect(seen.map((user) => [user.email, user.role])).toEqual([['pat@desk.test', 'support']]);

      // jsonb and timestamptz round-trip the same as on PGlite.
      const [row] = await second!.db
        .insert(auditLog)
        .values({ action: 'token.update', outcome: 'success', details: { before: { scopes: ['a'] }, count: 2 } })
        .returning();
      expect(row?.details).toEqual({ before: { scopes: ['a'] }, count: 2 });
      expect(row?.occurredAt).toBeInstanceOf(Date);

      // Rate-limit counters write no WAL (migration 0004); everything else is logged.
      const unlogged = await first!.db
        .select({ name: sql<string>`relname` })
        .from(sql`pg_class`)
        .where(sql`relkind = 'r' and relpersistence = 'u' and relnamespace = 'public'::regnamespace`);
      expect(unlogged.map((table) => table.name)).toEqual(['rate_limit_counter']);
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
    }
  });

  it('reopens an up-to-date database without applying anything again', async () => {
    const handle = await openDatabase({ url });
    try {
      const applied = await handle.db
        .select({ count: sql<number>`count(*)::int` })
        .from(sql`drizzle.__drizzle_migrations`);
      const journal = JSON.parse(fs.readFileSync('server/db/migrations/meta/_journal.json', 'utf8')) as {
        entries: unknown[];
      };
      expect(applied[0]?.count).toBe(journal.entries.length);
    } finally {
      await handle.close();
    }
  });

  it('keeps one unbroken audit chain when two instances write at the same moment', async () => {
    const handles = await Promise.all([openDatabase({ url }), openDatabase({ url })]);
    try {
      const perInstance = 60;
      // Each instance writes as a busy server would (a few requests at once, within its pool),
      // both instances at the same time.
      await Promise.all(
        handles.map((handle, instance) =>
          pMap(
            Array.from({ length: perInstance }, (_, index) => index),
            (index) =>
              insertChained(handle.db, {
                action: 'token.revoke',
                outcome: 'success',
                requestId: `instance-${instance}-${index}`,
                details: { instance, index },
              }),
            { concurrency: 4 },
          ),
        ),
      );
      const report = await verifyAuditChain(handles[1]!.db);
      expect(report).toMatchObject({ ok: true, problems: [], problemCount: 0 });
      const seqs = await handles[0]!.db
        .select({ seq: auditLog.seq })
        .from(auditLog)
        .where(sql`request_id like 'instance-%'`);
      expect(seqs).toHaveLength(2 * perInstance);
      // Every place taken once, none skipped: the chain's places are 1..N with no gap.
      const places = seqs.map((row) => row.seq!).sort((a, b) => a - b);
      expect(new Set(places).size).toBe(places.length);
      expect(report.headSeq).toBe(report.records);
      expect(places.at(-1)).toBe(report.headSeq);
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
    }
  });
});
