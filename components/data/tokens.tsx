'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import { useCallback, useState } from 'react';
import { hintFor, type TokenLookupHint } from '@/lib/api-client';
import { useServiceApi } from './service';
import { shortHash } from '@/lib/format';
import type { Token, TokenCreateFormValues, TokenListQueryInput, TokenUpdateInput } from '@/lib/schemas';
import { ErrorDescription, RequestIdNote, summarizeError } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';
import { withoutEmptyFilters } from './filters';
import { withUpdatedToken } from './token-cache';

/** So a mutation invalidates exactly what it changed: `all` after a revoke refreshes every list and detail. */
export const tokenKeys = {
  all: ['tokens'] as const,
  lists: () => ['tokens', 'list'] as const,
  list: (query: TokenListQueryInput) => ['tokens', 'list', withoutEmptyFilters(query)] as const,
  /** Under `lists()`, so every token mutation refreshes the subject view too. */
  subject: (subject: string) => ['tokens', 'list', 'subject', subject] as const,
  detail: (hash: string) => ['tokens', 'detail', hash] as const,
  /** The hint narrows the server's scan, so it is part of the key. */
  found: (hash: string, hint: TokenLookupHint) => ['tokens', 'detail', hash, hint] as const,
  /** Under the token's detail, so every change to the token refreshes its history too. */
  history: (hash: string, page: number) => ['tokens', 'detail', hash, 'history', page] as const,
};

/** One page of tokens; the previous page stays on screen while the next one loads. */
export function useTokenList(query: TokenListQueryInput) {
  const api = useServiceApi();
  return useQuery({
    queryKey: tokenKeys.list(query),
    queryFn: ({ signal }) => api.listTokens(query, signal),
    placeholderData: keepPreviousData,
  });
}

/** One page of tokens for an export, outside the cache (each page is read once). */
export function useFetchTokenPage() {
  return useServiceApi().listTokens;
}

/** One token by its hash, for the edit page. */
export function useToken(hash: string, hint: TokenLookupHint) {
  const api = useServiceApi();
  return useQuery({
    queryKey: tokenKeys.detail(hash),
    queryFn: ({ signal }) => api.getToken(hash, hint, signal),
  });
}

/** A token's history from the audit log (who created, changed or looked it up, and why), newest first. */
export function useTokenHistory(hash: string, page: number) {
  const api = useServiceApi();
  return useQuery({
    queryKey: tokenKeys.history(hash, page),
    queryFn: ({ signal }) => api.tokenHistory(hash, page, signal),
  });
}

/** Finding a token by its hash: a scan of the tokens of the given subject and/or client. */
export function useTokenByHash(hash: string | null, hint: TokenLookupHint) {
  const api = useServiceApi();
  return useQuery({
    queryKey: tokenKeys.found(hash ?? '', hint),
    queryFn: ({ signal }) => api.getToken(hash as string, hint, signal),
    enabled: hash !== null,
  });
}

/**
 * Finding a token from a pasted value: sent once in a POST body (never a URL, never cached), for
 * Authlete's introspection on the server. A mutation, not a query: it is audited, and it has a
 * side effect (Authlete deletes an expired token it is asked about). `gcTime: 0`: the value (the
 * mutation's variables) leaves memory with the component that asked.
 */
export function useTokenLookupByValue() {
  const api = useServiceApi();
  return useMutation({ mutationFn: (value: string) => api.lookupToken(value), gcTime: 0 });
}

/** After any change to tokens: every list, detail and subject view is refetched. */
export function useInvalidateTokens(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: tokenKeys.all }), [queryClient]);
}

/**
 * Admin: issue one token. The answer holds the token values: `gcTime: 0` drops the mutation (and
 * any supplied values) as soon as the form lets go of it; they never enter the query cache.
 */
export function useCreateToken() {
  const api = useServiceApi();
  const t = useTranslations();
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (input: TokenCreateFormValues) => api.createToken(input),
    gcTime: 0,
    onSuccess: () => {
      toast.success(t('tokens.create.createdToast'));
      return invalidate();
    },
  });
}

/**
 * Admin: change a token's scopes, expiry or properties. The server's answer goes into the token's
 * detail and every cached list or subject view holding it, so the next page shows the new values on
 * its first render; then all token views are refetched (a list filtered by status may now leave it out).
 */
export function useUpdateToken(token: Token) {
  const api = useServiceApi();
  const t = useTranslations();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TokenUpdateInput) => api.updateToken(token.accessTokenHash, input, hintFor(token)),
    onSuccess: ({ token: updated }) => {
      toast.success(t('tokens.edit.updatedToast', { hash: shortHash(token.accessTokenHash) }));
      queryClient.setQueryData(tokenKeys.detail(updated.accessTokenHash), { token: updated });
      queryClient.setQueriesData({ queryKey: tokenKeys.lists() }, (data: unknown) => withUpdatedToken(data, updated));
      return queryClient.invalidateQueries({ queryKey: tokenKeys.all });
    },
  });
}

/** Admin: a new value for the token; it is in the answer only, kept no longer than the dialog (`gcTime: 0`). */
export function useRotateToken(token: Token) {
  const api = useServiceApi();
  const t = useTranslations();
  return useMutation({
    mutationFn: (reason: string) => api.rotateToken(token.accessTokenHash, hintFor(token), { reason }),
    gcTime: 0,
    onSuccess: () => toast.success(t('tokens.dialogs.rotatedToast', { hash: shortHash(token.accessTokenHash) })),
    onError: (error) =>
      toast.error(t('tokens.dialogs.rotateFailed'), { description: <ErrorDescription error={error} /> }),
  });
}

/** After a rotation is acknowledged: the old hash no longer exists, so its detail goes and lists refetch. */
export function useForgetRotatedToken(): (oldHash: string) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (oldHash: string) => {
      queryClient.removeQueries({ queryKey: tokenKeys.detail(oldHash) });
      void queryClient.invalidateQueries({ queryKey: tokenKeys.lists() });
    },
    [queryClient],
  );
}

const reasonBody = (reason: string) => (reason.trim() ? { reason: reason.trim() } : {});

/** Admin: erase one token record, with an optional reason for the audit log. */
export function useDeleteToken(token: Token) {
  const api = useServiceApi();
  const t = useTranslations();
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (reason: string) => api.deleteToken(token.accessTokenHash, hintFor(token), reasonBody(reason)),
    onSuccess: () => {
      toast.success(t('tokens.dialogs.deletedToast', { hash: shortHash(token.accessTokenHash) }));
      return invalidate();
    },
    onError: (error) =>
      toast.error(t('tokens.dialogs.deleteFailed'), { description: <ErrorDescription error={error} /> }),
  });
}

interface RevokeFailure {
  hash: string;
  error: unknown;
}

/** The first few failed revocations of a bulk revoke, each with its own request id. */
function RevokeFailures({ failures }: { failures: readonly RevokeFailure[] }) {
  const t = useTranslations();
  const shown = failures.slice(0, 3);
  return (
    <ul className="space-y-1">
      {shown.map(({ hash, error }) => {
        const { message, requestId } = summarizeError(error);
        return (
          <li key={hash}>
            <code className="font-mono">{shortHash(hash)}</code>: {message}
            {requestId && <RequestIdNote requestId={requestId} className="opacity-80" />}
          </li>
        );
      })}
      {failures.length > shown.length && (
        <li>{t('tokens.dialogs.andMore', { count: failures.length - shown.length })}</li>
      )}
    </ul>
  );
}

/**
 * Revokes one or several tokens, one request after another, counting them (`done`) for the progress
 * label. A failure does not stop the rest: the answer lists the hashes revoked and the failures, and
 * the toasts report both.
 */
export function useRevokeTokens() {
  const api = useServiceApi();
  const t = useTranslations();
  const invalidate = useInvalidateTokens();
  const [done, setDone] = useState(0);
  const mutation = useMutation({
    mutationFn: async ({ tokens, reason }: { tokens: readonly Token[]; reason: string }) => {
      const revoked: string[] = [];
      const failures: RevokeFailure[] = [];
      let count = 0;
      for (const token of tokens) {
        try {
          const result = await api.revokeToken(token.accessTokenHash, hintFor(token), reasonBody(reason));
          count += result.count;
          revoked.push(token.accessTokenHash);
        } catch (error) {
          failures.push({ hash: token.accessTokenHash, error });
        }
        setDone((previous) => previous + 1);
      }
      return { revoked, failures, count };
    },
    onMutate: () => setDone(0),
    onSuccess: async ({ revoked, failures, count }) => {
      await invalidate();
      if (revoked.length > 0) toast.success(t('tokens.dialogs.revokedToast', { count }));
      if (failures.length > 0) {
        toast.error(t('tokens.dialogs.revokeFailedToast', { count: failures.length }), {
          description: <RevokeFailures failures={failures} />,
        });
      }
    },
  });
  return { ...mutation, done };
}
