/**
 * CSV export of a filtered token list across all pages: hashes only (values are never known to
 * Token Desk after creation), fetched one page of 100 at a time, one request after another. The
 * server fans each page out to five ≤20-token Authlete calls, so this never runs calls in parallel.
 */
import { csvCell, csvLine, UTF8_BOM } from '@/lib/csv/csv-writer';
import type { ApiError } from '@/lib/api-client';
import type { Client, Token, TokenListQueryInput, TokenListResponse } from '@/lib/schemas';
import { formatUtc } from '@/lib/format';

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

export interface ExportProgress {
  done: number;
  total: number;
}

type ListPage = (query: TokenListQueryInput, signal?: AbortSignal) => Promise<TokenListResponse>;

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/**
 * Fetches every page in order and returns the CSV as parts (one per page) ready for a Blob,
 * with the number of tokens written.
 * A 429 from the server is honoured: wait Retry-After, then ask for the same page again (3 times).
 */
export async function exportTokens(
  filters: Omit<TokenListQueryInput, 'page' | 'pageSize'>,
  clients: ReadonlyMap<string, Client>,
  listPage: ListPage,
  onProgress: (progress: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<{ parts: string[]; count: number }> {
  const parts = [exportHeader];
  let done = 0;
  let total = Infinity;
  for (let page = 1; done < total; page++) {
    let response: TokenListResponse | undefined;
    for (let attempt = 1; !response; attempt++) {
      try {
        response = await listPage({ ...filters, page, pageSize: EXPORT_PAGE_SIZE }, signal);
      } catch (error) {
        const retryAfter = (error as Partial<ApiError>).retryAfterSeconds;
        if ((error as Partial<ApiError>).status !== 429 || attempt >= 3) throw error;
        await wait((retryAfter ?? 2) * 1000, signal);
      }
    }
    total = response.totalCount;
    // The list can shrink while we page (tokens expire or are revoked): stop at an empty page.
    if (response.tokens.length === 0) break;
    parts.push(response.tokens.map((token) => tokenCsvLine(token, clients)).join(''));
    done += response.tokens.length;
    onProgress({ done, total });
  }
  return { parts, count: done };
}

/** "tokens-2025-11-25T1403Z.csv". */
export function exportFileName(now: number = Date.now()): string {
  return `tokens-${new Date(now).toISOString().slice(0, 16).replace(':', '')}Z.csv`;
}
