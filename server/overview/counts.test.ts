import { describe, expect, it } from 'vitest';
import type { AuthleteClient } from '@/server/authlete';
import { countTokensByClient, summariseCounts } from './counts';

describe('summariseCounts', () => {
  it('sorts clients by valid tokens, then expired, then id, and totals both', () => {
    const summary = summariseCounts(
      [
        { clientId: '2', valid: 1, expired: 5 },
        { clientId: '1', valid: 1, expired: 5 },
        { clientId: '3', valid: 9, expired: 0 },
        { clientId: '4', valid: 1, expired: 7 },
      ],
      42,
    );
    expect(summary.clients.map((row) => row.clientId)).toEqual(['3', '4', '1', '2']);
    expect(summary.totals).toEqual({ valid: 12, expired: 17 });
    expect(summary.countedAt).toBe(42);
  });

  it('answers zero totals for no clients', () => {
    expect(summariseCounts([], 0)).toEqual({ clients: [], totals: { valid: 0, expired: 0 }, countedAt: 0 });
  });
});

describe('countTokensByClient', () => {
  it("asks for one token per client and status and keeps only Authlete's totalCount", async () => {
    const calls: unknown[][] = [];
    const authlete = {
      listClients: async () => [{ clientId: '7', clientName: 'Seven' }, { clientId: '8' }],
      listTokens: async (filter, start, end) => {
        calls.push([filter, start, end]);
        return { tokens: [], totalCount: Number(filter.clientId) * (filter.status === 'valid' ? 10 : 1) };
      },
    } satisfies Pick<AuthleteClient, 'listClients' | 'listTokens'>;
    expect(await countTokensByClient(authlete)).toEqual([
      { clientId: '7', clientName: 'Seven', valid: 70, expired: 7 },
      { clientId: '8', valid: 80, expired: 8 },
    ]);
    expect(calls).toHaveLength(4);
    expect(calls.every(([, start, end]) => start === 0 && end === 1)).toBe(true);
  });
});
