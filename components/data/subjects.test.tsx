// @vitest-environment happy-dom
import { act, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toast } from '@/components/ui/toast';
import { useRevokeAll, useSubjectTokens } from './subjects';
import { renderDataHook, stubFetch } from './testing';
import { tokenKeys } from './tokens';

vi.mock('@/components/ui/toast', () => ({ toast: { success: vi.fn(), error: vi.fn(), info: vi.fn() } }));

afterEach(() => {
  vi.unstubAllGlobals();
  vi.mocked(toast.success).mockClear();
});

describe('useSubjectTokens', () => {
  it('pages through the subject’s tokens, and is refetched by every token change (its key is under the lists)', async () => {
    const requests = stubFetch(() => ({ body: { tokens: [], totalCount: 0, page: 1, pageSize: 100 } }));
    const { result, queryClient } = renderDataHook(() => useSubjectTokens('alice'));
    await waitFor(() => expect(result.current.isSuccess).toBe(true));
    expect(requests.map((request) => request.url)).toEqual([
      '/api/s/default/tokens?subject=alice&status=all&page=1&pageSize=100',
    ]);
    await act(() => queryClient.invalidateQueries({ queryKey: tokenKeys.lists() }));
    expect(requests).toHaveLength(2);
  });
});

describe('useRevokeAll', () => {
  it('sends the subject, client and trimmed reason, reports Authlete’s count and refetches the token views', async () => {
    const requests = stubFetch(() => ({ body: { count: 4 } }));
    const { result, queryClient } = renderDataHook(() => useRevokeAll('alice'));
    queryClient.setQueryData(tokenKeys.subject('alice'), { tokens: [], totalCount: 4 });
    await act(() => result.current.mutateAsync({ clientId: '7', reason: ' compromised ' }));
    expect(requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/s/default/revocations',
      body: { subject: 'alice', clientId: '7', reason: 'compromised' },
    });
    expect(toast.success).toHaveBeenCalledWith('Authlete revoked 4 tokens of alice.');
    expect(queryClient.getQueryState(tokenKeys.subject('alice'))?.isInvalidated).toBe(true);
  });

  it('keeps the failure for the dialog to show, without a toast', async () => {
    stubFetch(() => ({ status: 403, body: { error: { code: 'forbidden', message: 'No.' } } }));
    const { result } = renderDataHook(() => useRevokeAll('alice'));
    await act(() => result.current.mutateAsync({ reason: 'x' }).catch(() => undefined));
    await waitFor(() => expect(result.current.error).toMatchObject({ status: 403 }));
    expect(toast.success).not.toHaveBeenCalled();
  });
});
