/** Helpers of the sign-in page shared by its server part and its form. */
import type { MessageKey } from '@/lib/i18n/keys';

const SAME_SITE = 'http://same-site.invalid';

/**
 * Where to go after signing in: a path on this site only. Anything else (absolute URLs,
 * protocol-relative `//host`, backslash tricks) falls back to the token list. The path comes back
 * percent-encoded as a URL parser writes it, so it can go into a `Location` header (which holds
 * Latin-1 only) even when the person asked for `/\u3000/x`.
 */
export function safeReturnPath(next: string | undefined, fallback = '/tokens'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\') || /[\u0000-\u001f]/.test(next)) {
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(next, SAME_SITE);
  } catch {
    return fallback;
  }
  if (url.origin !== SAME_SITE) return fallback;
  const path = url.pathname + url.search + url.hash;
  if (path.startsWith('/sign-in') || path.startsWith('/api/')) return fallback;
  return path;
}

const messageKeys = {
  no_role: 'signIn.errors.noRole',
  unable_to_create_user: 'signIn.errors.noRole',
  account_disabled: 'signIn.errors.accountDisabled',
  account_not_linked: 'signIn.errors.accountNotLinked',
  access_denied: 'signIn.errors.accessDenied',
  too_many_requests: 'signIn.errors.tooManyRequests',
  state_not_found: 'signIn.errors.stateExpired',
  state_mismatch: 'signIn.errors.stateExpired',
  email_not_found: 'signIn.errors.emailNotFound',
} as const satisfies Record<string, MessageKey>;

/** The catalogue key of the sentence for an error code from the OIDC callback (`/sign-in?error=...`). */
export function signInErrorKey(code: string): MessageKey {
  const known = code.toLowerCase();
  return Object.hasOwn(messageKeys, known) ? messageKeys[known as keyof typeof messageKeys] : 'signIn.errors.ssoFailed';
}
