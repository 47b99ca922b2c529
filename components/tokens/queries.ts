'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { api, type TokenLookupHint } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Token } from '@/lib/schemas';
import { withUpdatedToken } from './token-cache';
import { parseTokenListParams, serializeTokenListParams, type TokenListParams } from './list-params';

/** Filters and page from the URL, and a way to change them that adds a history entry (back works). */
export function useTokenListParams(): [TokenListParams, (next: TokenListParams) => void] {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const params = useMemo(() => parseTokenListParams(searchParams), [searchParams]);
  const navigate = useCallback(
    (next: TokenListParams) => router.push(`${pathname}${serializeTokenListParams(next)}`, { scroll: false }),
    [router, pathname],
  );
  return [params, navigate];
}

/** One page of tokens; the previous page stays on screen while the next one loads. */
export function useTokenList(params: TokenListParams) {
  const query = {
    subject: params.subject || undefined,
    clientId: params.clientId || undefined,
    status: params.status,
    page: params.page,
    pageSize: params.pageSize,
  };
  return useQuery({
    queryKey: queryKeys.tokens.list(query),
    queryFn: ({ signal }) => api.listTokens(query, signal),
    placeholderData: keepPreviousData,
  });
}

/** After any change to tokens: every list, detail and subject view is refetched. */
export function useInvalidateTokens(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: queryKeys.tokens.all }), [queryClient]);
}

/**
 * After an edit: the server's answer goes into the token's detail and every cached list or subject
 * view holding it, so the next page shows the new values on its first render; then all token views
 * are marked stale and refetched (a list filtered by status may now leave the token out).
 */
export function useApplyTokenUpdate(): (token: Token) => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(
    (token: Token) => {
      queryClient.setQueryData(queryKeys.tokens.detail(token.accessTokenHash), { token });
      queryClient.setQueriesData({ queryKey: queryKeys.tokens.lists() }, (data: unknown) =>
        withUpdatedToken(data, token),
      );
      return queryClient.invalidateQueries({ queryKey: queryKeys.tokens.all });
    },
    [queryClient],
  );
}

/**
 * Finding a token from a pasted value: sent once in a POST body (never a URL, never cached), for
 * Authlete's introspection on the server. A mutation, not a query: it is audited, and it has a
 * side effect (Authlete deletes an expired token it is asked about).
 */
export function useTokenLookupByValue() {
  return useMutation({ mutationFn: (value: string) => api.lookupToken(value) });
}

/** Finding a token by its hash: a scan of the tokens of the given subject and/or client. */
export function useTokenByHash(hash: string | null, hint: TokenLookupHint) {
  return useQuery({
    // The hint narrows the server's scan, so it is part of the key.
    queryKey: [...queryKeys.tokens.detail(hash ?? ''), hint],
    queryFn: ({ signal }) => api.getToken(hash as string, hint, signal),
    enabled: hash !== null,
  });
}
