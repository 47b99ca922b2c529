import 'server-only';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from 'better-auth/api';
import { passkey } from '@better-auth/passkey';
import { genericOAuth } from 'better-auth/plugins/generic-oauth';
import { twoFactor } from 'better-auth/plugins/two-factor';
import { eq } from 'drizzle-orm';
import { roleSchema, type Role } from '@/lib/roles';
import { passkeyNameSchema } from '@/lib/schemas/security';
import { auditRequestContext, recordAudit } from '@/server/audit';
import { config } from '@/server/config';
import { getDb, type Database } from '@/server/db';
import { appOriginFor, isCrossSiteRequest } from '@/server/core/origin';
import {
  authAccount,
  authPasskey,
  authRateLimit,
  authSession,
  authTwoFactor,
  authUser,
  authVerification,
  staffGrant,
} from '@/server/db/schema';
import { defaultService } from '@/server/services';
import { clientIpOf, clientIpOptions } from '@/server/core/client-ip';
import { oidcRoleFor, oidcScopeFor } from './oidc-roles';
import { scopeColumn } from './scope';
import type { ClientScope } from '@/lib/schemas/staff';
import { clearSignInFailures, countSignInFailure, signInLockedFor } from './sign-in-lockout';
import { getAuthSecret } from '@/server/core/secret';
import { reconcileDemoAccountsOnce } from './demo-mode';
import { stepUpFresh } from './step-up';

/** The OIDC provider id in Better Auth's routes (/api/auth/callback/oidc). */
export const OIDC_PROVIDER_ID = 'oidc';

/**
 * Role decided from the provider's claims while the callback maps the profile, picked up moments
 * later (same request) when the user row or the session is written. Keyed by lower-case email.
 */
const pendingOidcRoles = new Map<string, { role: Role; until: number; scope?: ClientScope }>();

function takePendingOidcGrant(email: string): { role: Role; scope?: ClientScope } | undefined {
  const now = Date.now();
  for (const [key, entry] of pendingOidcRoles) if (entry.until < now) pendingOidcRoles.delete(key);
  const entry = pendingOidcRoles.get(email.toLowerCase());
  pendingOidcRoles.delete(email.toLowerCase());
  return entry;
}

/** True when cookies must carry Secure and the `__Host-` prefix (the app is served over https). */
export function usesSecureCookies(): boolean {
  return config.appUrl ? config.appUrl.startsWith('https:') : false;
}

function baseUrl() {
  if (config.appUrl) return config.appUrl;
  if (config.production && !config.demo) {
    throw new Error(
      'Invalid configuration: APP_URL must be set in production (the public URL of the dashboard, e.g. https://desk.example.com).',
    );
  }
  // Demo and development: whichever loopback address the browser used.
  return {
    allowedHosts: ['localhost', 'localhost:*', '127.0.0.1', '127.0.0.1:*', '[::1]:*'],
    protocol: 'http' as const,
    // Used only when a server-side call carries no Host header.
    fallback: `http://localhost:${process.env.PORT ?? 3000}`,
  };
}

/** The email typed at sign-in, when it looks like one (anything else is not worth keeping). */
function attemptedEmail(body: unknown): string {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' && email.length <= 320 && /^[^\s@]+@[^\s@]+$/.test(email)
    ? email.trim().toLowerCase()
    : '';
}

/** The second factor a sign-in is completed with, by Better Auth path. */
function secondFactorOf(path: string | undefined): 'totp' | 'recovery_code' | undefined {
  if (path === '/two-factor/verify-totp') return 'totp';
  if (path === '/two-factor/verify-backup-code') return 'recovery_code';
  return undefined;
}

async function signedInAlready(context: Parameters<typeof getSessionFromCtx>[0]): Promise<boolean> {
  const current = await getSessionFromCtx(context, { disableCookieCache: true, disableRefresh: true }).catch(
    () => null,
  );
  return current !== null;
}

/** Better Auth's paths that add a passkey to the signed-in person (options, then the verified credential). */
const PASSKEY_REGISTRATION_PATHS = ['/passkey/generate-register-options', '/passkey/verify-registration'];
const PASSKEY_SIGN_IN_PATH = '/passkey/verify-authentication';

/** The relying party for passkeys when APP_URL is set; in development, the origin the browser used. */
function passkeyRelyingParty(): { rpID?: string; origin: string | null } {
  if (!config.appUrl) return { origin: null };
  const url = new URL(config.appUrl);
  return { rpID: url.hostname, origin: url.origin };
}

function isOidcCallback(path: string | undefined): boolean {
  return path?.startsWith('/callback/') ?? false;
}

export function createAuth(db: Database) {
  const secure = usesSecureCookies();
  const oidc = config.auth.oidc;
  const signInRule = { window: 60, max: config.auth.signInRateLimitPerMinute };

  return betterAuth({
    appName: 'Token Desk',
    baseURL: baseUrl(),
    basePath: '/api/auth',
    secret: getAuthSecret(),
    database: drizzleAdapter(db, {
      provider: 'pg',
      schema: {
        user: authUser,
        session: authSession,
        account: authAccount,
        verification: authVerification,
        rateLimit: authRateLimit,
        twoFactor: authTwoFactor,
        passkey: authPasskey,
      },
    }),
    telemetry: { enabled: false },
    // A failed single sign-on lands on the sign-in page with ?error=, not on Better Auth's own page.
    onAPIError: { errorURL: '/sign-in' },
    emailAndPassword: {
      enabled: true,
      // Accounts come from the CLI, the demo seed or an administrator, never from the sign-in page.
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 128,
    },
    // Closed inside Better Auth as well; the authority is the allowlist in front of it (routes.ts).
    disabledPaths: [
      '/sign-up/email',
      '/get-session',
      '/list-sessions',
      '/update-session',
      '/revoke-session',
      '/revoke-sessions',
      '/revoke-other-sessions',
      '/change-password',
      '/verify-password',
      '/list-accounts',
      '/account-info',
      '/refresh-token',
      '/get-access-token',
      '/delete-user/callback',
      '/ok',
      '/error',
      '/update-user',
      '/change-email',
      '/delete-user',
      '/request-password-reset',
      '/reset-password',
      '/send-verification-email',
      '/verify-email',
      '/link-social',
      '/unlink-account',
    ],
    user: {
      additionalFields: {
        role: { type: 'string', required: false, defaultValue: 'viewer', input: false },
        disabled: { type: 'boolean', required: false, defaultValue: false, input: false },
      },
    },
    session: {
      // Absolute lifetime: never extended. The idle timeout is enforced by getActor on lastActiveAt.
      expiresIn: config.auth.sessionMaxHours * 3600,
      disableSessionRefresh: true,
      // Every request reads the session and user from the database, so sign-out, disabling and
      // role changes take effect on the next request.
      cookieCache: { enabled: false },
      additionalFields: {
        signInMethod: { type: 'string', required: false, defaultValue: 'password', input: false },
        lastActiveAt: { type: 'date', required: false, input: false },
        verifiedAt: { type: 'date', required: false, input: false },
      },
    },
    account: { accountLinking: { enabled: false } },
    rateLimit: {
      enabled: true,
      // In the database so every instance of the app counts the same attempts.
      storage: 'database',
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': signInRule,
        '/sign-in/social': signInRule,
        '/callback/*': signInRule,
        [PASSKEY_SIGN_IN_PATH]: signInRule,
      },
    },
    advanced: {
      // Cookie names are ours: `__Host-` (Secure, Path=/, no Domain) when served over https.
      useSecureCookies: false,
      cookiePrefix: secure ? '__Host-token-desk' : 'token-desk',
      ipAddress: clientIpOptions(),
      defaultCookieAttributes: { secure, httpOnly: true, sameSite: 'lax', path: '/' },
      database: { generateId: () => crypto.randomUUID() },
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user, context) => {
            if (!isOidcCallback(context?.path)) return;
            const pending = takePendingOidcGrant(user.email);
            if (!pending) return false;
            const role = pending.role;
            // Held for session.create below, which syncs the role and scope on every OIDC sign-in.
            pendingOidcRoles.set(user.email.toLowerCase(), { ...pending, until: Date.now() + 60_000 });
            return { data: { ...user, role } };
          },
        },
      },
      session: {
        create: {
          before: async (session, context) => {
            const [user] = await db.select().from(authUser).where(eq(authUser.id, session.userId));
            // A demo account opens only a demo, whatever has been done to it since.
            if (!user || user.disabled || (user.demo && !config.demo)) {
              throw new APIError('FORBIDDEN', { code: 'account_disabled', message: 'This account is disabled.' });
            }
            const method = isOidcCallback(context?.path) ? 'oidc' : 'password';
            // Someone whose only second factor is a passkey signs in with it: a password alone is not enough.
            if (context?.path === '/sign-in/email' && !user.twoFactorEnabled) {
              const [own] = await db
                .select({ id: authPasskey.id })
                .from(authPasskey)
                .where(eq(authPasskey.userId, user.id))
                .limit(1);
              if (own)
                throw new APIError('FORBIDDEN', { code: 'passkey_required', message: 'Sign in with your passkey.' });
            }
            if (method === 'oidc') {
              const pending = takePendingOidcGrant(user.email);
              if (!pending)
                throw new APIError('FORBIDDEN', { code: 'no_role', message: 'No Token Desk role for this account.' });
              const { role } = pending;
              if (role !== user.role) {
                await db.update(authUser).set({ role, updatedAt: new Date() }).where(eq(authUser.id, user.id));
              }
              // The identity provider decides role and client scope again at every sign-in.
              const grant = {
                role,
                clientIds: pending.scope ? scopeColumn(pending.scope) : null,
                updatedAt: new Date(),
              };
              await db
                .insert(staffGrant)
                .values({ userId: user.id, service: defaultService().slug, ...grant })
                .onConflictDoUpdate({ target: [staffGrant.userId, staffGrant.service], set: grant });
            }
            // A sign-in is a proof of identity: it opens the step-up window (server/auth/step-up.ts).
            const now = new Date();
            return { data: { ...session, signInMethod: method, lastActiveAt: now, verifiedAt: now } };
          },
          after: async (session, context) => {
            const [user] = await db.select().from(authUser).where(eq(authUser.id, session.userId));
            const method = isOidcCallback(context?.path) ? 'oidc' : 'password';
            // A password accepted for someone with a second factor opens no session yet: the two-factor
            // plugin drops this one and the sign-in is recorded when the code is accepted.
            if (context?.path === '/sign-in/email' && user?.twoFactorEnabled) return;
            const secondFactor = secondFactorOf(context?.path);
            // Enrolment re-issues the session of someone signed in (the old one is still there): not a sign-in.
            if (secondFactor && context && (await signedInAlready(context))) return;
            try {
              await recordAudit({
                action: 'auth.sign_in',
                outcome: 'success',
                actor: { id: session.userId, email: user?.email, role: roleSchema.safeParse(user?.role).data, method },
                request: context?.headers ? auditRequestContext(context.headers) : undefined,
                ...(secondFactor
                  ? { details: { secondFactor } }
                  : context?.path === PASSKEY_SIGN_IN_PATH
                    ? { details: { passkey: true } }
                    : {}),
              });
            } catch (error) {
              // No unrecorded sign-in: drop the session before its cookie is ever sent.
              await db.delete(authSession).where(eq(authSession.id, session.id));
              throw error;
            }
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        // Login CSRF: a sign-in or sign-out posted by another site is refused, like every mutation.
        const request = ctx.request;
        if (
          request?.method === 'POST' &&
          (ctx.path.startsWith('/sign-in') || ctx.path.startsWith('/passkey/') || ctx.path === '/sign-out') &&
          isCrossSiteRequest(request.headers, appOriginFor(request.url, config.appUrl))
        ) {
          await recordAudit({
            action: 'auth.denied',
            outcome: 'failure',
            request: auditRequestContext(request.headers),
            errorCode: 'cross_site_request',
            details: { route: `POST /api/auth${ctx.path}` },
          });
          throw new APIError('FORBIDDEN', { code: 'cross_site_request', message: 'Sign in from Token Desk itself.' });
        }
        if (PASSKEY_REGISTRATION_PATHS.includes(ctx.path)) {
          // Only a password account adds passkeys here (single sign-on people use their provider's),
          // and only with a fresh proof that it is them, like any other dangerous change.
          const current = await getSessionFromCtx(ctx, { disableCookieCache: true, disableRefresh: true }).catch(
            () => null,
          );
          const session = current?.session as { signInMethod?: string; verifiedAt?: Date } | undefined;
          if (!session || session.signInMethod === 'oidc') {
            throw new APIError('FORBIDDEN', {
              code: 'passkey_not_offered',
              message: 'Passkeys are for password accounts.',
            });
          }
          if (
            !session.verifiedAt ||
            !stepUpFresh(new Date(session.verifiedAt), new Date(), config.security.stepUpWindowSeconds)
          ) {
            throw new APIError('FORBIDDEN', {
              code: 'step_up_required',
              message: 'Confirm it is you again, then add the passkey.',
            });
          }
          if (ctx.path === '/passkey/verify-registration') {
            const body = ctx.body as { name?: unknown; createSession?: unknown } | undefined;
            if (body?.createSession || !passkeyNameSchema.safeParse(body?.name).success) {
              throw new APIError('BAD_REQUEST', { code: 'validation_failed', message: 'Give the passkey a name.' });
            }
          }
        }
        if (secondFactorOf(ctx.path) && (ctx.body as { trustDevice?: unknown } | undefined)?.trustDevice) {
          // Every sign-in asks for the second factor: no device is remembered.
          throw new APIError('BAD_REQUEST', {
            code: 'trust_device_not_offered',
            message: 'Token Desk asks for the second factor at every sign-in.',
          });
        }
        if (ctx.path === '/sign-in/email') {
          const email = attemptedEmail(ctx.body);
          const retryAfter = await signInLockedFor(db, email, ctx.headers ? clientIpOf(ctx.headers) : null);
          if (retryAfter > 0) {
            await recordAudit({
              action: 'auth.sign_in_failed',
              outcome: 'failure',
              actor: { email: email || null, method: 'password' },
              request: ctx.headers ? auditRequestContext(ctx.headers) : undefined,
              errorCode: 'rate_limited',
            });
            throw new APIError(
              'TOO_MANY_REQUESTS',
              {
                code: 'too_many_attempts',
                message: `Too many failed sign-ins for this account from here. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
              },
              { 'Retry-After': String(retryAfter) },
            );
          }
        }
        if (ctx.path === '/sign-out') {
          const current = await getSessionFromCtx(ctx, { disableCookieCache: true, disableRefresh: true }).catch(
            () => null,
          );
          if (current) {
            const user = current.user as { id: string; email: string; role?: string };
            const session = current.session as { signInMethod?: string };
            await recordAudit({
              action: 'auth.sign_out',
              outcome: 'success',
              actor: {
                id: user.id,
                email: user.email,
                role: roleSchema.safeParse(user.role).data,
                method: session.signInMethod === 'oidc' ? 'oidc' : 'password',
              },
              request: ctx.headers ? auditRequestContext(ctx.headers) : undefined,
            });
          }
        }
      }),
      after: createAuthMiddleware(async (ctx) => {
        const returned = ctx.context.returned;
        if (ctx.path === '/sign-in/email') {
          const email = attemptedEmail(ctx.body);
          const address = ctx.headers ? clientIpOf(ctx.headers) : null;
          if (isAPIError(returned)) {
            if (returned.statusCode === 429) return; // Counted and recorded by the before hook.
            // The right password for someone who signs in with a passkey: refused, but not a guess.
            if (returned.body?.code !== 'passkey_required') await countSignInFailure(db, email, address);
            await recordAudit({
              action: 'auth.sign_in_failed',
              outcome: 'failure',
              actor: { email: email || null, method: 'password' },
              request: ctx.headers ? auditRequestContext(ctx.headers) : undefined,
              errorCode:
                typeof returned.body?.code === 'string'
                  ? returned.body.code.toLowerCase()
                  : String(returned.statusCode),
            });
          } else {
            await clearSignInFailures(db, email, address);
          }
        }
        if (secondFactorOf(ctx.path) && isAPIError(returned) && !(await signedInAlready(ctx))) {
          await recordAudit({
            action: 'auth.sign_in_failed',
            outcome: 'failure',
            actor: { method: 'password' },
            request: ctx.headers ? auditRequestContext(ctx.headers) : undefined,
            errorCode:
              typeof returned.body?.code === 'string' ? returned.body.code.toLowerCase() : String(returned.statusCode),
            details: { secondFactor: secondFactorOf(ctx.path) },
          });
        }
        if (ctx.path === '/passkey/verify-registration' && !isAPIError(returned)) {
          const current = await getSessionFromCtx(ctx, { disableCookieCache: true, disableRefresh: true });
          const user = current?.user as { id: string; email: string; role?: string } | undefined;
          const added = returned as { id?: string; name?: string } | undefined;
          await recordAudit({
            action: 'auth.passkey_add',
            outcome: 'success',
            actor: {
              id: user?.id,
              email: user?.email,
              role: roleSchema.safeParse(user?.role).data,
              method: 'password',
            },
            request: ctx.headers ? auditRequestContext(ctx.headers) : undefined,
            details: { passkeyId: added?.id, name: added?.name },
          });
        }
        if (ctx.path === PASSKEY_SIGN_IN_PATH && isAPIError(returned)) {
          await recordAudit({
            action: 'auth.sign_in_failed',
            outcome: 'failure',
            actor: { method: 'password' },
            request: ctx.headers ? auditRequestContext(ctx.headers) : undefined,
            errorCode:
              typeof returned.body?.code === 'string' ? returned.body.code.toLowerCase() : String(returned.statusCode),
            details: { passkey: true },
          });
        }
        if (isOidcCallback(ctx.path) && isAPIError(returned)) {
          // The callback answers with a redirect; one that carries ?error= is a refused sign-in.
          const location = new Headers(returned.headers).get('location') ?? '';
          const error = location ? new URL(location, 'http://local').searchParams.get('error') : null;
          if (error) {
            await recordAudit({
              action: 'auth.sign_in_failed',
              outcome: 'failure',
              actor: { method: 'oidc' },
              request: ctx.headers ? auditRequestContext(ctx.headers) : undefined,
              errorCode: error.slice(0, 100),
            });
          }
        }
      }),
    },
    plugins: [
      // TOTP with recovery codes for password accounts (server/auth/mfa.ts); SSO people use their
      // provider's own second factor.
      twoFactor({
        issuer: 'Token Desk',
        // Enrolment is confirmed with a first code before the factor counts.
        skipVerificationOnEnable: false,
        backupCodeOptions: { amount: 10, length: 10, storeBackupCodes: 'encrypted' },
      }),
      // Passkeys for password accounts (server/auth/passkeys.ts): bound to the app's origin, always
      // discoverable and user-verified, so a passkey sign-in is complete on its own.
      passkey({
        rpName: 'Token Desk',
        ...passkeyRelyingParty(),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
        authentication: {
          afterVerification: async ({ verification }) => {
            if (!verification.authenticationInfo.userVerified) {
              throw new APIError('UNAUTHORIZED', {
                code: 'user_verification_required',
                message: 'The passkey must check it is you (PIN or biometrics).',
              });
            }
          },
        },
      }),
      ...(oidc
        ? [
            genericOAuth({
              config: [
                {
                  providerId: OIDC_PROVIDER_ID,
                  name: oidc.displayName,
                  discoveryUrl: `${oidc.issuer}/.well-known/openid-configuration`,
                  requireIdTokenVerification: true,
                  clientId: oidc.clientId,
                  clientSecret: oidc.clientSecret,
                  scopes: oidc.scopes,
                  pkce: true,
                  // The provider must authenticate the person again (no silent reuse of its own
                  // session): a single sign-on is then a fresh proof that opens the step-up window.
                  prompt: 'login',
                  // Decides the role from the provider's claims; the user and session hooks below
                  // apply it, or refuse the sign-in when no rule gives a role.
                  mapProfileToUser: (profile) => {
                    const email = typeof profile.email === 'string' ? profile.email.toLowerCase() : undefined;
                    const role = email ? oidcRoleFor(profile, email, oidc) : null;
                    if (email && role)
                      pendingOidcRoles.set(email, {
                        role,
                        scope: oidcScopeFor(profile, oidc),
                        until: Date.now() + 60_000,
                      });
                    else if (email) pendingOidcRoles.delete(email);
                    return {};
                  },
                },
              ],
            }),
          ]
        : []),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const globalKey = Symbol.for('token-desk.auth');
type GlobalWithAuth = typeof globalThis & { [globalKey]?: Promise<Auth> };

/** The process-wide Better Auth instance over the app database. */
export function getAuth(): Promise<Auth> {
  const store = globalThis as GlobalWithAuth;
  store[globalKey] ??= getDb()
    .then(async (db) => {
      await reconcileDemoAccountsOnce(db, config.demo);
      return createAuth(db);
    })
    .catch((error: unknown) => {
      delete store[globalKey];
      throw error;
    });
  return store[globalKey];
}
