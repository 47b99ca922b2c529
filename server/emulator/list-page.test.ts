/**
 * The list's block-count access path (offset → block → index range) must return exactly what a
 * plain `ORDER BY id LIMIT/OFFSET` over the same filter returns, at every offset, after inserts,
 * deletes, updates and a clock that moves in both directions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SERVICE_ID } from '../config/demo';
import { type Db, ensureSchema, openDatabase, refreshExpiry } from './db';
import { type Client, findClient } from './model';
import { DEMO_CLIENTS, seedDatabase } from './seed';
import { type ListFilter, listPage } from './tokens';

const SERVICE = BigInt(DEMO_SERVICE_ID);
const NOW = Date.UTC(2026, 0, 15);
const HOUR = 3_600_000;

let db: Db;
let clients: Client[];
beforeAll(async () => {
  db = await openDatabase(undefined);
  await seedDatabase(db, { tokens: 2200, now: NOW }, () => ensureSchema(db));
  clients = await Promise.all(DEMO_CLIENTS.slice(0, 3).map(async (c) => (await findClient(db, SERVICE, c.clientId))!));
});
afterAll(async () => {
  await db?.close();
});

/** The truth, from expiry times and the clock (not from the stored status the list relies on). */
async function reference(filter: ListFilter, start: number, size: number, now: number) {
  const where = ['service_id = $1'];
  const args: unknown[] = [SERVICE.toString()];
  if (filter.client) where.push(`client_id = $${args.push(filter.client.clientId.toString())}`);
  if (filter.expired !== null)
    where.push(`(access_token_expires_at <= $${args.push(now.toString())}) = ${filter.expired}`);
  const ids = await db.query<{ id: bigint }>(`SELECT id FROM tokens WHERE ${where.join(' AND ')} ORDER BY id`, args);
  return { totalCount: ids.rows.length, ids: ids.rows.slice(start, start + size).map((r) => r.id) };
}

async function expectSameAsScan(now: number) {
  await refreshExpiry(db, now);
  let checked = 0;
  for (const client of [null, ...clients]) {
    for (const expired of [null, true, false]) {
      const filter = { client, expired };
      const { totalCount } = await reference(filter, 0, 0, now);
      for (const start of [
        0,
        1,
        19,
        255,
        256,
        257,
        1023,
        1024,
        1030,
        2047,
        2048,
        totalCount - 20,
        totalCount - 1,
        totalCount,
        totalCount + 500,
      ]) {
        if (start < 0) continue;
        const got = await listPage(db, SERVICE, filter, start, 20);
        const want = await reference(filter, start, 20, now);
        expect(
          { totalCount: got.totalCount, ids: got.rows.map((r) => r.id) },
          `${client?.clientIdAlias ?? 'all'} expired=${expired} start=${start}`,
        ).toEqual(want);
        checked++;
      }
    }
  }
  expect(checked).toBeGreaterThan(100);
}

describe('token list pages from block counts', () => {
  it('match a full scan at every offset, per client and status', async () => {
    await expectSameAsScan(NOW);
  });

  it('still match after deletes, updates of status and client, and the clock moving both ways', async () => {
    await db.query('DELETE FROM tokens WHERE id % 7 = 3 OR id BETWEEN 1500 AND 1700');
    await db.query('UPDATE tokens SET access_token_expires_at = $1 WHERE id % 11 = 0', [(NOW - HOUR).toString()]);
    await db.query('UPDATE tokens SET client_id = $1 WHERE id % 13 = 0', [clients[1]!.clientId.toString()]);
    await expectSameAsScan(NOW);
    await expectSameAsScan(NOW + 40 * 24 * HOUR);
    await expectSameAsScan(NOW - 24 * HOUR);
  });
});
