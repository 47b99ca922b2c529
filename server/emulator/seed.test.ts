import { describe, expect, it } from 'vitest';
import { PERSISTENT_EXPIRES_AT } from './db';
import { DEMO_CLIENTS, DEFAULT_RANDOM_SEED, generateTokens } from './seed';

const NOW = Date.UTC(2026, 0, 15);
const DAY = 86_400_000n;
const all = (seed: number, count = 3000) => [...generateTokens(count, seed, NOW)].flat().map((t) => t.row);

describe('demo data generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(all(7)).toEqual(all(7));
    expect(all(8)[0]!.access_token_hash).not.toBe(all(7)[0]!.access_token_hash);
  });

  it('spreads tokens like a real service', () => {
    const rows = all(20240611);
    const now = BigInt(NOW);
    expect(rows).toHaveLength(3000);
    expect(new Set(rows.map((r) => r.subject).filter(Boolean)).size).toBeGreaterThan(150);
    expect(new Set(rows.map((r) => r.grant_type)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(rows.map((r) => r.client_id.toString()))).toEqual(new Set(DEMO_CLIENTS.map((c) => c.clientId)));
    const share = (pred: (r: (typeof rows)[number]) => boolean) => rows.filter(pred).length / rows.length;
    expect(share((r) => r.access_token_expires_at <= now)).toBeGreaterThan(0.2); // expired
    expect(
      share((r) => r.access_token_persistent && r.access_token_expires_at === PERSISTENT_EXPIRES_AT),
    ).toBeGreaterThan(0.01);
    expect(share((r) => r.refresh_token_hash !== null)).toBeGreaterThan(0.4);
    expect(share((r) => r.properties !== null)).toBeGreaterThan(0.1);
    expect(share((r) => r.last_refreshed_at > 0n && now - r.last_refreshed_at > 90n * DAY)).toBeGreaterThan(0.02); // stale
    // Client credentials tokens have no subject and no refresh token.
    const cc = rows.filter((r) => r.grant_type === 'CLIENT_CREDENTIALS');
    expect(cc.length).toBeGreaterThan(0);
    expect(cc.every((r) => r.subject === null && r.refresh_token_hash === null)).toBe(true);
    expect(new Set(rows.map((r) => r.access_token_hash)).size).toBe(rows.length);
  });

  it("generates another service's tokens for its clients only, with values no other service has", () => {
    const billing = DEMO_CLIENTS.find((c) => c.alias === 'billing-batch')!;
    const target = { serviceId: '1001', clients: [{ ...billing, clientId: '90001' }] };
    const rows = [...generateTokens(200, DEFAULT_RANDOM_SEED, NOW, 5000, target)].flat().map((t) => t.row);
    expect(rows).toHaveLength(200);
    expect(rows.every((r) => r.service_id === 1001n && r.client_id === 90001n)).toBe(true);
    // Only the grant types its one client has (client credentials): no subject.
    expect(new Set(rows.map((r) => r.grant_type))).toEqual(new Set(['CLIENT_CREDENTIALS']));
    const demo = new Set(all(DEFAULT_RANDOM_SEED, 200).map((r) => r.access_token_hash));
    expect(rows.some((r) => demo.has(r.access_token_hash))).toBe(false);
  });
});
