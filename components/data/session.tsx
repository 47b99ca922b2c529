'use client';

import { useMutation } from '@tanstack/react-query';
import { api, ApiError } from '@/lib/api-client';
import { ErrorDescription } from '@/components/ui/states';
import { toast } from '@/components/ui/toast';

/** A refused or failed sign-in: the sentence to show, and the answer's request id for support. */
export class SignInError extends Error {
  override name = 'SignInError';
  constructor(
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

/** Better Auth's answers are not Token Desk's error envelope: the status and its body say what went wrong. */
async function messageFor(response: Response): Promise<string> {
  if (response.status === 401) return 'Email or password is incorrect.';
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after') ?? response.headers.get('x-retry-after'));
    const wait = Number.isFinite(seconds) && seconds > 0 ? `${Math.ceil(seconds / 60)} minute(s)` : 'a minute';
    const body = (await response.json().catch(() => null)) as { message?: string } | null;
    return body?.message?.startsWith('Too many failed')
      ? body.message
      : `Too many sign-in attempts. Try again in ${wait}.`;
  }
  if (response.status === 403) {
    const body = (await response.json().catch(() => null)) as { message?: string } | null;
    return body?.message ?? 'This account may not sign in. Ask an administrator.';
  }
  return 'Sign-in is not available right now. Try again in a moment.';
}

async function refusal(response: Response): Promise<SignInError> {
  return new SignInError(await messageFor(response), response.headers.get('x-request-id') ?? undefined);
}

async function post(path: string, body: unknown): Promise<Response> {
  try {
    return await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw new SignInError('Could not reach Token Desk. Check your connection and try again.');
  }
}

/** Email and password; on success a full load of `next`, so every server component renders for the new session. */
export function usePasswordSignIn(next: string) {
  return useMutation<void, SignInError, { email: string; password: string }>({
    mutationFn: async (credentials) => {
      const response = await post('/api/auth/sign-in/email', credentials);
      if (!response.ok) throw await refusal(response);
    },
    onSuccess: () => window.location.assign(next),
  });
}

/** Single sign-on: the server answers with the identity provider's URL, which the browser then opens. */
export function useSsoSignIn(next: string) {
  return useMutation<string, SignInError, void>({
    mutationFn: async () => {
      const response = await post('/api/auth/sign-in/social', {
        provider: 'oidc',
        callbackURL: next,
        errorCallbackURL: '/sign-in',
      });
      const body = (await response.json().catch(() => null)) as { url?: string } | null;
      if (!response.ok || !body?.url) throw await refusal(response);
      return body.url;
    },
    onSuccess: (url) => window.location.assign(url),
  });
}

/** Ends the session, then leaves with a full navigation so no signed-in data stays in memory. */
export function useSignOut() {
  return useMutation({
    mutationFn: () => api.request<unknown>('POST', '/api/auth/sign-out', { body: {} }),
    // A full load on purpose: it drops the query cache and every other in-memory trace of the session.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    onSuccess: () => window.location.assign('/sign-in'),
    onError: (error) =>
      toast.error('Could not sign out', {
        description: (
          <ErrorDescription
            error={{
              message: 'Check your connection and try again.',
              requestId: error instanceof ApiError ? error.requestId : undefined,
            }}
          />
        ),
      }),
  });
}
