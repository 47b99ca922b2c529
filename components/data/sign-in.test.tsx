// @vitest-environment happy-dom
import { act, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toast } from '@/components/ui/toast';
import { usePasswordSignIn, useSsoSignIn } from './sign-in';
import { renderDataHook, stubFetch } from './testing';

vi.mock('@/components/ui/toast', () => ({ toast: { success: vi.fn(), error: vi.fn(), info: vi.fn() } }));

let assign: ReturnType<typeof vi.fn>;
beforeEach(() => {
  assign = vi.fn();
  vi.stubGlobal('location', { ...window.location, assign });
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.mocked(toast.error).mockClear();
});

const credentials = { email: 'a@example.com', password: 'wrong' };

describe('usePasswordSignIn', () => {
  it('opens the next page after a successful sign-in', async () => {
    const requests = stubFetch(() => ({ body: { user: {} } }));
    const { result } = renderDataHook(() => usePasswordSignIn('/audit'));
    await act(() => result.current.mutateAsync(credentials));
    expect(requests[0]).toMatchObject({ method: 'POST', url: '/api/auth/sign-in/email', body: credentials });
    expect(assign).toHaveBeenCalledWith('/audit');
  });

  it.each<[{ status: number; body?: unknown; headers?: Record<string, string> }, string]>([
    [{ status: 401 }, 'Email or password is incorrect.'],
    [{ status: 429, headers: { 'retry-after': '120' } }, 'Too many sign-in attempts. Try again in 2 minutes.'],
    [
      { status: 429, body: { message: 'Too many failed sign-ins for this account; wait 15 minutes.' } },
      'Too many failed sign-ins for this account; wait 15 minutes.',
    ],
    [{ status: 403, body: { message: 'Account disabled.' } }, 'Account disabled.'],
    [{ status: 500 }, 'Sign-in is not available right now. Try again in a moment.'],
  ])('says why a refused sign-in failed (%j), with the request id', async (answer, message) => {
    stubFetch(() => ({ ...answer, headers: { ...answer.headers, 'x-request-id': 'r-7' } }));
    const { result } = renderDataHook(() => usePasswordSignIn('/tokens'));
    await act(() => result.current.mutateAsync(credentials).catch(() => undefined));
    await waitFor(() => expect(result.current.error).toMatchObject({ message, requestId: 'r-7' }));
    expect(assign).not.toHaveBeenCalled();
  });

  it('says so when Token Desk cannot be reached', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    const { result } = renderDataHook(() => usePasswordSignIn('/tokens'));
    await act(() => result.current.mutateAsync(credentials).catch(() => undefined));
    await waitFor(() =>
      expect(result.current.error?.message).toBe('Could not reach Token Desk. Check your connection and try again.'),
    );
  });
});

describe('useSsoSignIn', () => {
  it('opens the identity provider’s URL from the answer', async () => {
    const requests = stubFetch(() => ({ body: { url: 'https://idp.example/authorize?x=1' } }));
    const { result } = renderDataHook(() => useSsoSignIn('/audit'));
    await act(() => result.current.mutateAsync());
    expect(requests[0]?.body).toEqual({ provider: 'oidc', callbackURL: '/audit', errorCallbackURL: '/sign-in' });
    expect(assign).toHaveBeenCalledWith('https://idp.example/authorize?x=1');
  });
});
