import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const encryptionKey = z
  .string()
  .refine(
    (value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, 'base64').length === 32,
    '32 random bytes in base64 (openssl rand -base64 32)',
  );

const trustedProxyEntry = z.union([z.ipv4(), z.ipv6(), z.cidrv4(), z.cidrv6()]);

/** Every environment variable the server reads, with what it expects. */
export const environmentSchema = z.object({
  AUTHLETE_BASE_URL: optionalString.pipe(
    z.url({ protocol: /^https?$/, error: 'an http(s) URL such as https://us.authlete.com' }).optional(),
  ),
  AUTHLETE_SERVICE_ID: optionalString.pipe(
    z
      .string()
      .regex(/^\d{1,20}$/, 'the numeric service id shown in the Authlete console')
      .optional(),
  ),
  AUTHLETE_SERVICE_ACCESS_TOKEN: optionalString.pipe(
    z.string().min(16, "the service's access token (at least 16 characters)").optional(),
  ),
  // Several services: a JSON array (server/config/services.ts), inline or in a file; not with the three above.
  AUTHLETE_SERVICES: optionalString,
  AUTHLETE_SERVICES_FILE: optionalString,
  AUTHLETE_TIMEOUT_MS: z.coerce
    .number({ error: 'a whole number of milliseconds' })
    .int('a whole number of milliseconds')
    .min(100, 'at least 100 milliseconds')
    .max(120_000, 'at most 120000 milliseconds')
    .default(5_000),
  DATABASE_URL: optionalString.pipe(
    z.url({ protocol: /^postgres(ql)?$/, error: 'a postgres:// connection URL' }).optional(),
  ),
  // Connections each instance keeps to DATABASE_URL (1 on Vercel, where an instance serves one request at a time).
  DATABASE_POOL_SIZE: z.coerce
    .number({ error: 'a whole number of connections' })
    .int('a whole number of connections')
    .min(1, 'at least 1 connection')
    .max(100, 'at most 100 connections')
    .optional(),
  DATA_DIR: z.string().trim().min(1).default('.data'),
  EMULATOR_PORT: z.coerce.number({ error: 'a TCP port number' }).int().min(1).max(65535).default(4010),
  BETTER_AUTH_SECRET: optionalString.pipe(
    z.string().min(32, 'a random string of at least 32 characters (openssl rand -base64 32)').optional(),
  ),
  APP_URL: optionalString.pipe(
    z.url({ error: 'the public URL of the dashboard, e.g. https://desk.example.com' }).optional(),
  ),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Staff sessions (server/auth).
  SESSION_IDLE_MINUTES: z.coerce
    .number({ error: 'a whole number of minutes' })
    .int('a whole number of minutes')
    .min(1, 'at least 1 minute')
    .max(24 * 60, 'at most 1440 minutes (a day)')
    .default(120),
  SESSION_MAX_HOURS: z.coerce
    .number({ error: 'a whole number of hours' })
    .int('a whole number of hours')
    .min(1, 'at least 1 hour')
    .max(24 * 30, 'at most 720 hours (30 days)')
    .default(24),
  SIGN_IN_RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ error: 'a whole number of attempts' })
    .int('a whole number of attempts')
    .min(1, 'at least 1 attempt')
    .max(10_000, 'at most 10000 attempts')
    .default(10),
  // Authlete revoke calls one revocation job makes at a time.
  REVOKE_JOB_CONCURRENCY: z.coerce
    .number({ error: 'a whole number of calls' })
    .int('a whole number of calls')
    .min(1, 'at least 1 call')
    .max(64, 'at most 64 calls')
    .default(8),
  // Changes (POST/PATCH/DELETE through the route wrapper) per signed-in person per minute.
  MUTATION_RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ error: 'a whole number of requests' })
    .int('a whole number of requests')
    .min(1, 'at least 1 request')
    .max(100_000, 'at most 100000 requests')
    // Ten a second: far above what a person clicks, and enough for bulk issue's chunked calls.
    .default(600),
  // Reads (GET through the route wrapper) per signed-in person per minute: a page load is a few, so
  // the default only stops scripts and runaway tabs, each read being one or more Authlete calls.
  READ_RATE_LIMIT_PER_MINUTE: z.coerce
    .number({ error: 'a whole number of requests' })
    .int('a whole number of requests')
    .min(1, 'at least 1 request')
    .max(100_000, 'at most 100000 requests')
    .default(1200),
  // Where the client's address comes from (per-address sign-in limits, the audit log): the header
  // the platform or proxy sets, and the proxies that append to it.
  CLIENT_IP_HEADER: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name such as x-forwarded-for or cf-connecting-ip')
      .optional(),
  ),
  TRUSTED_PROXIES: optionalString.pipe(
    z
      .string()
      .refine(
        (list) =>
          list
            .split(/[\s,]+/)
            .filter(Boolean)
            .every((entry) => trustedProxyEntry.safeParse(entry).success),
        'a comma-separated list of proxy addresses or CIDR ranges, e.g. 10.0.0.0/8,2001:db8::/32',
      )
      .optional(),
  ),
  // Webhook receivers on addresses the SSRF guard refuses (a receiver on the installation's own
  // network, a test receiver on 127.0.0.1): CIDR ranges, and whether plain http is allowed.
  WEBHOOK_ALLOWED_RANGES: optionalString.pipe(
    z
      .string()
      .refine(
        (list) =>
          list
            .split(/[\s,]+/)
            .filter(Boolean)
            .every((entry) => trustedProxyEntry.safeParse(entry).success),
        'a comma-separated list of addresses or CIDR ranges, e.g. 10.20.0.0/16',
      )
      .optional(),
  ),
  WEBHOOK_ALLOW_HTTP: z.stringbool().default(false),
  // The first retry's delay; each next one doubles it (with jitter). Short only for tests and benches.
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(60_000),
  // Where the audit log is streamed: a JSON array of HTTP and syslog sinks (server/config/audit-sinks.ts).
  AUDIT_SINKS: optionalString,
  // Bearer the job cron route (app/api/cron/jobs) expects; Vercel sends it with each cron call.
  CRON_SECRET: optionalString.pipe(z.string().min(16, 'at least 16 characters').optional()),
  // Optional Redis for rate-limit counters; without it they live in the app database.
  REDIS_URL: optionalString.pipe(z.url({ protocol: /^rediss?$/, error: 'a redis:// or rediss:// URL' }).optional()),
  // Single sign-on with any OpenID Connect provider; off unless OIDC_ISSUER is set.
  OIDC_ISSUER: optionalString.pipe(
    z.url({ error: "the provider's issuer URL, e.g. https://login.example.com" }).optional(),
  ),
  OIDC_CLIENT_ID: optionalString,
  OIDC_CLIENT_SECRET: optionalString,
  OIDC_DISPLAY_NAME: optionalString,
  OIDC_SCOPES: optionalString,
  OIDC_ROLE_CLAIM: optionalString,
  OIDC_ROLE_MAP: optionalString.pipe(
    z
      .string()
      .regex(
        /^\s*[^=,]+=\s*(viewer|support|lead|admin)\s*(,\s*[^=,]+=\s*(viewer|support|lead|admin)\s*)*$/,
        'a comma-separated list of claim-value=role pairs, e.g. desk-admins=admin,helpdesk=support',
      )
      .optional(),
  ),
  OIDC_CLIENT_MAP: optionalString.pipe(
    z
      .string()
      .regex(
        /^\s*[^=,]+=\s*(\*|[1-9][0-9]*(\s*\|\s*[1-9][0-9]*)*)\s*(,\s*[^=,]+=\s*(\*|[1-9][0-9]*(\s*\|\s*[1-9][0-9]*)*)\s*)*$/,
        'a comma-separated list of claim-value=client ids (separated by |, or * for all clients), e.g. helpdesk-retail=26888344961664|3221225473,desk-admins=*',
      )
      .optional(),
  ),
  OIDC_ADMIN_EMAILS: optionalString,
  OIDC_SUPPORT_EMAILS: optionalString,
  OIDC_VIEWER_EMAILS: optionalString,
  OIDC_DEFAULT_ROLE: optionalString.pipe(
    z
      .enum(['none', 'viewer', 'support', 'lead', 'admin'], { error: 'none, viewer, support, lead or admin' })
      .optional(),
  ),
  // Second factor, step-up and four-eyes (server/auth/mfa.ts, server/approvals).
  MFA_REQUIRED_ROLES: optionalString.pipe(
    z
      .string()
      .regex(
        /^\s*(none|((viewer|support|admin)\s*(,\s*(viewer|support|admin)\s*)*))$/,
        'none, or a comma-separated list of roles, e.g. admin,support',
      )
      .optional(),
  ),
  STEP_UP_WINDOW_SECONDS: z.coerce
    .number({ error: 'a whole number of seconds' })
    .int('a whole number of seconds')
    .min(30, 'at least 30 seconds')
    .max(3600, 'at most 3600 seconds (an hour)')
    .default(300),
  APPROVAL_BULK_ISSUE_OVER: z.coerce
    .number({ error: 'a whole number of tokens' })
    .int('a whole number of tokens')
    .min(0, 'at least 0')
    .default(1000),
  APPROVAL_REVOKE_ALL_CLIENT: z
    .enum(['true', 'false'], { error: 'true or false' })
    .default('true')
    .transform((value) => value === 'true'),
  APPROVAL_OFFBOARDING_OVER: z.coerce
    .number({ error: 'a whole number of tokens' })
    .int('a whole number of tokens')
    .min(0, 'at least 0')
    .default(100),
  APPROVAL_EXPIRY_HOURS: z.coerce
    .number({ error: 'a whole number of hours' })
    .int('a whole number of hours')
    .min(1, 'at least 1 hour')
    .max(24 * 7, 'at most 168 hours (a week)')
    .default(24),
  // Key-encryption keys of services stored in the app (server/core/seal.ts envelopes): 32 random
  // bytes in base64. The previous one is read during a rotation until every data key is re-wrapped.
  ENCRYPTION_KEY: optionalString.pipe(encryptionKey.optional()),
  ENCRYPTION_KEY_PREVIOUS: optionalString.pipe(encryptionKey.optional()),
  VERCEL: optionalString,
});

export type Environment = z.infer<typeof environmentSchema>;

const authleteKeys = ['AUTHLETE_BASE_URL', 'AUTHLETE_SERVICE_ID', 'AUTHLETE_SERVICE_ACCESS_TOKEN'] as const;

/** The variables the three AUTHLETE_* must be given together; a partial set is a mistake. */
export function missingAuthleteVariables(env: Environment): string[] {
  const given = authleteKeys.filter((key) => env[key] !== undefined);
  if (given.length === 0 || given.length === authleteKeys.length) return [];
  return authleteKeys.filter((key) => env[key] === undefined);
}
