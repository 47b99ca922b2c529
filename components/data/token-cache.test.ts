import { describe, expect, it } from 'vitest';
import type { Token } from '@/lib/schemas';
import { withUpdatedToken } from './token-cache';

const token = (hash: string, scopes: string[]): Token => ({
  accessTokenHash: hash.padEnd(43, 'x'),
  clientId: '1',
  subject: 'alice',
  grantType: 'PASSWORD',
  scopes,
  createdAt: 1,
  accessTokenExpiresAt: 1000,
  refreshTokenExpiresAt: 0,
  lastRefreshedAt: 0,
  properties: [],
});

describe('withUpdatedToken', () => {
  it('replaces the edited token in a list page and in the subject view, keeping the rest', () => {
    const edited = { ...token('b', ['new']), accessTokenExpiresAt: 9000 };
    const page = { tokens: [token('a', ['x']), token('b', ['old'])], totalCount: 2, page: 1, pageSize: 20 };
    const updated = withUpdatedToken(page, edited);
    expect(updated).toEqual({ ...page, tokens: [page.tokens[0], edited] });
    expect(page.tokens[1]!.scopes).toEqual(['old']);

    const subjectView = { tokens: [token('b', ['old'])], totalCount: 1 };
    expect(withUpdatedToken(subjectView, edited).tokens).toEqual([edited]);
  });

  it('leaves data without the token, or without a token list, as it was', () => {
    const page = { tokens: [token('a', ['x'])], totalCount: 1 };
    expect(withUpdatedToken(page, token('b', ['new']))).toBe(page);
    expect(withUpdatedToken(undefined, token('b', []))).toBeUndefined();
    const detail = { token: token('b', ['old']) };
    expect(withUpdatedToken(detail, token('b', ['new']))).toBe(detail);
  });
});
