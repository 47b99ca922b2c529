import { describe, expect, it } from 'vitest';
import type { Token, TokenListQueryInput } from '@/lib/schemas';
import { fetchSubjectTokens, groupByClient, SUBJECT_TOKEN_LIMIT } from './subject-tokens';

const now = Date.UTC(2025, 10, 25);

function token(i: number, clientId: string, accessTokenExpiresAt: number): Token {
  return {
    accessTokenHash: String(i).padStart(43, 'h'),
    clientId,
    subject: 'john',
    grantType: 'PASSWORD',
    scopes: [],
    createdAt: now - i,
    accessTokenExpiresAt,
    refreshTokenExpiresAt: 0,
    lastRefreshedAt: 0,
    properties: [],
  };
}

describe('groupByClient', () => {
  it('counts valid (including never-expiring) and expired tokens per client, biggest group first', () => {
    const groups = groupByClient(
      [
        token(1, '7', now + 1),
        token(2, '9', now - 1),
        token(3, '9', 0),
        token(4, '9', now + 5),
        token(5, '8', now - 5),
      ],
      now,
    );
    expect(groups.map(({ clientId, valid, expired, tokens }) => [clientId, valid, expired, tokens.length])).toEqual([
      ['9', 2, 1, 3],
      ['7', 1, 0, 1],
      ['8', 0, 1, 1],
    ]);
    // Newest first inside a group.
    expect(groups[0]?.tokens.map((t) => t.createdAt)).toEqual([now - 2, now - 3, now - 4]);
  });
});

describe('fetchSubjectTokens', () => {
  it('pages through every status for the subject, one request after another', async () => {
    const all = Array.from({ length: 230 }, (_, i) => token(i, '7', 0));
    const calls: TokenListQueryInput[] = [];
    const result = await fetchSubjectTokens('john', async (query) => {
      calls.push(query);
      const page = Number(query.page);
      return { tokens: all.slice((page - 1) * 100, page * 100), totalCount: all.length, page, pageSize: 100 };
    });
    expect(calls).toEqual([1, 2, 3].map((page) => ({ subject: 'john', status: 'all', page, pageSize: 100 })));
    expect(result.tokens).toHaveLength(230);
    expect(result.totalCount).toBe(230);
  });
  it('stops at the limit and keeps the true total', async () => {
    let calls = 0;
    const result = await fetchSubjectTokens('john', async (query) => {
      calls++;
      const page = Number(query.page);
      return {
        tokens: Array.from({ length: 100 }, (_, i) => token(page * 100 + i, '7', 0)),
        totalCount: 5000,
        page,
        pageSize: 100,
      };
    });
    expect(calls).toBe(SUBJECT_TOKEN_LIMIT / 100);
    expect(result.tokens).toHaveLength(SUBJECT_TOKEN_LIMIT);
    expect(result.totalCount).toBe(5000);
  });
});
