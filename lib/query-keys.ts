/**
 * TanStack Query keys, one factory per resource, so a mutation invalidates exactly what it changed
 * (e.g. `queryKeys.tokens.all` after a revoke refreshes every token list and detail).
 */
export const queryKeys = {
  session: ['session'] as const,
  batches: {
    all: ['batches'] as const,
    detail: (requestId: string) => ['batches', requestId] as const,
  },
  audit: {
    all: ['audit'] as const,
    list: (query: Record<string, unknown>) => ['audit', 'list', normalise(query)] as const,
  },
};

/** Drops empty filters so `{ subject: '' }` and `{}` share one cache entry. */
function normalise<T extends object>(query: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as Partial<T>;
}
