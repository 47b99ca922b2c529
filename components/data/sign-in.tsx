'use client';

import { useMutation } from '@tanstack/react-query';
import { startAuthentication } from '@simplewebauthn/browser';
import { useLocale, useTranslations } from 'next-intl';
import type { MessageKey } from '@/lib/i18n/keys';

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
async function messageFor(response: Response, t: Translate, english: boolean, code: boolean): Promise<string> {
  if (response.status === 401) return code ? t('signIn.secondFactor.incorrect') : t('signIn.errors.incorrect');
  const body = (await response.json().catch(() => null)) as { message?: string; code?: string } | null;
  if (body?.code === 'passkey_required') return t('signIn.passkey.required');
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
function useRefusal(code = false) {
  const t = useTranslations();
  const english = useLocale() === 'en';
  return {
    refusal: async (response: Response) =>
      new SignInError(await messageFor(response, t, english, code), response.headers.get('x-request-id') ?? undefined),
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

/**
 * Email and password; on success a full load of `next`, so every server component renders for the new
 * session. A person with a second factor gets no session yet: `second_factor` asks for their code.
 */
export function usePasswordSignIn(next: string) {
  const { refusal, unreachable } = useRefusal();
  return useMutation<'signed_in' | 'second_factor', SignInError, { email: string; password: string }>({
    mutationFn: async (credentials) => {
      const response = await post('/api/auth/sign-in/email', credentials, unreachable);
      if (!response.ok) throw await refusal(response);
      const body = (await response.json().catch(() => null)) as { twoFactorRedirect?: boolean } | null;
      return body?.twoFactorRedirect ? 'second_factor' : 'signed_in';
    },
    onSuccess: (outcome) => {
      if (outcome === 'signed_in') window.location.assign(next);
    },
  });
}

/** The second step of a sign-in: a code from the authenticator app, or a one-time recovery code. */
export function useSecondFactorSignIn(next: string) {
  const { refusal, unreachable } = useRefusal(true);
  return useMutation<void, SignInError, { code: string; recovery: boolean }>({
    mutationFn: async ({ code, recovery }) => {
      const path = recovery ? '/api/auth/two-factor/verify-backup-code' : '/api/auth/two-factor/verify-totp';
      const response = await post(path, { code }, unreachable);
      if (!response.ok) throw await refusal(response);
    },
    onSuccess: () => window.location.assign(next),
  });
}

/**
 * Signing in with a passkey (Better Auth's passkey plugin): the browser picks one of the person's
 * passkeys for this site and checks it is them; a complete sign-in, no second step.
 */
export function usePasskeySignIn(next: string) {
  const t = useTranslations();
  const { refusal, unreachable } = useRefusal();
  return useMutation<void, SignInError, void>({
    mutationFn: async () => {
      let options: Response;
      try {
        options = await fetch('/api/auth/passkey/generate-authenticate-options');
      } catch {
        throw unreachable();
      }
      if (!options.ok) throw await refusal(options);
      let response;
      try {
        response = await startAuthentication({ optionsJSON: await options.json() });
      } catch {
        // Cancelled, timed out, or no passkey for this site on this device.
        throw new SignInError(t('signIn.passkey.cancelled'));
      }
      const verified = await post('/api/auth/passkey/verify-authentication', { response }, unreachable);
      if (verified.status === 400 || verified.status === 401) throw new SignInError(t('signIn.passkey.failed'));
      if (!verified.ok) throw await refusal(verified);
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
