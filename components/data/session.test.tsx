// @vitest-environment happy-dom
import { act } from '@testing-library/react';
import { isValidElement } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toast } from '@/components/ui/toast';
import { useSignOut } from './session';
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

describe('useSignOut', () => {
  it('leaves for the sign-in page', async () => {
    stubFetch(() => ({ body: { success: true } }));
    const { result } = renderDataHook(() => useSignOut());
    await act(() => result.current.mutateAsync());
    expect(assign).toHaveBeenCalledWith('/sign-in');
  });

  it('toasts a failure with the answer’s request id', async () => {
    stubFetch(() => ({ status: 500, headers: { 'x-request-id': 'r-8' } }));
    const { result } = renderDataHook(() => useSignOut());
    await act(() => result.current.mutateAsync().catch(() => undefined));
    expect(assign).not.toHaveBeenCalled();
    const [title, options] = vi.mocked(toast.error).mock.calls[0] ?? [];
    expect(title).toBe('Could not sign out');
    const description = options?.description;
    expect(isValidElement(description) && description.props).toEqual({
      error: { message: 'Check your connection and try again.', requestId: 'r-8' },
    });
  });
});
