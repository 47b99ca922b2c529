'use client';

import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import type { MessageKey } from '@/lib/i18n/keys';
import type { Locale } from '@/lib/i18n/locales';
import type { LocaleUpdate, TimeZoneUpdate } from '@/lib/schemas/session';
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

type Translate = (key: MessageKey, values?: Record<string, number>) => string;

/**
 * What a refused sign-in says (Better Auth's answers are not Token Desk's error envelope: the status
 * and its body say what went wrong). The server's English sentence (a lockout, a disabled account) is
 * shown as it is in English; in another language the status's translation stands for it.
 */
async function messageFor(response: Response, t: Translate, english: boolean): Promise<string> {
  if (response.status === 401) return t('signIn.errors.incorrect');
  const body = (await response.json().catch(() => null)) as { message?: string } | null;
  if (response.status === 429) {
    const seconds = Number(response.headers.get('retry-after') ?? response.headers.get('x-retry-after'));
    const minutes = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds / 60) : 1;
    if (body?.message?.startsWith('Too many failed'))
      return english ? body.message : t('signIn.errors.lockedOut', { minutes });
    return t('signIn.errors.tooManyAttempts', { minutes });
  }
  if (response.status === 403) return (english ? body?.message : undefined) ?? t('signIn.errors.notAllowed');
  return t('signIn.errors.unavailable');
}

/** The sentence for a refused sign-in in the person's language. */
function useRefusal() {
  const t = useTranslations();
  const english = useLocale() === 'en';
  return {
    refusal: async (response: Response) =>
      new SignInError(await messageFor(response, t, english), response.headers.get('x-request-id') ?? undefined),
    unreachable: () => new SignInError(t('signIn.errors.network')),
  };
}

async function post(path: string, body: unknown, unreachable: () => SignInError): Promise<Response> {
  try {
    return await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    throw unreachable();
  }
}

/** Email and password; on success a full load of `next`, so every server component renders for the new session. */
export function usePasswordSignIn(next: string) {
  const { refusal, unreachable } = useRefusal();
  return useMutation<void, SignInError, { email: string; password: string }>({
    mutationFn: async (credentials) => {
      const response = await post('/api/auth/sign-in/email', credentials, unreachable);
      if (!response.ok) throw await refusal(response);
    },
    onSuccess: () => window.location.assign(next),
  });
}

/** Single sign-on: the server answers with the identity provider's URL, which the browser then opens. */
export function useSsoSignIn(next: string) {
  const { refusal, unreachable } = useRefusal();
  return useMutation<string, SignInError, void>({
    mutationFn: async () => {
      const response = await post(
        '/api/auth/sign-in/social',
        {
          provider: 'oidc',
          callbackURL: next,
          errorCallbackURL: '/sign-in',
        },
        unreachable,
      );
      const body = (await response.json().catch(() => null)) as { url?: string } | null;
      if (!response.ok || !body?.url) throw await refusal(response);
      return body.url;
    },
    onSuccess: (url) => window.location.assign(url),
  });
}

/** Ends the session, then leaves with a full navigation so no signed-in data stays in memory. */
export function useSignOut() {
  const t = useTranslations();
  return useMutation({
    mutationFn: () => api.request<unknown>('POST', '/api/auth/sign-out', { body: {} }),
    // A full load on purpose: it drops the query cache and every other in-memory trace of the session.
    // eslint-disable-next-line @next/next/no-location-assign-relative-destination
    onSuccess: () => window.location.assign('/sign-in'),
    onError: (error) =>
      toast.error(t('shell.signOutFailed'), {
        description: (
          <ErrorDescription
            error={{
              message: t('shell.checkConnection'),
              requestId: error instanceof ApiError ? error.requestId : undefined,
            }}
          />
        ),
      }),
  });
}

/** A preference that could not be saved: a toast saying so (nothing changed on the page). */
function usePreferenceFailed() {
  const t = useTranslations();
  return (error: unknown) =>
    toast.error(t('shell.preferenceFailed'), {
      description: (
        <ErrorDescription
          error={{
            message: error instanceof ApiError ? error.message : t('shell.checkConnection'),
            requestId: error instanceof ApiError ? error.requestId : undefined,
          }}
        />
      ),
    });
}

/**
 * Saves the person's language on their account (`PUT /api/session/locale`, which also sets this
 * browser's cookie), then renders the page again on the server in it.
 */
export function useSaveLocale() {
  const router = useRouter();
  const failed = usePreferenceFailed();
  return useMutation({
    mutationFn: (locale: Locale) =>
      api.request<LocaleUpdate>('PUT', '/api/session/locale', { body: { locale } satisfies LocaleUpdate }),
    onSuccess: () => router.refresh(),
    onError: failed,
  });
}

/** Saves the time zone dates and times are shown in (null: the browser's own), then renders the page again. */
export function useSaveTimeZone() {
  const router = useRouter();
  const failed = usePreferenceFailed();
  return useMutation({
    mutationFn: (timeZone: string | null) =>
      api.request<TimeZoneUpdate>('PUT', '/api/session/time-zone', { body: { timeZone } satisfies TimeZoneUpdate }),
    onSuccess: () => router.refresh(),
    onError: failed,
  });
}
