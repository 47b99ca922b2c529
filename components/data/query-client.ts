import { QueryCache, QueryClient } from '@tanstack/react-query';

function statusOf(error: unknown): number {
  return typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 0;
}

/** A 4xx answer will not change on retry; only network failures and 5xx are worth a second try. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  const status = statusOf(error);
  if (status >= 400 && status < 500) return false;
  return failureCount < 2;
}

/** The session ended (idle timeout, signed out elsewhere): back to sign-in, then back here. */
function onQueryError(error: unknown): void {
  if (statusOf(error) !== 401 || window.location.pathname.startsWith('/sign-in')) return;
  const next = encodeURIComponent(window.location.pathname + window.location.search);
  // A full load: nothing of the old session stays in memory.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign(`/sign-in?next=${next}`);
}

/** The browser's query cache: one for the tab, and one per service (components/shell/service-scope.tsx). */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: onQueryError }),
    defaultOptions: {
      queries: { staleTime: 15_000, retry: shouldRetry, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
