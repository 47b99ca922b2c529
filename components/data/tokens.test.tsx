// @vitest-environment happy-dom
import { act, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Token } from '@/lib/schemas';
import { toast } from '@/components/ui/toast';
import { renderDataHook, stubFetch } from './testing';
import {
  tokenKeys,
  useCreateToken,
  useDeleteToken,
  useRevokeTokens,
  useRotateToken,
  useTokenList,
  useUpdateToken,
} from './tokens';

vi.mock('@/components/ui/toast', () => ({ toast: { success: vi.fn(), error: vi.fn(), info: vi.fn() } }));

const token = (name: string, scopes: string[] = []): Token => ({
  accessTokenHash: name.padEnd(43, 'h'),
  clientId: '7',
  subject: 'alice',
  grantType: 'PASSWORD',
  scopes,
  createdAt: 1,
  accessTokenExpiresAt: 0,
  refreshTokenExpiresAt: 0,
  lastRefreshedAt: 0,
  properties: [],
});

beforeEach(() => vi.mocked(toast.success).mockClear());
beforeEach(() => vi.mocked(toast.error).mockClear());
afterEach(() => vi.unstubAllGlobals());

describe('tokenKeys', () => {
  it('share one cache entry for equivalent filters and nest every view under the resource', () => {
    expect(tokenKeys.list({ subject: '', page: 1 })).toEqual(tokenKeys.list({ page: 1 }));
    expect(tokenKeys.list({ page: 1 }).slice(0, 2)).toEqual(tokenKeys.lists());
    expect(tokenKeys.subject('alice').slice(0, 2)).toEqual(tokenKeys.lists());
    expect(tokenKeys.detail('h').slice(0, 1)).toEqual(tokenKeys.all);
    expect(tokenKeys.found('h', { subject: 'alice' }).slice(0, 3)).toEqual(tokenKeys.detail('h'));
  });
});

describe('useTokenList', () => {
  it('asks for the filters given, leaving out empty ones', async () => {
    const requests = stubFetch(() => ({ body: { tokens: [], totalCount: 0, page: 1, pageSize: 20 } }));
    const { result } = renderDataHook(() => useTokenList({ subject: undefined, status: 'valid', page: 1 }));
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(requests.map((request) => request.url)).toEqual(['/api/s/default/tokens?status=valid&page=1']);
  });
});

describe('useUpdateToken', () => {
  it('puts the answer into the detail and every cached list holding the token, then refetches them', async () => {
    const before = token('a', ['read']);
    const after = token('a', ['read', 'write']);
    const requests = stubFetch(({ method }) =>
      method === 'PATCH' ? { body: { token: after, droppedScopes: [] } } : { status: 500 },
    );
    const { result, queryClient } = renderDataHook(() => useUpdateToken(before));
    queryClient.setQueryData(tokenKeys.list({ page: 1 }), { tokens: [before, token('b')], totalCount: 2 });
    queryClient.setQueryData(tokenKeys.subject('alice'), { tokens: [before], totalCount: 1 });

    await act(() => result.current.mutateAsync({ scopes: ['read', 'write'] }));

    expect(requests[0]).toMatchObject({
      method: 'PATCH',
      url: `/api/s/default/tokens/${before.accessTokenHash}?subject=alice&clientId=7`,
      body: { scopes: ['read', 'write'] },
    });
    expect(queryClient.getQueryData(tokenKeys.detail(before.accessTokenHash))).toEqual({ token: after });
    expect(queryClient.getQueryData<{ tokens: Token[] }>(tokenKeys.list({ page: 1 }))?.tokens[0]).toEqual(after);
    expect(queryClient.getQueryData<{ tokens: Token[] }>(tokenKeys.subject('alice'))?.tokens[0]).toEqual(after);
    expect(queryClient.getQueryState(tokenKeys.list({ page: 1 }))?.isInvalidated).toBe(true);
    expect(toast.success).toHaveBeenCalledWith('Token ahhhhhhh… updated.');
  });

  it('leaves the cache alone and says nothing when the update fails (the form shows the error)', async () => {
    stubFetch(() => ({
      status: 400,
      body: { error: { code: 'validation_failed', message: 'No.', requestId: 'r-1' } },
    }));
    const { result, queryClient } = renderDataHook(() => useUpdateToken(token('a')));
    queryClient.setQueryData(tokenKeys.list({ page: 1 }), { tokens: [token('a')], totalCount: 1 });
    await act(() => result.current.mutateAsync({ scopes: [] }).catch(() => undefined));
    await waitFor(() => expect(result.current.error).toMatchObject({ code: 'validation_failed', requestId: 'r-1' }));
    expect(queryClient.getQueryState(tokenKeys.list({ page: 1 }))?.isInvalidated).toBe(false);
    expect(toast.success).not.toHaveBeenCalled();
    expect(toast.error).not.toHaveBeenCalled();
  });
});

describe('useRevokeTokens', () => {
  it('revokes one token after another, goes on past a failure, and reports both', async () => {
    const tokens = [token('a'), token('b'), token('c')];
    const requests = stubFetch(({ url }) =>
      url.startsWith(`/api/s/default/tokens/${tokens[1]!.accessTokenHash}`)
        ? { status: 502, body: { error: { code: 'upstream_unavailable', message: 'Down.', requestId: 'r-2' } } }
        : { body: { count: 1 } },
    );
    const { result, queryClient } = renderDataHook(() => useRevokeTokens());
    queryClient.setQueryData(tokenKeys.list({ page: 1 }), { tokens, totalCount: 3 });

    const outcome = await act(() => result.current.mutateAsync({ tokens, reason: '  lost phone ' }));

    expect(requests.map(({ method, body }) => [method, body])).toEqual([
      ['POST', { reason: 'lost phone' }],
      ['POST', { reason: 'lost phone' }],
      ['POST', { reason: 'lost phone' }],
    ]);
    expect(outcome.revoked).toEqual([tokens[0]!.accessTokenHash, tokens[2]!.accessTokenHash]);
    expect(outcome.failures).toEqual([
      { hash: tokens[1]!.accessTokenHash, error: expect.objectContaining({ requestId: 'r-2' }) },
    ]);
    await waitFor(() => expect(result.current.done).toBe(3));
    expect(queryClient.getQueryState(tokenKeys.list({ page: 1 }))?.isInvalidated).toBe(true);
    expect(toast.success).toHaveBeenCalledWith('Authlete revoked 2 tokens.');
    expect(toast.error).toHaveBeenCalledWith('1 token could not be revoked', expect.anything());
  });

  it('sends no reason when none was given', async () => {
    const requests = stubFetch(() => ({ body: { count: 1 } }));
    const { result } = renderDataHook(() => useRevokeTokens());
    await act(() => result.current.mutateAsync({ tokens: [token('a')], reason: ' ' }));
    expect(requests[0]?.body).toEqual({});
    expect(toast.error).not.toHaveBeenCalled();
  });
});

describe('useDeleteToken', () => {
  it('toasts the failure once, here, and refetches nothing', async () => {
    stubFetch(() => ({ status: 404, body: { error: { code: 'not_found', message: 'Gone.' } } }));
    const { result, queryClient } = renderDataHook(() => useDeleteToken(token('a')));
    queryClient.setQueryData(tokenKeys.list({ page: 1 }), { tokens: [token('a')], totalCount: 1 });
    await act(() => result.current.mutateAsync('').catch(() => undefined));
    expect(toast.error).toHaveBeenCalledTimes(1);
    expect(vi.mocked(toast.error).mock.calls[0]?.[0]).toBe('The token was not deleted');
    expect(queryClient.getQueryState(tokenKeys.list({ page: 1 }))?.isInvalidated).toBe(false);
  });

  it('says which token was deleted and refetches every token view', async () => {
    const requests = stubFetch(() => ({ status: 204 }));
    const { result, queryClient } = renderDataHook(() => useDeleteToken(token('a')));
    queryClient.setQueryData(tokenKeys.subject('alice'), { tokens: [token('a')], totalCount: 1 });
    await act(() => result.current.mutateAsync('test token'));
    expect(requests[0]).toMatchObject({ method: 'DELETE', body: { reason: 'test token' } });
    expect(toast.success).toHaveBeenCalledWith('Token ahhhhhhh… deleted.');
    expect(queryClient.getQueryState(tokenKeys.subject('alice'))?.isInvalidated).toBe(true);
  });
});

describe('token values stay no longer than the component that shows them', () => {
  it('a created token leaves the mutation cache when the form unmounts', async () => {
    stubFetch(() => ({ body: { accessToken: 'secret-value', token: token('a') } }));
    const { result, queryClient, unmount } = renderDataHook(() => useCreateToken());
    await act(() => result.current.mutateAsync({ grantType: 'CLIENT_CREDENTIALS', clientId: '7' }));
    // The observer hears of the settled mutation on the next tick (later still on a busy machine).
    await waitFor(() => expect(result.current.data?.accessToken).toBe('secret-value'));
    unmount();
    await waitFor(() => expect(queryClient.getMutationCache().getAll()).toEqual([]));
  });

  it('a rotated value leaves the mutation cache when the dialog closes', async () => {
    stubFetch(() => ({ body: { accessToken: 'new-secret', token: token('b') } }));
    const { result, queryClient, unmount } = renderDataHook(() => useRotateToken(token('a')));
    await act(() => result.current.mutateAsync('leaked'));
    expect(toast.success).toHaveBeenCalledWith('Token ahhhhhhh… has a new value. Copy it now.');
    unmount();
    await waitFor(() => expect(queryClient.getMutationCache().getAll()).toEqual([]));
  });
});
