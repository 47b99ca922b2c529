import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/server/db';
import { tokenSnapshot } from '@/server/db/schema';
import { authleteFor } from '@/server/services';
import { startTestEmulator, type TestEmulator } from '@/server/testing/emulator';
import { useTestEmulatorUpstream } from '@/server/testing/routes';
import { estimate, readTrends, sampleOffsets, STALE_AFTER_DAYS, takeSnapshot } from './snapshot';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 3, 12);

describe('sampleOffsets', () => {
  it('reads the whole list when it fits in the sample, else its start, middle and end', () => {
    expect(sampleOffsets(0)).toEqual([]);
    expect(sampleOffsets(45)).toEqual([0, 20, 40]);
    expect(sampleOffsets(60)).toEqual([0, 20, 40]);
    expect(sampleOffsets(1_000)).toEqual([0, 490, 980]);
  });
});

describe('estimate', () => {
  const token = (expiresInDays: number, unusedDays: number) => ({
    accessTokenExpiresAt: NOW + expiresInDays * DAY,
    createdAt: NOW - unusedDays * DAY,
    lastRefreshedAt: 0,
  });

  it('counts exactly when the sample is every token', () => {
    const sample = [token(3, 1), token(20, 1), token(60, STALE_AFTER_DAYS), token(-1, 100)];
    expect(estimate(sample, 4, NOW)).toEqual({ expiring7: 1, expiring30: 2, stale: 2, sampled: 4 });
  });

  it('scales the sample to the total, and answers zero without a sample', () => {
    const sample = [token(3, 1), token(100, 1), token(100, 1), token(100, 80)];
    expect(estimate(sample, 1_000, NOW)).toEqual({ expiring7: 250, expiring30: 250, stale: 250, sampled: 4 });
    expect(estimate([], 0, NOW)).toEqual({ expiring7: 0, expiring30: 0, stale: 0, sampled: 0 });
  });

  it('takes the last refresh as the last use', () => {
    const refreshed = { accessTokenExpiresAt: NOW + 90 * DAY, createdAt: NOW - 200 * DAY, lastRefreshedAt: NOW - DAY };
    expect(estimate([refreshed], 1, NOW).stale).toBe(0);
  });
});

describe('takeSnapshot against the emulator', () => {
  let emulator: TestEmulator;
  beforeAll(async () => {
    emulator = await startTestEmulator();
    useTestEmulatorUpstream(emulator);
  }, 300_000);
  afterAll(async () => {
    await emulator?.close();
    await closeDb();
  });

  it("writes one row per client a day from Authlete's counts, once however often it is asked", async () => {
    const authlete = authleteFor('default');
    const clients = await authlete.listClients();
    const [first, second] = await Promise.all([
      takeSnapshot('default', authlete, NOW),
      takeSnapshot('default', authlete, NOW),
    ]);
    expect([first, second]).toContain(true);
    expect(await takeSnapshot('default', authlete, NOW + 3_600_000)).toBe(false);
    const rows = await (await getDb()).select().from(tokenSnapshot);
    expect(rows).toHaveLength(clients.length);
    const busiest = [...rows].sort((a, b) => b.valid - a.valid)[0]!;
    const exact = await authlete.listTokens({ clientId: busiest.clientId, status: 'valid' }, 0, 1);
    expect(busiest.valid).toBe(exact.totalCount);
    expect(busiest.sampled).toBe(Math.min(60, exact.totalCount));
    expect(busiest.expiring30).toBeLessThanOrEqual(busiest.valid);

    // The next day is a new row per client; the trend sums them per day.
    await takeSnapshot('default', authlete, NOW + DAY);
    const all = await readTrends('default', 30, null, NOW + DAY);
    expect(all.days.map((day) => day.day)).toEqual(['2026-12-03', '2026-12-04']);
    expect(all.days[0]!.valid).toBe(rows.reduce((sum, row) => sum + row.valid, 0));
    expect(all.latest).toHaveLength(clients.length);

    // A client-scoped reader: only that client's rows, summed alone.
    const scoped = await readTrends('default', 30, [busiest.clientId], NOW + DAY);
    expect(scoped.latest.map((row) => row.clientId)).toEqual([busiest.clientId]);
    expect(scoped.days[0]!.valid).toBe(busiest.valid);
    expect((await readTrends('elsewhere', 30, null, NOW + DAY)).days).toEqual([]);
  });
});
