/**
 * CSV export of a filtered token list across all pages: hashes only (values are never known to
 * Token Desk after creation), 100 per page. The server fans each page out to five ≤20-token
 * Authlete calls, and pages are fetched one after another, so Authlete is never flooded.
 */
import { tokenCsvLine, tokenExportHeader } from '@/lib/csv/export-lines';
import type { Client, TokenListQueryInput, TokenListResponse } from '@/lib/schemas';
import { exportPages, type ExportProgress } from '@/components/export/paged-export';

export const EXPORT_PAGE_SIZE = 100;

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
    tokenExportHeader,
    (tokens) => tokens.map((token) => tokenCsvLine(token, clients)).join(''),
    onProgress,
    signal,
  );
}
