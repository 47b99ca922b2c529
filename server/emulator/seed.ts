import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  DEMO_SERVICE_ACCESS_TOKEN,
  DEMO_SERVICE_ID,
  DEMO_SERVICE_NAME,
  LEGACY_SERVICE_API_KEY,
  LEGACY_SERVICE_API_SECRET,
  STAGING_SERVICE_ACCESS_TOKEN,
  STAGING_SERVICE_ID,
} from '../config/demo';
import { PERSISTENT_EXPIRES_AT, type Db, rebuildTokenBlocks } from './db';
import { GRANT_TYPES, type GrantType, type Property, type Scope, tokenHash } from './model';
import { recordGrants } from './grants';
import { type NewToken, grantOf, insertTokens } from './tokens';

/**
 * Deterministic demo data: the demo service (id/token from server/config/demo.ts), a second
 * "sandbox" service (so tests can check that a token only opens its own service), a dozen clients
 * with aliases (some ids above 2^32, one above 2^53) and tokens across hundreds of subjects.
 * The same `randomSeed` and `now` give the same rows; token values are never stored, so seeded
 * tokens are known by hash only.
 */

export const SANDBOX_SERVICE_ID = '3305872915';
export const SANDBOX_SERVICE_ACCESS_TOKEN = 'sandbox-service-access-token-not-a-secret';
/**
 * The demo organization: its access token stands for a 3.x organization token on
 * `GET /api/service/get/list`, which lists the organization's 3.x services (the demo service, the
 * sandbox and the services seeded with `organization: true`, such as staging).
 */
export const DEMO_ORGANIZATION_ID = '78120';
export const DEMO_ORGANIZATION_NAME = 'Token Desk Demo Organization';
export const DEMO_ORGANIZATION_ACCESS_TOKEN = 'demo-organization-token-not-a-secret';
// The demo's staging (3.x) and Authlete 2.x services: the dashboard's demo configuration names them too.
export {
  LEGACY_SERVICE_API_KEY,
  LEGACY_SERVICE_API_SECRET,
  STAGING_SERVICE_ACCESS_TOKEN,
  STAGING_SERVICE_ID,
} from '../config/demo';
export const DEFAULT_DEMO_TOKENS = 3000;
export const DEFAULT_RANDOM_SEED = 20240611;

const DAY = 86_400_000;

export const DEMO_SCOPES: Scope[] = [
  { name: 'openid', description: 'Sign the user in with OpenID Connect.', defaultEntry: true },
  { name: 'profile', description: "Read the user's name, picture and locale." },
  { name: 'email', description: "Read the user's email address." },
  { name: 'address', description: "Read the user's postal address." },
  { name: 'phone', description: "Read the user's phone number." },
  { name: 'offline_access', description: 'Keep access while the user is away (refresh tokens).' },
  { name: 'payments.read', description: 'List payments and their status.' },
  { name: 'payments.write', description: 'Initiate and cancel payments.' },
  { name: 'accounts.read', description: 'Read account balances and details.' },
  { name: 'transactions.read', description: 'Read transaction history.' },
  { name: 'invoices.read', description: 'Read invoices.' },
  { name: 'invoices.write', description: 'Create and update invoices.' },
  {
    name: 'admin.audit',
    description: 'Read the audit trail (staff tools only).',
    attributes: [{ key: 'risk', value: 'high' }],
  },
];

const GRANT_TYPES_SUPPORTED: GrantType[] = [
  'AUTHORIZATION_CODE',
  'REFRESH_TOKEN',
  'CLIENT_CREDENTIALS',
  'PASSWORD',
  'DEVICE_CODE',
  'CIBA',
  'TOKEN_EXCHANGE',
  'JWT_BEARER',
  'IMPLICIT',
];

export interface DemoClient {
  clientId: string;
  alias: string;
  name: string;
  type: 'CONFIDENTIAL' | 'PUBLIC';
  developer: string;
  grantTypes: GrantType[];
  scopes: string[];
  description?: string;
  /** Authlete's client lock flag. */
  locked?: boolean;
}

export const DEMO_CLIENTS: DemoClient[] = [
  {
    clientId: '26888344961664',
    alias: 'web-banking',
    name: 'Web Banking',
    type: 'CONFIDENTIAL',
    developer: 'retail',
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    scopes: [
      'openid',
      'profile',
      'email',
      'offline_access',
      'accounts.read',
      'transactions.read',
      'payments.read',
      'payments.write',
    ],
    description: 'Customer-facing online banking.',
  },
  {
    clientId: '1734526871',
    alias: 'ios-app',
    name: 'Mobile App (iOS)',
    type: 'PUBLIC',
    developer: 'mobile',
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'accounts.read', 'transactions.read', 'payments.read'],
  },
  {
    clientId: '1734526872',
    alias: 'android-app',
    name: 'Mobile App (Android)',
    type: 'PUBLIC',
    developer: 'mobile',
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'accounts.read', 'transactions.read', 'payments.read'],
  },
  {
    clientId: '5899375627190',
    alias: 'partner-portal',
    name: 'Partner Portal',
    type: 'CONFIDENTIAL',
    developer: 'partners',
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    scopes: ['openid', 'profile', 'email', 'invoices.read', 'invoices.write'],
  },
  {
    clientId: '44217',
    alias: 'billing-batch',
    name: 'Billing Batch Job',
    type: 'CONFIDENTIAL',
    developer: 'platform',
    grantTypes: ['CLIENT_CREDENTIALS'],
    scopes: ['invoices.read', 'invoices.write', 'payments.read'],
  },
  {
    clientId: '44218',
    alias: 'ledger-sync',
    name: 'Ledger Sync Service',
    type: 'CONFIDENTIAL',
    developer: 'platform',
    grantTypes: ['CLIENT_CREDENTIALS', 'JWT_BEARER'],
    scopes: ['accounts.read', 'transactions.read'],
  },
  {
    clientId: '3221225473',
    alias: 'smart-tv',
    name: 'Smart TV App',
    type: 'PUBLIC',
    developer: 'mobile',
    grantTypes: ['DEVICE_CODE', 'REFRESH_TOKEN'],
    scopes: ['openid', 'profile', 'offline_access', 'accounts.read'],
  },
  {
    clientId: '7306587198441',
    alias: 'call-center',
    name: 'Call Center Console',
    type: 'CONFIDENTIAL',
    developer: 'support',
    grantTypes: ['CIBA', 'REFRESH_TOKEN'],
    scopes: ['openid', 'profile', 'email', 'phone', 'accounts.read', 'transactions.read'],
  },
  {
    clientId: '917364',
    alias: 'legacy-kiosk',
    name: 'Branch Kiosk (legacy)',
    type: 'CONFIDENTIAL',
    developer: 'retail',
    grantTypes: ['PASSWORD', 'REFRESH_TOKEN'],
    scopes: ['openid', 'profile', 'accounts.read'],
  },
  {
    clientId: '4611686018427388',
    alias: 'api-gateway',
    name: 'API Gateway (token exchange)',
    type: 'CONFIDENTIAL',
    developer: 'platform',
    grantTypes: ['TOKEN_EXCHANGE'],
    scopes: ['accounts.read', 'transactions.read', 'payments.read'],
  },
  {
    clientId: '12345678901234567',
    alias: 'audit-exporter',
    name: 'Audit Exporter',
    type: 'CONFIDENTIAL',
    developer: 'security',
    grantTypes: ['CLIENT_CREDENTIALS'],
    scopes: ['admin.audit'],
    description: 'Client id above 2^53: must stay exact end to end.',
  },
  {
    clientId: '66102',
    alias: 'marketing-spa',
    name: 'Marketing Site (SPA)',
    type: 'PUBLIC',
    developer: 'growth',
    grantTypes: ['IMPLICIT', 'AUTHORIZATION_CODE'],
    scopes: ['openid', 'profile', 'email'],
  },
];

const SANDBOX_CLIENTS: DemoClient[] = [
  {
    clientId: '88000001',
    alias: 'sandbox-web',
    name: 'Sandbox Web',
    type: 'CONFIDENTIAL',
    developer: 'qa',
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    scopes: ['openid', 'profile'],
  },
  {
    clientId: '88000002',
    alias: 'sandbox-locked',
    name: 'Sandbox Locked',
    type: 'CONFIDENTIAL',
    developer: 'qa',
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    scopes: ['openid', 'profile'],
    locked: true,
  },
];

const FIRST = [
  'alice',
  'bob',
  'carol',
  'dmitri',
  'emma',
  'farid',
  'grace',
  'hiro',
  'ines',
  'jamal',
  'keiko',
  'lars',
  'maria',
  'nadia',
  'oscar',
  'priya',
  'quentin',
  'rosa',
  'sven',
  'tomoko',
  'umar',
  'vera',
  'wei',
  'ximena',
  'yusuf',
  'zoe',
];
const LAST = [
  'nguyen',
  'smith',
  'garcia',
  'muller',
  'tanaka',
  'kowalski',
  'okafor',
  'rossi',
  'silva',
  'haddad',
  'johansson',
  'kim',
  'dubois',
  'novak',
  'patel',
  'cohen',
  'ivanova',
  'lopez',
  'sato',
  'brown',
];
const DEVICES = [
  'iPhone 15',
  'Pixel 8',
  'Galaxy S24',
  'iPad Air',
  'MacBook Pro',
  'Windows 11 / Edge',
  'Samsung Smart TV',
  'Branch kiosk #12',
];
const REGIONS = ['eu-west-1', 'us-east-1', 'ap-northeast-1', 'sa-east-1'];

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function subjectName(i: number): string {
  const base = `${FIRST[i % FIRST.length]}.${LAST[Math.floor(i / FIRST.length) % LAST.length]}`;
  const round = Math.floor(i / (FIRST.length * LAST.length));
  return round === 0 ? base : `${base}.${round}`;
}

interface ServiceRowSeed {
  id: string;
  name: string;
  number: number;
  apiVersion: 2 | 3;
  /** 3.x */
  accessToken?: string;
  /** 2.x */
  apiSecret?: string;
  organizationId?: string;
}

/** Inserts a service unless its id exists; returns whether it was inserted. */
async function insertService(db: Db, s: ServiceRowSeed, now: number): Promise<boolean> {
  const r = await db.query(
    `INSERT INTO services (service_id, number, service_name, issuer, access_token_hash, access_token_duration,
       refresh_token_duration, supported_scopes, supported_grant_types, created_at, modified_at, api_version,
       api_secret_hash, organization_id)
     VALUES ($1, $2, $3, $4, $5, 3600, 2592000, $6::jsonb, $7::jsonb, $8, $8, $9, $10, $11)
     ON CONFLICT (service_id) DO NOTHING RETURNING service_id`,
    [
      s.id,
      s.number,
      s.name,
      `https://${s.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example.com`,
      s.accessToken === undefined ? null : tokenHash(s.accessToken),
      JSON.stringify(DEMO_SCOPES),
      JSON.stringify(GRANT_TYPES_SUPPORTED),
      now,
      s.apiVersion,
      s.apiSecret === undefined ? null : tokenHash(s.apiSecret),
      s.organizationId ?? null,
    ],
  );
  return r.rows.length > 0;
}

async function insertClients(db: Db, serviceId: string, clients: DemoClient[], firstNumber: number, now: number) {
  for (const [i, c] of clients.entries()) {
    await db.query(
      `INSERT INTO clients (client_id, service_id, number, client_id_alias, client_name, description, client_type,
         developer, grant_types, created_at, modified_at, locked, requestable_scopes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $10, $11, $12::jsonb)`,
      [
        c.clientId,
        serviceId,
        firstNumber + i,
        c.alias,
        c.name,
        c.description ?? null,
        c.type,
        c.developer,
        JSON.stringify(c.grantTypes),
        now - (clients.length - i) * 7 * DAY,
        c.locked === true,
        JSON.stringify(c.scopes),
      ],
    );
  }
}

const GRANT_WEIGHTS: [GrantType, number][] = [
  ['AUTHORIZATION_CODE', 50],
  ['REFRESH_TOKEN', 12],
  ['CLIENT_CREDENTIALS', 10],
  ['DEVICE_CODE', 7],
  ['CIBA', 6],
  ['PASSWORD', 6],
  ['TOKEN_EXCHANGE', 4],
  ['JWT_BEARER', 3],
  ['IMPLICIT', 2],
];

/** Where generated tokens go: the demo service and its clients unless told otherwise. */
export interface TokenTarget {
  serviceId: string;
  clients: DemoClient[];
}

/** Generates `count` tokens (in insertion order) for the target's clients, deterministically. */
export function* generateTokens(
  count: number,
  randomSeed: number,
  now: number,
  chunkSize = 5000,
  target: TokenTarget = { serviceId: DEMO_SERVICE_ID, clients: DEMO_CLIENTS },
): Generator<NewToken[]> {
  const rand = prng(randomSeed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  // Only grant types some client of the target may use (all of them for the demo clients).
  const weights = GRANT_WEIGHTS.filter(([g]) => target.clients.some((c) => c.grantTypes.includes(g)));
  if (weights.length === 0) return;
  const totalWeight = weights.reduce((s, [, w]) => s + w, 0);
  const subjects = Math.max(20, Math.round(count / 10));
  const clientsByGrant = new Map<GrantType, DemoClient[]>();
  for (const [g] of weights) {
    clientsByGrant.set(
      g,
      target.clients.filter((c) => c.grantTypes.includes(g)),
    );
  }
  const service = BigInt(target.serviceId);
  // Values (hence hashes) must differ between services: the hash columns are unique.
  const valuePrefix = target.serviceId === DEMO_SERVICE_ID ? 'seed' : `seed-${target.serviceId}`;
  let chunk: NewToken[] = [];
  for (let i = 0; i < count; i++) {
    let r = rand() * totalWeight;
    let grantType: GrantType = 'AUTHORIZATION_CODE';
    for (const [g, w] of weights) {
      if ((r -= w) < 0) {
        grantType = g;
        break;
      }
    }
    const client = pick(clientsByGrant.get(grantType)!);
    // A skewed subject distribution: a few heavy users, a long tail.
    const subject =
      grantType === 'CLIENT_CREDENTIALS' ? null : subjectName(Math.floor(Math.pow(rand(), 1.6) * subjects));
    const scopes = client.scopes.filter((s) => s === 'openid' || rand() < 0.6);
    const createdAt = now - Math.floor(rand() * 200 * DAY);
    const roll = rand();
    const persistent = roll < 0.04;
    // About 55% valid, 41% expired, 4% persistent.
    const accessExpiresAt = persistent
      ? PERSISTENT_EXPIRES_AT
      : BigInt(
          roll < 0.59
            ? now + Math.floor(5 * 60_000 + rand() * 30 * DAY)
            : Math.min(now - 60_000, createdAt + 3_600_000 + Math.floor(rand() * 10 * DAY)),
        );
    const withRefresh =
      grantType !== 'CLIENT_CREDENTIALS' && grantType !== 'IMPLICIT' && client.grantTypes.includes('REFRESH_TOKEN');
    const refreshExpiresAt = withRefresh ? BigInt(createdAt + Math.floor((30 + rand() * 150) * DAY)) : 0n;
    const lastRefreshedRoll = rand();
    const lastRefreshedAt =
      !withRefresh || lastRefreshedRoll < 0.4
        ? 0
        : lastRefreshedRoll < 0.55
          ? now - Math.floor((91 + rand() * 100) * DAY) // stale: unused for more than 90 days
          : now - Math.floor(rand() * 60 * DAY);
    const properties: Property[] | null =
      rand() < 0.25
        ? [
            { key: 'device', value: pick(DEVICES), hidden: false },
            { key: 'region', value: pick(REGIONS), hidden: false },
            ...(rand() < 0.3 ? [{ key: 'risk_score', value: String(Math.floor(rand() * 100)), hidden: true }] : []),
          ]
        : null;
    const seedValue = `${valuePrefix}-${randomSeed}-${i}`;
    chunk.push({
      accessToken: '',
      refreshToken: null,
      expiresIn: 0n,
      row: {
        service_id: service,
        access_token_hash: createHash('sha256').update(`at:${seedValue}`).digest('base64url'),
        refresh_token_hash: withRefresh ? createHash('sha256').update(`rt:${seedValue}`).digest('base64url') : null,
        client_id: BigInt(client.clientId),
        subject,
        grant_type: grantType,
        scopes,
        refresh_token_scopes: withRefresh ? scopes : null,
        properties,
        access_token_persistent: persistent,
        access_token_expires_at: accessExpiresAt,
        refresh_token_expires_at: refreshExpiresAt,
        created_at: BigInt(createdAt),
        last_refreshed_at: BigInt(Math.max(lastRefreshedAt, lastRefreshedAt === 0 ? 0 : createdAt)),
      },
    });
    if (chunk.length >= chunkSize) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

export interface SeedOptions {
  /** Create the demo and sandbox services and their clients (default true). */
  demo?: boolean;
  /** Tokens to generate for the demo service (default 3000). */
  tokens?: number;
  randomSeed?: number;
  now?: number;
  onProgress?: (inserted: number, total: number) => void;
}

const BULK_INDEXES = [
  'tokens_subject_idx',
  'tokens_client_idx',
  'tokens_service_idx',
  'tokens_status_idx',
  'tokens_client_status_idx',
  'tokens_live_expiry_idx',
  'tokens_dead_expiry_idx',
];

/** Seeds an empty database; returns false (and does nothing) when a service already exists. */
export async function seedDatabase(
  db: Db,
  options: SeedOptions,
  recreateIndexes: () => Promise<void>,
): Promise<boolean> {
  const existing = await db.query<{ n: bigint }>('SELECT count(*) AS n FROM services');
  if ((existing.rows[0]?.n ?? 0n) > 0n || options.demo === false) return false;
  const now = options.now ?? Date.now();
  const total = options.tokens ?? DEFAULT_DEMO_TOKENS;
  await insertDemoOrganization(db);
  const organization = { apiVersion: 3 as const, organizationId: DEMO_ORGANIZATION_ID };
  await insertService(
    db,
    {
      ...organization,
      id: DEMO_SERVICE_ID,
      name: DEMO_SERVICE_NAME,
      accessToken: DEMO_SERVICE_ACCESS_TOKEN,
      number: 715948,
    },
    now - 400 * DAY,
  );
  await insertClients(db, DEMO_SERVICE_ID, DEMO_CLIENTS, 6160, now);
  await insertService(
    db,
    {
      ...organization,
      id: SANDBOX_SERVICE_ID,
      name: 'Token Desk Sandbox',
      accessToken: SANDBOX_SERVICE_ACCESS_TOKEN,
      number: 715949,
    },
    now - 100 * DAY,
  );
  await insertClients(db, SANDBOX_SERVICE_ID, SANDBOX_CLIENTS, 6200, now);
  // Large seeds load faster without the secondary indexes and the count triggers; the indexes are
  // rebuilt and the tokens counted once at the end.
  const bulk = total >= 100_000;
  if (bulk) {
    for (const name of BULK_INDEXES) await db.exec(`DROP INDEX IF EXISTS ${name}`);
    await db.exec('ALTER TABLE tokens DISABLE TRIGGER USER');
  }
  let inserted = 0;
  for (const chunk of generateTokens(total, options.randomSeed ?? DEFAULT_RANDOM_SEED, now, bulk ? 20_000 : 5000)) {
    await insertTokens(db, chunk, now);
    // Demo tokens stand for authorizations, so they leave consent records like created ones; bulk
    // (benchmark) seeds skip them to stay fast.
    if (!bulk) await recordGrants(db, BigInt(DEMO_SERVICE_ID), chunk.map(grantOf), now);
    inserted += chunk.length;
    options.onProgress?.(inserted, total);
  }
  if (bulk) {
    await db.exec('ALTER TABLE tokens ENABLE TRIGGER USER');
    await rebuildTokenBlocks(db, now);
    await recreateIndexes();
  }
  // VACUUM sets the visibility map, so counts over the indexes stay index-only scans.
  await db.exec('VACUUM ANALYZE');
  return true;
}

async function insertDemoOrganization(db: Db) {
  await db.query(
    `INSERT INTO organizations (organization_id, organization_name, access_token_hash) VALUES ($1, $2, $3)
     ON CONFLICT (organization_id) DO NOTHING`,
    [DEMO_ORGANIZATION_ID, DEMO_ORGANIZATION_NAME, tokenHash(DEMO_ORGANIZATION_ACCESS_TOKEN)],
  );
}

const clientSeedSchema = z.object({
  clientId: z.string().regex(/^\d{1,19}$/, 'a 64-bit client id, in digits'),
  alias: z.string().min(1).max(200),
  name: z.string().min(1),
  type: z.enum(['CONFIDENTIAL', 'PUBLIC']),
  developer: z.string().min(1),
  grantTypes: z.array(z.enum(GRANT_TYPES)).min(1),
  scopes: z.array(z.string().min(1)),
  description: z.string().optional(),
  locked: z.boolean().optional(),
});

const serviceSeedBase = {
  /** The service id (for 2.x also its API key): digits, unique in the emulator. */
  serviceId: z.string().regex(/^\d{1,19}$/, 'a 64-bit service id, in digits'),
  name: z.string().min(1).max(100),
  clients: z.array(clientSeedSchema).default([]),
  /** Generated tokens for the service's clients, written when the service is first created. */
  tokens: z.number().int().min(0).max(100_000).default(0),
  randomSeed: z.number().int().optional(),
};

/**
 * A service the emulator serves besides the demo and sandbox ones: a 3.x service (its own access
 * token; `organization: true` lists it under the demo organization's token) or a 2.x service
 * (HTTP Basic with its id as API key and `apiSecret`). The `--services` file holds an array of these.
 */
export const serviceSeedSchema = z.discriminatedUnion('apiVersion', [
  z
    .object({
      ...serviceSeedBase,
      apiVersion: z.literal(3),
      accessToken: z.string().min(16).max(200),
      organization: z.boolean().default(false),
    })
    .strict(),
  z.object({ ...serviceSeedBase, apiVersion: z.literal(2), apiSecret: z.string().min(16).max(200) }).strict(),
]);
export type ServiceSeed = z.input<typeof serviceSeedSchema>;

/** Staging's clients: some of the demo's, same aliases and names, their own ids (ids are global). */
const STAGING_CLIENTS: DemoClient[] = DEMO_CLIENTS.filter((c) =>
  ['web-banking', 'ios-app', 'partner-portal', 'billing-batch', 'call-center'].includes(c.alias),
).map((c) => ({ ...c, clientId: String(BigInt(c.clientId) + 800_000_000_000_000n) }));

const LEGACY_CLIENTS: DemoClient[] = [
  {
    clientId: '5593494701',
    alias: 'legacy-web-shop',
    name: 'Web Shop (2.x)',
    type: 'CONFIDENTIAL',
    developer: 'commerce',
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'payments.read', 'payments.write'],
  },
  {
    clientId: '5593494702',
    alias: 'legacy-pos',
    name: 'Point of Sale (2.x)',
    type: 'CONFIDENTIAL',
    developer: 'commerce',
    grantTypes: ['CLIENT_CREDENTIALS'],
    scopes: ['payments.read', 'payments.write'],
  },
  {
    clientId: '5593494703',
    alias: 'legacy-mobile',
    name: 'Shop App (2.x)',
    type: 'PUBLIC',
    developer: 'mobile',
    grantTypes: ['AUTHORIZATION_CODE', 'REFRESH_TOKEN'],
    scopes: ['openid', 'profile', 'offline_access', 'payments.read'],
  },
];

/**
 * The demo's other environments: a staging 3.x service in the demo organization and an Authlete
 * 2.x service on its own API key. The demo service plays production.
 */
export const DEMO_ENVIRONMENT_SERVICES: ServiceSeed[] = [
  {
    apiVersion: 3,
    serviceId: STAGING_SERVICE_ID,
    name: 'Token Desk Staging',
    accessToken: STAGING_SERVICE_ACCESS_TOKEN,
    organization: true,
    clients: STAGING_CLIENTS,
    tokens: 400,
  },
  {
    apiVersion: 2,
    serviceId: LEGACY_SERVICE_API_KEY,
    name: 'Token Desk Legacy (Authlete 2.x)',
    apiSecret: LEGACY_SERVICE_API_SECRET,
    clients: LEGACY_CLIENTS,
    tokens: 250,
  },
];

/**
 * Writes the services that are not there yet (a data folder from before keeps its data and gains
 * them), each with its clients and generated tokens; an existing service id is left as it is.
 * With the demo data, also (re)attaches the demo and sandbox services to the demo organization.
 */
export async function seedServices(db: Db, seeds: ServiceSeed[], options: { demo?: boolean; now?: number } = {}) {
  const now = options.now ?? Date.now();
  if (options.demo !== false) {
    await insertDemoOrganization(db);
    await db.query(
      'UPDATE services SET organization_id = $1 WHERE service_id IN ($2, $3) AND organization_id IS NULL',
      [DEMO_ORGANIZATION_ID, DEMO_SERVICE_ID, SANDBOX_SERVICE_ID],
    );
  }
  for (const input of seeds) {
    const seed = serviceSeedSchema.parse(input);
    const numbers = await db.query<{ n: number | null }>('SELECT max(number) AS n FROM services');
    const inserted = await insertService(
      db,
      {
        id: seed.serviceId,
        name: seed.name,
        number: (numbers.rows[0]?.n ?? 715_947) + 1,
        apiVersion: seed.apiVersion,
        ...(seed.apiVersion === 3
          ? { accessToken: seed.accessToken, organizationId: seed.organization ? DEMO_ORGANIZATION_ID : undefined }
          : { apiSecret: seed.apiSecret }),
      },
      now - 200 * DAY,
    );
    if (!inserted) continue;
    const clientNumbers = await db.query<{ n: number | null }>('SELECT max(number) AS n FROM clients');
    await insertClients(db, seed.serviceId, seed.clients, (clientNumbers.rows[0]?.n ?? 6159) + 1, now);
    const target = { serviceId: seed.serviceId, clients: seed.clients };
    for (const chunk of generateTokens(seed.tokens, seed.randomSeed ?? DEFAULT_RANDOM_SEED, now, 5000, target)) {
      await insertTokens(db, chunk, now);
      await recordGrants(db, BigInt(seed.serviceId), chunk.map(grantOf), now);
    }
  }
}
