/**
 * The token list's filters and page as URL search params, parsed by hand: the table page must not
 * ship zod to the browser (about 90 KB gzip, against a first-load budget of 1.35x a bare page), and
 * the server validates again anyway.
 * Anything unparseable falls back to the default, so a mangled link still opens a working page.
 */
import type { MessageKey } from '@/lib/i18n/keys';
import type { PageSize, Token, TokenListQueryInput, TokenStatusFilter } from '@/lib/schemas';

/** Same values as PAGE_SIZES in lib/schemas/token (re-declared to keep zod out of this bundle). */
export const tokenPageSizes: readonly PageSize[] = [10, 20, 50, 100];
export const DEFAULT_PAGE_SIZE: PageSize = 20;
const statuses: readonly TokenStatusFilter[] = ['valid', 'expired', 'all'];

/**
 * Columns the table sorts by. Authlete's list API has no sort parameter and pages by offset in its own
 * order, so a sort only ever reorders the tokens already loaded (one page), and the page says so.
 */
export const tokenSortColumns = [
  'createdAt',
  'expires',
  'lastRefreshed',
  'refreshExpires',
  'subject',
  'grantType',
] as const;
export type TokenSortColumn = (typeof tokenSortColumns)[number];

export interface TokenSort {
  column: TokenSortColumn;
  desc: boolean;
}

/** Newest first. */
export const defaultTokenSort: TokenSort = { column: 'createdAt', desc: true };

export interface TokenListParams {
  subject: string;
  clientId: string;
  status: TokenStatusFilter;
  page: number;
  pageSize: PageSize;
  sort: TokenSort;
}

export const defaultTokenListParams: TokenListParams = {
  subject: '',
  clientId: '',
  status: 'valid',
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
  sort: defaultTokenSort,
};

interface ReadableParams {
  get(name: string): string | null;
}

export function parseTokenListParams(search: ReadableParams): TokenListParams {
  const status = search.get('status');
  const page = Number(search.get('page'));
  const pageSize = Number(search.get('pageSize'));
  const clientId = (search.get('clientId') ?? '').trim();
  return {
    subject: (search.get('subject') ?? '').trim(),
    clientId: /^\d{1,19}$/.test(clientId) ? clientId : '',
    status: statuses.includes(status as TokenStatusFilter)
      ? (status as TokenStatusFilter)
      : defaultTokenListParams.status,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: tokenPageSizes.includes(pageSize as PageSize) ? (pageSize as PageSize) : DEFAULT_PAGE_SIZE,
    sort: parseSort(search.get('sort'), search.get('order')),
  };
}

function parseSort(column: string | null, order: string | null): TokenSort {
  if (!tokenSortColumns.includes(column as TokenSortColumn)) return defaultTokenSort;
  return { column: column as TokenSortColumn, desc: order === 'desc' };
}

/** The search string for these params, leaving out defaults so shared links stay short. */
export function serializeTokenListParams(params: TokenListParams): string {
  const search = new URLSearchParams();
  if (params.subject) search.set('subject', params.subject);
  if (params.clientId) search.set('clientId', params.clientId);
  if (params.status !== defaultTokenListParams.status) search.set('status', params.status);
  if (params.page !== 1) search.set('page', String(params.page));
  if (params.pageSize !== DEFAULT_PAGE_SIZE) search.set('pageSize', String(params.pageSize));
  if (params.sort.column !== defaultTokenSort.column || params.sort.desc !== defaultTokenSort.desc) {
    search.set('sort', params.sort.column);
    search.set('order', params.sort.desc ? 'desc' : 'asc');
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** What the server is asked for one page: the filters and the page (the sort only reorders that page). */
export function tokenListQuery(params: TokenListParams): TokenListQueryInput {
  return {
    subject: params.subject || undefined,
    clientId: params.clientId || undefined,
    status: params.status,
    page: params.page,
    pageSize: params.pageSize,
  };
}

/** Filters changed: back to page 1, because page 7 of the old result means nothing now. */
export function withFilters(
  params: TokenListParams,
  patch: Partial<Pick<TokenListParams, 'subject' | 'clientId' | 'status'>>,
): TokenListParams {
  return { ...params, ...patch, page: 1 };
}

const sortKeys = {
  createdAt: { asc: 'tokens.sort.createdAsc', desc: 'tokens.sort.createdDesc' },
  expires: { asc: 'tokens.sort.expiresAsc', desc: 'tokens.sort.expiresDesc' },
  lastRefreshed: { asc: 'tokens.sort.lastRefreshedAsc', desc: 'tokens.sort.lastRefreshedDesc' },
  refreshExpires: { asc: 'tokens.sort.refreshExpiresAsc', desc: 'tokens.sort.refreshExpiresDesc' },
  subject: { asc: 'tokens.sort.subjectAsc', desc: 'tokens.sort.subjectDesc' },
  grantType: { asc: 'tokens.sort.grantTypeAsc', desc: 'tokens.sort.grantTypeDesc' },
} as const satisfies Record<TokenSortColumn, { asc: MessageKey; desc: MessageKey }>;

/** "Sorted by created, newest first.": the catalogue key of the order in words, for the note above the table. */
export function tokenSortKey(sort: TokenSort): MessageKey {
  return sortKeys[sort.column][sort.desc ? 'desc' : 'asc'];
}

/** Never-expiring tokens sort after every date (0 means "never" on the wire). */
const neverLast = (ms: number) => (ms === 0 ? Number.POSITIVE_INFINITY : ms);

/**
 * What each column sorts by (text case-blind, dates as numbers) and which way a first click on it
 * sorts: dates newest (or latest) first, text A to Z, which is what a person looking at it wants.
 */
const sortColumns = {
  createdAt: { value: (token) => token.createdAt, firstDesc: true },
  expires: { value: (token) => neverLast(token.accessTokenExpiresAt), firstDesc: true },
  lastRefreshed: { value: (token) => token.lastRefreshedAt, firstDesc: true },
  refreshExpires: { value: (token) => neverLast(token.refreshTokenExpiresAt), firstDesc: true },
  subject: { value: (token) => (token.subject ?? '').toLowerCase(), firstDesc: false },
  grantType: { value: (token) => token.grantType.toLowerCase(), firstDesc: false },
} as const satisfies Record<TokenSortColumn, { value: (token: Token) => string | number; firstDesc: boolean }>;

/** The rows in the chosen order; rows that compare equal keep the server's order. */
export function sortTokens(tokens: readonly Token[], sort: TokenSort): Token[] {
  const { value } = sortColumns[sort.column];
  const direction = sort.desc ? -1 : 1;
  return [...tokens].sort((a, b) => {
    const left = value(a);
    const right = value(b);
    return left < right ? -direction : left > right ? direction : 0;
  });
}

/** The order after a click on a column's header: the same column flips; another starts its own way. */
export function nextTokenSort(current: TokenSort, column: TokenSortColumn): TokenSort {
  if (current.column === column) return { column, desc: !current.desc };
  return { column, desc: sortColumns[column].firstDesc };
}
