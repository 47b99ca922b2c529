import { describe, expect, it } from 'vitest';
import { PAGE_SIZES, type Token } from '@/lib/schemas';
import {
  defaultTokenListParams,
  nextTokenSort,
  sortTokens,
  tokenSortKey,
  parseTokenListParams,
  serializeTokenListParams,
  tokenListQuery,
  tokenPageSizes,
  withFilters,
} from './list-params';

const parse = (query: string) => parseTokenListParams(new URLSearchParams(query));

describe('token list URL params', () => {
  it('match the page sizes the API accepts', () => {
    expect(tokenPageSizes).toEqual(PAGE_SIZES);
  });
  it('parse every field', () => {
    expect(parse('subject=%20john%20&clientId=26888344961664&status=all&page=3&pageSize=50')).toEqual({
      subject: 'john',
      clientId: '26888344961664',
      status: 'all',
      page: 3,
      pageSize: 50,
      sort: { column: 'createdAt', desc: true },
    });
    expect(parse('sort=expires&order=asc').sort).toEqual({ column: 'expires', desc: false });
    expect(parse('sort=subject&order=desc').sort).toEqual({ column: 'subject', desc: true });
  });
  it('fall back to defaults for anything unparseable', () => {
    expect(parse('clientId=abc&status=revoked&page=-2&pageSize=30')).toEqual(defaultTokenListParams);
    expect(parse('page=1.5')).toEqual(defaultTokenListParams);
    expect(parse('sort=scopes&order=asc')).toEqual(defaultTokenListParams);
  });
  it('round-trip, leaving defaults out of the URL', () => {
    expect(serializeTokenListParams(defaultTokenListParams)).toBe('');
    const params = {
      subject: 'a b&c',
      clientId: '7',
      status: 'expired',
      page: 2,
      pageSize: 100,
      sort: { column: 'createdAt', desc: false },
    } as const;
    const search = serializeTokenListParams(params);
    expect(search).toBe('?subject=a+b%26c&clientId=7&status=expired&page=2&pageSize=100&sort=createdAt&order=asc');
    expect(parse(search.slice(1))).toEqual(params);
  });
  it('go back to page 1 when a filter changes', () => {
    expect(withFilters({ ...defaultTokenListParams, page: 9 }, { status: 'all' })).toEqual({
      ...defaultTokenListParams,
      status: 'all',
    });
  });
});

describe('tokenListQuery', () => {
  it('asks the server for the filters and the page, leaving out empty filters and the sort', () => {
    expect(tokenListQuery(defaultTokenListParams)).toEqual({
      subject: undefined,
      clientId: undefined,
      status: 'valid',
      page: 1,
      pageSize: 20,
    });
    expect(tokenListQuery(parse('subject=john&clientId=7&status=all&page=2&sort=subject'))).toEqual({
      subject: 'john',
      clientId: '7',
      status: 'all',
      page: 2,
      pageSize: 20,
    });
  });
});

describe('tokenSortKey', () => {
  it('says the default order is newest first', () => {
    expect(tokenSortKey(defaultTokenListParams.sort)).toBe('tokens.sort.createdDesc');
    expect(tokenSortKey({ column: 'subject', desc: false })).toBe('tokens.sort.subjectAsc');
  });
});

describe('sortTokens', () => {
  const token = (hash: string, patch: Partial<Token>): Token => ({
    accessTokenHash: hash,
    clientId: '1',
    grantType: 'AUTHORIZATION_CODE',
    scopes: [],
    createdAt: 0,
    accessTokenExpiresAt: 0,
    refreshTokenExpiresAt: 0,
    lastRefreshedAt: 0,
    properties: [],
    ...patch,
  });
  const hashes = (tokens: Token[]) => tokens.map((item) => item.accessTokenHash);

  it('orders dates either way and keeps the server order among equals', () => {
    const tokens = [token('a', { createdAt: 2 }), token('b', { createdAt: 3 }), token('c', { createdAt: 2 })];
    expect(hashes(sortTokens(tokens, { column: 'createdAt', desc: true }))).toEqual(['b', 'a', 'c']);
    expect(hashes(sortTokens(tokens, { column: 'createdAt', desc: false }))).toEqual(['a', 'c', 'b']);
    expect(hashes(tokens)).toEqual(['a', 'b', 'c']);
  });

  it('puts tokens that never expire after every date, and compares text case-blind with no subject first', () => {
    const tokens = [
      token('never', { accessTokenExpiresAt: 0, subject: 'bob' }),
      token('soon', { accessTokenExpiresAt: 5, subject: 'Alice' }),
      token('later', { accessTokenExpiresAt: 9 }),
    ];
    expect(hashes(sortTokens(tokens, { column: 'expires', desc: false }))).toEqual(['soon', 'later', 'never']);
    expect(hashes(sortTokens(tokens, { column: 'subject', desc: false }))).toEqual(['later', 'soon', 'never']);
  });

  it('flips the sorted column and starts another newest or A-to-Z first', () => {
    expect(nextTokenSort(defaultTokenListParams.sort, 'createdAt')).toEqual({ column: 'createdAt', desc: false });
    expect(nextTokenSort(defaultTokenListParams.sort, 'expires')).toEqual({ column: 'expires', desc: true });
    expect(nextTokenSort(defaultTokenListParams.sort, 'subject')).toEqual({ column: 'subject', desc: false });
    expect(nextTokenSort({ column: 'subject', desc: false }, 'subject')).toEqual({ column: 'subject', desc: true });
  });
});
