/**
 * CSV exports that walk a paginated Token Desk endpoint: one page after another (never in
 * parallel, so the upstream is not flooded), honouring 429 Retry-After, with progress per page.
 */
import type { ApiError } from '@/lib/api-client';

export interface ExportProgress {
  done: number;
  total: number;
}

export interface PageOf<T> {
  items: readonly T[];
  totalCount: number;
}

const wait = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** Returns the CSV as parts (header, then one part per page) ready for a Blob, and the row count. */
export async function exportPages<T>(
  fetchPage: (page: number, signal?: AbortSignal) => Promise<PageOf<T>>,
  header: string,
  toLines: (items: readonly T[]) => string,
  onProgress: (progress: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<{ parts: string[]; count: number }> {
  const parts = [header];
  let done = 0;
  let total = Infinity;
  for (let page = 1; done < total; page++) {
    let response: PageOf<T> | undefined;
    for (let attempt = 1; !response; attempt++) {
      try {
        response = await fetchPage(page, signal);
      } catch (error) {
        const { status, retryAfterSeconds } = error as Partial<ApiError>;
        if (status !== 429 || attempt >= 3) throw error;
        await wait((retryAfterSeconds ?? 2) * 1000, signal);
      }
    }
    total = response.totalCount;
    // The list can shrink while we page (tokens expire or are revoked): stop at an empty page.
    if (response.items.length === 0) break;
    parts.push(toLines(response.items));
    done += response.items.length;
    onProgress({ done, total });
  }
  return { parts, count: done };
}

/** "tokens-2025-11-25T1403Z.csv". */
export function exportFileName(prefix: string, now: number = Date.now()): string {
  return `${prefix}-${new Date(now).toISOString().slice(0, 16).replace(':', '')}Z.csv`;
}
