import type { Role } from '../../lib/roles';
import type { ApprovalPolicy } from '../../lib/schemas/approval';
import { AuditSinksConfigError, parseAuditSinks, type AuditSinkConfig } from './audit-sinks';
import { environmentSchema, missingAuthleteVariables, type Environment } from './schema';
import {
  demoServices,
  parseServices,
  readServicesFile,
  ServicesConfigError,
  SINGLE_SERVICE_SLUG,
  type ServiceTarget,
} from './services';

export interface Config {
  /** True when no AUTHLETE_* variable is set and the app talks to the local emulator. */
  demo: boolean;
  /** The services in their configured order (the first is the default), and the upstream timeout. */
  authlete: { services: ServiceTarget[]; timeoutMs: number };
  databaseUrl: string | undefined;
  /** PostgreSQL connections per instance (DATABASE_POOL_SIZE); server/db picks when unset. */
  databasePoolSize: number | undefined;
  dataDir: string;
  authSecret: string | undefined;
  appUrl: string | undefined;
  production: boolean;
  vercel: boolean;
  /** Bearer secret of the job cron route (CRON_SECRET); the route is closed without it. */
  cronSecret: string | undefined;
  /** Staff sign-in: session timeouts, sign-in rate limit, optional OIDC single sign-on. */
  auth: AuthConfig;
  /** Second factor, step-up and four-eyes approval policy. */
  security: SecurityConfig;
  /** Where a request's client address is read from (see `server/core/client-ip.ts`). */
  clientIp: ClientIpConfig;
  /** Limits on changes per person, counted in Redis when `redisUrl` is set, else in the database. */
  rateLimit: { mutationsPerMinute: number; readsPerMinute: number; redisUrl: string | undefined };
  /** Authlete calls in flight per revocation job. */
  revokeJobConcurrency: number;
  /**
   * Key-encryption keys for services stored in the app (ENCRYPTION_KEY, ENCRYPTION_KEY_PREVIOUS);
   * undefined: services come from the environment only.
   */
  encryption: { current: string; previous: string | undefined } | undefined;
  /** Webhook delivery (server/webhooks): ranges the SSRF guard lets through, plain http, the first retry delay. */
  webhooks: { allowedRanges: string[]; allowHttp: boolean; retryBaseMs: number };
  /** Where every audit record is streamed as well (AUDIT_SINKS; server/jobs/audit-sinks). */
  auditSinks: AuditSinkConfig[];
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  displayName: string;
  scopes: string[];
  /** Claim whose value(s) name a role ("admin") or a value in `roleMap`. */
  roleClaim: string | undefined;
  roleMap: Record<string, Role>;
  /**
   * Claim value (of `roleClaim`) → the client ids it gives (`*` = all clients). Empty: everyone
   * has all clients. Otherwise a person's clients are the union over their matching values.
   */
  clientMap: Record<string, string[] | '*'>;
  adminEmails: string[];
  supportEmails: string[];
  viewerEmails: string[];
  /** Role for a person no rule matches; null refuses them. */
  defaultRole: Role | null;
}

export interface ClientIpConfig {
  /**
   * Lower-case name of the header holding the client's address; undefined = the TCP peer's address.
   * CLIENT_IP_HEADER; else `x-forwarded-for` when TRUSTED_PROXIES is set, `x-vercel-forwarded-for` on Vercel.
   */
  header: string | undefined;
  /** Proxies (addresses or CIDR ranges) whose hops are skipped from the right of a forwarded chain. */
  trustedProxies: string[];
  /** The header is the hosting platform's own (Vercel), which no client can set. */
  platform: boolean;
}

export interface AuthConfig {
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  signInRateLimitPerMinute: number;
  oidc: OidcConfig | undefined;
}

export interface SecurityConfig {
  /** Roles that must enrol a second factor before anything else (MFA_REQUIRED_ROLES; demo: none). */
  mfaRequiredRoles: Role[];
  /** How long a re-verification lets dangerous actions through (STEP_UP_WINDOW_SECONDS). */
  stepUpWindowSeconds: number;
  /** Which actions need a second person (server/approvals/policy.ts). */
  approvals: ApprovalPolicy;
}

/** Thrown with one line that names the variable and what it expects. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(source: Record<string, string | undefined>): Config {
  const parsed = environmentSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${variable} must be ${issue?.message ?? 'valid'}.`);
  }
  const env = parsed.data;
  const missing = missingAuthleteVariables(env);
  if (missing.length > 0) {
    throw new ConfigError(
      `Invalid configuration: ${missing.join(', ')} must be set too (set all three AUTHLETE_* variables, or none for the demo emulator).`,
    );
  }
  const services = configuredServices(env);
  const demo = services === undefined;
  const production = env.NODE_ENV === 'production';
  if (env.VERCEL && !env.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration: DATABASE_URL must be set on Vercel (its disk is ephemeral; use Neon or Vercel Postgres).',
    );
  }
  if (env.VERCEL && demo) {
    // The emulator is not deployed there, and demo mode would seed accounts with a public password.
    throw new ConfigError(
      'Invalid configuration: AUTHLETE_SERVICES (or AUTHLETE_SERVICES_FILE, or AUTHLETE_BASE_URL, AUTHLETE_SERVICE_ID and AUTHLETE_SERVICE_ACCESS_TOKEN) must be set on Vercel (there is no demo emulator there).',
    );
  }
  if (env.ENCRYPTION_KEY_PREVIOUS && !env.ENCRYPTION_KEY) {
    throw new ConfigError(
      'Invalid configuration: ENCRYPTION_KEY must be set too (ENCRYPTION_KEY_PREVIOUS is only read while rotating to a new ENCRYPTION_KEY).',
    );
  }
  if ((env.OIDC_CLIENT_ID || env.OIDC_CLIENT_SECRET) && !env.OIDC_ISSUER) {
    throw new ConfigError(
      'Invalid configuration: OIDC_ISSUER must be set too (OIDC_CLIENT_ID/OIDC_CLIENT_SECRET are only used with it).',
    );
  }
  if (env.OIDC_ISSUER && (!env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET)) {
    throw new ConfigError(
      'Invalid configuration: OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set too (the client registered for Token Desk at OIDC_ISSUER).',
    );
  }
  let auditSinks: AuditSinkConfig[];
  try {
    auditSinks = parseAuditSinks(env.AUDIT_SINKS);
  } catch (error) {
    if (error instanceof AuditSinksConfigError) throw new ConfigError(error.message);
    throw error;
  }
  return {
    demo,
    authlete: { services: services ?? demoServices(env.EMULATOR_PORT), timeoutMs: env.AUTHLETE_TIMEOUT_MS },
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    dataDir: env.DATA_DIR,
    authSecret: env.BETTER_AUTH_SECRET,
    appUrl: env.APP_URL,
    production,
    vercel: Boolean(env.VERCEL),
    cronSecret: env.CRON_SECRET,
    clientIp: clientIpConfig(env),
    revokeJobConcurrency: env.REVOKE_JOB_CONCURRENCY,
    encryption: env.ENCRYPTION_KEY
      ? {
          current: env.ENCRYPTION_KEY,
          previous: env.ENCRYPTION_KEY_PREVIOUS,
        }
      : undefined,
    webhooks: {
      allowedRanges: splitList(env.WEBHOOK_ALLOWED_RANGES ?? '', /[\s,]+/),
      allowHttp: env.WEBHOOK_ALLOW_HTTP,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
    },
    auditSinks,
    rateLimit: {
      mutationsPerMinute: env.MUTATION_RATE_LIMIT_PER_MINUTE,
      readsPerMinute: env.READ_RATE_LIMIT_PER_MINUTE,
      redisUrl: env.REDIS_URL,
    },
    security: {
      mfaRequiredRoles: mfaRequiredRoles(env.MFA_REQUIRED_ROLES, demo),
      stepUpWindowSeconds: env.STEP_UP_WINDOW_SECONDS,
      approvals: {
        bulkIssueOver: env.APPROVAL_BULK_ISSUE_OVER,
        revokeAllForClient: env.APPROVAL_REVOKE_ALL_CLIENT,
        offboardingOver: env.APPROVAL_OFFBOARDING_OVER,
        expiryHours: env.APPROVAL_EXPIRY_HOURS,
      },
    },
    auth: {
      sessionIdleMinutes: env.SESSION_IDLE_MINUTES,
      sessionMaxHours: env.SESSION_MAX_HOURS,
      signInRateLimitPerMinute: env.SIGN_IN_RATE_LIMIT_PER_MINUTE,
      oidc:
        env.OIDC_ISSUER && env.OIDC_CLIENT_ID && env.OIDC_CLIENT_SECRET
          ? {
              issuer: env.OIDC_ISSUER.replace(/\/+$/, ''),
              clientId: env.OIDC_CLIENT_ID,
              clientSecret: env.OIDC_CLIENT_SECRET,
              displayName: env.OIDC_DISPLAY_NAME ?? 'single sign-on',
              scopes: splitList(env.OIDC_SCOPES ?? 'openid email profile', /[\s,]+/),
              roleClaim: env.OIDC_ROLE_CLAIM,
              roleMap: Object.fromEntries(
                splitList(env.OIDC_ROLE_MAP ?? '', ',').map((pair) => {
                  const [value = '', role = ''] = pair.split('=').map((part) => part.trim());
                  return [value, role as Role];
                }),
              ),
              clientMap: Object.fromEntries(
                splitList(env.OIDC_CLIENT_MAP ?? '', ',').map((pair) => {
                  const [value = '', clients = ''] = pair.split('=').map((part) => part.trim());
                  return [value, clients === '*' ? '*' : splitList(clients, '|')] as const;
                }),
              ),
              adminEmails: splitList(env.OIDC_ADMIN_EMAILS ?? '', ',').map((email) => email.toLowerCase()),
              supportEmails: splitList(env.OIDC_SUPPORT_EMAILS ?? '', ',').map((email) => email.toLowerCase()),
              viewerEmails: splitList(env.OIDC_VIEWER_EMAILS ?? '', ',').map((email) => email.toLowerCase()),
              defaultRole: !env.OIDC_DEFAULT_ROLE || env.OIDC_DEFAULT_ROLE === 'none' ? null : env.OIDC_DEFAULT_ROLE,
            }
          : undefined,
    },
  };
}

/** The configured services, or undefined for the demo emulator (no AUTHLETE_* variable set). */
function configuredServices(env: Environment): ServiceTarget[] | undefined {
  const single = env.AUTHLETE_BASE_URL !== undefined;
  const sources = [
    env.AUTHLETE_SERVICES !== undefined && 'AUTHLETE_SERVICES',
    env.AUTHLETE_SERVICES_FILE !== undefined && 'AUTHLETE_SERVICES_FILE',
    single && 'AUTHLETE_BASE_URL',
  ].filter(Boolean);
  if (sources.length > 1)
    throw new ConfigError(
      `Invalid configuration: ${sources.join(' and ')} must not be set together (list every service in AUTHLETE_SERVICES or AUTHLETE_SERVICES_FILE, or use the three single-service AUTHLETE_* variables).`,
    );
  try {
    if (env.AUTHLETE_SERVICES !== undefined) return parseServices(env.AUTHLETE_SERVICES, 'AUTHLETE_SERVICES');
    if (env.AUTHLETE_SERVICES_FILE !== undefined) return readServicesFile(env.AUTHLETE_SERVICES_FILE);
  } catch (error) {
    if (error instanceof ServicesConfigError) throw new ConfigError(error.message);
    throw error;
  }
  if (!env.AUTHLETE_BASE_URL || !env.AUTHLETE_SERVICE_ID || !env.AUTHLETE_SERVICE_ACCESS_TOKEN) return undefined;
  return [
    {
      slug: SINGLE_SERVICE_SLUG,
      name: 'Authlete',
      environment: 'production',
      apiVersion: 3,
      baseUrl: env.AUTHLETE_BASE_URL.replace(/\/+$/, ''),
      serviceId: env.AUTHLETE_SERVICE_ID,
      accessToken: env.AUTHLETE_SERVICE_ACCESS_TOKEN,
    },
  ];
}

function clientIpConfig(env: Environment): ClientIpConfig {
  const trustedProxies = splitList(env.TRUSTED_PROXIES ?? '', /[\s,]+/);
  if (env.CLIENT_IP_HEADER) return { header: env.CLIENT_IP_HEADER.toLowerCase(), trustedProxies, platform: false };
  if (trustedProxies.length > 0) return { header: 'x-forwarded-for', trustedProxies, platform: false };
  // Vercel's edge sets this from the connection and overwrites what a client sent.
  if (env.VERCEL) return { header: 'x-vercel-forwarded-for', trustedProxies, platform: true };
  return { header: undefined, trustedProxies, platform: false };
}

/** MFA_REQUIRED_ROLES: unset means admin, except in demo mode where it means none (the demo stays simple). */
function mfaRequiredRoles(value: string | undefined, demo: boolean): Role[] {
  if (value === undefined) return demo ? [] : ['admin'];
  if (value.trim() === 'none') return [];
  return [...new Set(splitList(value, ',') as Role[])];
}

function splitList(value: string, separator: string | RegExp): string[] {
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
