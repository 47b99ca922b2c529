import 'server-only';
import { config } from '@/server/config';
import { errorBody, HttpError } from '@/server/http/errors';
import { getAuth, OIDC_PROVIDER_ID } from '@/server/auth/auth';
import { CLIENT_ADDRESS_HEADER, clientIpOf } from '@/server/core/client-ip';

/** Where Better Auth's endpoints are mounted (app/api/auth/[...all]). */
export const AUTH_BASE_PATH = '/api/auth';

/**
 * The Better Auth endpoints Token Desk offers, as `METHOD /path` under AUTH_BASE_PATH: password
 * sign-in, its second-factor step (a TOTP code or a recovery code), enrolling a TOTP factor
 * (enable, then confirm with a first code) and new recovery codes, adding a passkey (options, then
 * the verified credential) and signing in with one, single sign-on (start and
 * callback, only when OIDC_* is set) and sign-out. Each writes
 * an audit record (server/auth/auth.ts). Everything else Better Auth serves (change-password,
 * list-sessions, revoke-session(s), update-session, update-user, get-session, ...) is not part
 * of the product (accounts, passwords and sessions are managed with the CLI), so those answer 404,
 * as will any endpoint a Better Auth upgrade adds.
 */
export function offeredAuthRoutes(): ReadonlySet<string> {
  return new Set([
    'POST /sign-in/email',
    'POST /two-factor/verify-totp',
    'POST /two-factor/verify-backup-code',
    'POST /two-factor/enable',
    'POST /two-factor/generate-backup-codes',
    'POST /passkey/verify-registration',
    'GET /passkey/generate-authenticate-options',
    'POST /passkey/verify-authentication',
    'POST /sign-out',
    ...(config.auth.oidc ? ['POST /sign-in/social', `GET /callback/${OIDC_PROVIDER_ID}`] : []),
  ]);
}

/**
 * Better Auth's HTTP handler behind the allowlist. The path is compared exactly as received (no
 * collapsing of `//`, no trailing-slash leniency), so no spelling of a closed path gets through.
 */
export async function handleAuthRequest(request: Request): Promise<Response> {
  const { pathname } = new URL(request.url);
  const route = pathname.startsWith(`${AUTH_BASE_PATH}/`)
    ? `${request.method} ${pathname.slice(AUTH_BASE_PATH.length)}`
    : '';
  if (!offeredAuthRoutes().has(route)) {
    const error = new HttpError(404, 'not_found', 'Token Desk has no such sign-in endpoint.');
    return Response.json(errorBody(error, request.headers.get('x-request-id') ?? ''), {
      status: 404,
      headers: { 'cache-control': 'no-store' },
    });
  }
  // Better Auth's per-address limit and session records read the address decided here, never a
  // header the client chose.
  const headers = new Headers(request.headers);
  const address = clientIpOf(request.headers);
  if (address) headers.set(CLIENT_ADDRESS_HEADER, address);
  else headers.delete(CLIENT_ADDRESS_HEADER);
  return (await getAuth()).handler(new Request(request, { headers }));
}
