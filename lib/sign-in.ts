/** Helpers of the sign-in page shared by its server part and its form. */

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

const messages: Record<string, string> = {
  no_role: 'Your single sign-on account has no Token Desk role. Ask an administrator to grant one.',
  unable_to_create_user: 'Your single sign-on account has no Token Desk role. Ask an administrator to grant one.',
  account_disabled: 'This account is disabled. Ask an administrator to enable it.',
  account_not_linked:
    'A password account already uses this email. Sign in with your password, or ask an administrator.',
  access_denied: 'Sign-in was cancelled at the identity provider.',
  too_many_requests: 'Too many sign-in attempts. Wait a minute and try again.',
  state_not_found: 'The sign-in took too long or was started in another tab. Please try again.',
  state_mismatch: 'The sign-in took too long or was started in another tab. Please try again.',
  email_not_found: 'Your identity provider did not share an email address, which Token Desk needs.',
};

/** A sentence for an error code from the OIDC callback (`/sign-in?error=...`). */
export function signInErrorMessage(code: string): string {
  return messages[code.toLowerCase()] ?? 'Single sign-on did not complete. Please try again, or ask an administrator.';
}
