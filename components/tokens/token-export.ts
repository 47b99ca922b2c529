/**
 * CSV export of a filtered token list across all pages: hashes only (values are never known to
 * Token Desk after creation), 100 per page. The server fans each page out to five ≤20-token
 * Authlete calls, and pages are fetched one after another, so Authlete is never flooded.
 */
import { csvCell, csvLine, UTF8_BOM } from '@/lib/csv/csv-writer';
import type { Client, Token, TokenListQueryInput, TokenListResponse } from '@/lib/schemas';
import { formatUtc } from '@/lib/format';
import { exportPages, type ExportProgress } from '@/components/export/paged-export';

export const EXPORT_PAGE_SIZE = 100;

export const exportColumns = [
  'accessTokenHash',
  'refreshTokenHash',
  'subject',
  'clientId',
  'clientName',
  'grantType',
  'scopes',
  'createdAt',
  'accessTokenExpiresAt',
  'lastRefreshedAt',
  'refreshTokenExpiresAt',
] as const;

function time(ms: number, zero: string): string {
  return ms === 0 ? zero : formatUtc(ms);
}

/**
 * One CSV line per token. Hashes are written verbatim: they are base64url (no quotes, commas or
 * spaces) and must stay byte-exact to be pasted back into Token Desk; every other cell is escaped
 * against spreadsheet formula injection.
 */
export function tokenCsvLine(token: Token, clients: ReadonlyMap<string, Client>): string {
  return csvLine([
    token.accessTokenHash,
    token.refreshTokenHash ?? '',
    csvCell(token.subject ?? ''),
    csvCell(token.clientId),
    csvCell(clients.get(token.clientId)?.clientName ?? ''),
    csvCell(token.grantType),
    csvCell(token.scopes.join(' ')),
    csvCell(formatUtc(token.createdAt)),
    csvCell(time(token.accessTokenExpiresAt, 'never')),
    csvCell(time(token.lastRefreshedAt, 'never')),
    csvCell(time(token.refreshTokenExpiresAt, token.refreshTokenHash ? 'never' : '')),
  ]);
}

export const exportHeader = UTF8_BOM + csvLine([...exportColumns]);

type ListPage = (query: TokenListQueryInput, signal?: AbortSignal) => Promise<TokenListResponse>;

/** Every token matching the filters, as CSV parts. */
export function exportTokens(
  filters: Omit<TokenListQueryInput, 'page' | 'pageSize'>,
  clients: ReadonlyMap<string, Client>,
  listPage: ListPage,
  onProgress: (progress: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<{ parts: string[]; count: number }> {
  return exportPages(
    async (page, pageSignal) => {
      const response = await listPage({ ...filters, page, pageSize: EXPORT_PAGE_SIZE }, pageSignal);
      return { items: response.tokens, totalCount: response.totalCount };
    },
    exportHeader,
    (tokens) => tokens.map((token) => tokenCsvLine(token, clients)).join(''),
    onProgress,
    signal,
  );
}
