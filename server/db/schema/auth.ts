import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Staff accounts and their sessions, in the shape Better Auth's drizzle adapter expects
 * (property names are Better Auth's field names; columns are snake_case).
 */
export const authUser = pgTable('auth_user', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  /** viewer | support | admin (lib/roles.ts); checked on every request, never cached in the cookie. */
  role: text('role').notNull().default('viewer'),
  /** A disabled account cannot sign in and its sessions stop working at once. */
  disabled: boolean('disabled').notNull().default(false),
  /** Seeded by demo mode with the published password: disabled whenever demo mode is off. */
  demo: boolean('demo').notNull().default(false),
  /** Better Auth's two-factor plugin: a verified TOTP factor is enrolled (server/auth/mfa.ts). */
  twoFactorEnabled: boolean('two_factor_enabled').notNull().default(false),
  /** The language the person chose with the switcher (en | ja), on every device; null: Accept-Language. */
  locale: text('locale'),
  /** The IANA time zone the person chose for dates and times; null: the browser's own zone. */
  timeZone: text('time_zone'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const authSession = pgTable(
  'auth_session',
  {
    id: text('id').primaryKey(),
    /** Absolute end of the session (Better Auth's expiresAt; never extended). */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    token: text('token').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => authUser.id, { onDelete: 'cascade' }),
    /** How the person signed in: password | oidc. */
    signInMethod: text('sign_in_method').notNull().default('password'),
    /** Last request seen on this session; the idle timeout counts from here. */
    lastActiveAt: timestamp('last_active_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * When the person last proved it is them on this session (sign-in, second factor, or password
     * again): dangerous actions need it within STEP_UP_WINDOW_SECONDS (server/auth/step-up.ts).
     */
    verifiedAt: timestamp('verified_at', { withTimezone: true }).notNull().defaultNow(),
    /** Wrong step-up proofs in a row on this session; at STEP_UP_MAX_FAILURES the session ends. */
    stepUpFailures: integer('step_up_failures').notNull().default(0),
  },
  (table) => [index('auth_session_user_id_idx').on(table.userId)],
);

export const authAccount = pgTable(
  'auth_account',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => authUser.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenExpiresAt: timestamp('refresh_token_expires_at', { withTimezone: true }),
    scope: text('scope'),
    password: text('password'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('auth_account_user_id_idx').on(table.userId)],
);

export const authVerification = pgTable(
  'auth_verification',
  {
    id: text('id').primaryKey(),
    identifier: text('identifier').notNull(),
    value: text('value').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('auth_verification_identifier_idx').on(table.identifier)],
);

/**
 * A person's TOTP factor and recovery codes (Better Auth's two-factor plugin; the secret and the
 * codes are encrypted with the auth secret). `verified` is false until the first code is entered.
 */
export const authTwoFactor = pgTable(
  'auth_two_factor',
  {
    id: text('id').primaryKey(),
    secret: text('secret').notNull(),
    backupCodes: text('backup_codes').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => authUser.id, { onDelete: 'cascade' }),
    verified: boolean('verified').notNull().default(true),
    failedVerificationCount: integer('failed_verification_count').notNull().default(0),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  (table) => [
    index('auth_two_factor_user_id_idx').on(table.userId),
    index('auth_two_factor_secret_idx').on(table.secret),
  ],
);

/** Sign-in rate limit counters, shared by every instance of the app. */
export const authRateLimit = pgTable('auth_rate_limit', {
  id: text('id').primaryKey(),
  key: text('key').notNull().unique(),
  count: integer('count').notNull(),
  lastRequest: bigint('last_request', { mode: 'number' }).notNull(),
});

/**
 * Failed password sign-ins per account and client address (`scope` = the address), and per account
 * across all addresses (`scope` = `*`, a slower limit), so one address cannot lock a person out
 * everywhere and many addresses cannot guess freely (server/auth/sign-in-lockout.ts).
 */
export const signInFailure = pgTable(
  'sign_in_failure',
  {
    email: text('email').notNull(),
    scope: text('scope').notNull().default('*'),
    count: integer('count').notNull(),
    windowStartedAt: bigint('window_started_at', { mode: 'number' }).notNull(),
    lastFailureAt: bigint('last_failure_at', { mode: 'number' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.email, table.scope] })],
);

/**
 * A person's passkeys (Better Auth's passkey plugin): WebAuthn credentials bound to the app's origin.
 * Each is a full sign-in on its own and a second factor for MFA_REQUIRED_ROLES (server/auth/passkeys.ts).
 */
export const authPasskey = pgTable(
  'auth_passkey',
  {
    id: text('id').primaryKey(),
    name: text('name'),
    /** The credential's public key (base64 COSE); the private key never leaves the authenticator. */
    publicKey: text('public_key').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => authUser.id, { onDelete: 'cascade' }),
    credentialID: text('credential_id').notNull().unique(),
    counter: integer('counter').notNull(),
    deviceType: text('device_type').notNull(),
    backedUp: boolean('backed_up').notNull(),
    transports: text('transports'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    aaguid: text('aaguid'),
  },
  (table) => [index('auth_passkey_user_id_idx').on(table.userId)],
);
