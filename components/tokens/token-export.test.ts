import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api-client';
import type { Token, TokenListQueryInput, TokenListResponse } from '@/lib/schemas';
import { exportFileName, type ExportProgress } from '@/components/export/paged-export';
import { exportColumns, tokenCsvLine } from '@/lib/csv/export-lines';
import { EXPORT_PAGE_SIZE, exportTokens } from './token-export';

const created = Date.UTC(2025, 0, 2, 3, 4, 5);

function token(index: number, overrides: Partial<Token> = {}): Token {
  return {
    accessTokenHash: `-${String(index).padStart(42, 'a')}`,
    refreshTokenHash: `r${String(index).padStart(42, 'b')}`,
    clientId: '26888344961664',
    subject: `user-${index}`,
    grantType: 'AUTHORIZATION_CODE',
    scopes: ['openid', 'profile'],
    createdAt: created,
    accessTokenExpiresAt: 0,
    refreshTokenExpiresAt: created + 1000,
    lastRefreshedAt: 0,
    properties: [],
    ...overrides,
  };
}

/** An in-memory /api/tokens that records calls and refuses overlapping ones. */
function fakeList(tokens: Token[], { rateLimitOnce = false } = {}) {
  const calls: TokenListQueryInput[] = [];
  let inFlight = 0;
  let limited = !rateLimitOnce;
  const listPage = async (query: TokenListQueryInput): Promise<TokenListResponse> => {
    calls.push(query);
    if (inFlight > 0) throw new Error('overlapping calls');
    inFlight++;
    await new Promise((resolve) => setTimeout(resolve, 1));
    inFlight--;
    if (!limited) {
      limited = true;
      throw new ApiError(429, 'rate_limited', 'Slow down.', undefined, 'req-1', 0.001);
    }
    const page = Number(query.page);
    const size = Number(query.pageSize);
    return { tokens: tokens.slice((page - 1) * size, page * size), totalCount: tokens.length, page, pageSize: size };
  };
  return { listPage, calls };
}

const clients = new Map([['26888344961664', { clientId: '26888344961664', clientName: '=Evil, "Corp"' }]]);

describe('exportTokens', () => {
  it('pages sequentially with 100 per page, keeps the filters and reports progress', async () => {
    const all = Array.from({ length: 250 }, (_, i) => token(i));
    const { listPage, calls } = fakeList(all);
    const progress: ExportProgress[] = [];
    const { parts, count } = await exportTokens({ subject: 'x', status: 'all' }, clients, listPage, (p) =>
      progress.push(p),
    );
    expect(count).toBe(250);
    expect(calls).toEqual([1, 2, 3].map((page) => ({ subject: 'x', status: 'all', page, pageSize: EXPORT_PAGE_SIZE })));
    expect(progress).toEqual([
      { done: 100, total: 250 },
      { done: 200, total: 250 },
      { done: 250, total: 250 },
    ]);
    const lines = parts.join('').split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(251);
    expect(lines[0]).toBe(`\uFEFF${exportColumns.join(',')}`);
  });

  it('waits and retries the same page after a 429', async () => {
    const { listPage, calls } = fakeList([token(1)], { rateLimitOnce: true });
    const { parts } = await exportTokens({}, clients, listPage, () => {});
    expect(calls.map((call) => call.page)).toEqual([1, 1]);
    expect(parts).toHaveLength(2);
  });

  it('stops at an empty page when the list shrinks underneath', async () => {
    const listPage = async (query: TokenListQueryInput): Promise<TokenListResponse> => ({
      tokens: query.page === 1 ? [token(1)] : [],
      totalCount: 500,
      page: Number(query.page),
      pageSize: 100,
    });
    expect((await exportTokens({}, clients, listPage, () => {})).count).toBe(1);
  });
});

describe('tokenCsvLine', () => {
  it('writes hashes verbatim and escapes every other cell against formulas', () => {
    const line = tokenCsvLine(token(7, { subject: '@SUM(A1)', scopes: ['a', 'b'] }), clients);
    expect(line).toBe(
      `${token(7).accessTokenHash},${token(7).refreshTokenHash},'@SUM(A1),26888344961664,"'=Evil, ""Corp""",AUTHORIZATION_CODE,a b,2025-01-02 03:04:05 UTC,never,never,2025-01-02 03:04:06 UTC\r\n`,
    );
  });
  it('leaves the refresh columns empty when there is no refresh token', () => {
    const line = tokenCsvLine(token(1, { refreshTokenHash: undefined, refreshTokenExpiresAt: 0 }), new Map());
    expect(line.split(',').slice(1, 2)).toEqual(['']);
    expect(line.endsWith(',never,\r\n')).toBe(true);
  });
});

describe('exportFileName', () => {
  it('names the file after the UTC minute', () => {
    expect(exportFileName('tokens', Date.UTC(2025, 10, 25, 14, 3))).toBe('tokens-2025-11-25T1403Z.csv');
  });
});
