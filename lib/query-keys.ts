/**
 * TanStack Query keys, one factory per resource, so a mutation invalidates exactly what it changed
 * (e.g. `queryKeys.tokens.all` after a revoke refreshes every token list and detail).
 */
import type { TokenListQueryInput } from './schemas/token';

export const queryKeys = {
  session: ['session'] as const,
  tokens: {
    all: ['tokens'] as const,
    lists: () => ['tokens', 'list'] as const,
    list: (query: TokenListQueryInput) => ['tokens', 'list', normalise(query)] as const,
    details: () => ['tokens', 'detail'] as const,
    detail: (hash: string) => ['tokens', 'detail', hash] as const,
  },
  clients: { all: ['clients'] as const },
  scopes: { all: ['scopes'] as const },
  batches: {
    all: ['batches'] as const,
    detail: (requestId: string) => ['batches', requestId] as const,
  },
  exports: {
    all: ['exports'] as const,
    list: () => ['exports', 'list'] as const,
    detail: (id: string) => ['exports', 'detail', id] as const,
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
