import { isLosslessNumber } from 'lossless-json';
import { type Ctx, type Reply, queryIndex, readParams } from './context';
import { PERSISTENT_EXPIRES_AT, type Db, refreshExpiry } from './db';
import { AuthleteError, badRequest, resultMessage } from './errors';
import {
  type Client,
  type ClientRow,
  type GrantType,
  GRANT_TYPES,
  type Property,
  type Service,
  clientLimited,
  findClient,
  newTokenValue,
  toClient,
  tokenHash,
} from './model';
import { type Grant, recordGrants } from './grants';
import type { Params } from './wire';

/** Authlete's list API answers an error when a page would hold more than this many tokens. */
export const MAX_LIST_PAGE = 20;
/** Default `end` when absent: the OpenAPI description says 5 (its knowledge base says 20). */
export const DEFAULT_LIST_END = 5;
const MAX_SUBJECT_LENGTH = 100;
export const MAX_TOKEN_VALUE_LENGTH = 2048;
/** 100 years: keeps every computed expiry far inside the 64-bit range. */
const MAX_DURATION_SECONDS = 3_153_600_000n;

// ── rows and wire shapes ─────────────────────────────────────────────────────

export interface TokenRow {
  id: bigint;
  service_id: bigint;
  access_token_hash: string;
  refresh_token_hash: string | null;
  client_id: bigint;
  subject: string | null;
  grant_type: string;
  scopes: string[];
  refresh_token_scopes: string[] | null;
  properties: Property[] | null;
  access_token_persistent: boolean;
  access_token_expires_at: bigint;
  refresh_token_expires_at: bigint;
  created_at: bigint;
  last_refreshed_at: bigint;
  /** Access token expired by the emulator's clock at the last refreshExpiry(). */
  expired: boolean;
  last_used_at: bigint;
}

/** One element of `accessTokens[]` in the list response (openapi `access_token`). */
export function tokenToWire(t: TokenRow) {
  return {
    accessTokenHash: t.access_token_hash,
    accessTokenExpiresAt: t.access_token_expires_at,
    ...(t.refresh_token_hash ? { refreshTokenHash: t.refresh_token_hash } : {}),
    refreshTokenExpiresAt: t.refresh_token_expires_at,
    createdAt: t.created_at,
    lastRefreshedAt: t.last_refreshed_at,
    clientId: t.client_id,
    ...(t.subject !== null ? { subject: t.subject } : {}),
    grantType: t.grant_type,
    scopes: t.scopes,
    ...(t.properties && t.properties.length > 0 ? { properties: t.properties } : {}),
    ...(t.refresh_token_scopes ? { refreshTokenScopes: t.refresh_token_scopes } : {}),
  };
}

/** A token ready to insert: values are only carried to be shown once in the response. */
export interface NewToken {
  accessToken: string;
  refreshToken: string | null;
  row: Omit<TokenRow, 'id' | 'expired' | 'last_used_at'>;
  expiresIn: bigint;
}

/** Inserts the tokens with their status as of `now` (the emulator's clock). */
export async function insertTokens(db: Db, tokens: NewToken[], now: number): Promise<void> {
  if (tokens.length === 0) return;
  const rows = tokens.map(({ row }) => ({
    ...row,
    service_id: row.service_id.toString(),
    client_id: row.client_id.toString(),
    access_token_expires_at: row.access_token_expires_at.toString(),
    refresh_token_expires_at: row.refresh_token_expires_at.toString(),
    created_at: row.created_at.toString(),
    last_refreshed_at: row.last_refreshed_at.toString(),
  }));
  // bigint columns travel as JSON strings and are cast by jsonb_to_recordset, so they stay exact.
  await db.query(
    `INSERT INTO tokens (service_id, access_token_hash, refresh_token_hash, client_id, subject, grant_type, scopes,
       refresh_token_scopes, properties, access_token_persistent, access_token_expires_at, refresh_token_expires_at,
       created_at, last_refreshed_at, expired)
     SELECT service_id, access_token_hash, refresh_token_hash, client_id, subject, grant_type, scopes,
       refresh_token_scopes, properties, access_token_persistent, access_token_expires_at, refresh_token_expires_at,
       created_at, last_refreshed_at, access_token_expires_at <= $2
     FROM jsonb_to_recordset($1::jsonb) AS x(service_id bigint, access_token_hash text, refresh_token_hash text,
       client_id bigint, subject text, grant_type text, scopes jsonb, refresh_token_scopes jsonb, properties jsonb,
       access_token_persistent boolean, access_token_expires_at bigint, refresh_token_expires_at bigint,
       created_at bigint, last_refreshed_at bigint)`,
    [JSON.stringify(rows), now.toString()],
  );
}

// ── create: parsing, validation, preparation (shared with the batch API) ────

export interface CreateInput {
  grantType: GrantType;
  /** `clientId`, else `clientIdentifier` (id or alias), as Authlete's Java client documents. */
  client: string;
  subject?: string;
  scopes?: string[];
  accessTokenDuration?: bigint;
  refreshTokenDuration?: bigint;
  properties?: Property[];
  accessToken?: string;
  refreshToken?: string;
  accessTokenPersistent?: boolean;
}

export const CREATE_CODES = {
  malformed: 'A109201',
  grantType: 'A109202',
  clientId: 'A109203',
  clientUnknown: 'A109204',
  subjectMissing: 'A109205',
  subjectInvalid: 'A109206',
  scope: 'A109207',
  duration: 'A109208',
  properties: 'A109209',
  propertiesForm: 'A109210',
  accessTokenDuplicate: 'A109211',
  refreshTokenDuplicate: 'A109212',
  tokenValue: 'A109213',
  clientForeign: 'A109214',
  /** Authlete documents A001215 as "the client is locked". */
  clientLocked: 'A001215',
} as const;

function readProperties(params: Params, code: string): Property[] | undefined {
  const raw = params.raw('properties');
  if (raw === undefined || raw === null) return undefined;
  if (params.kind === 'form') {
    throw badRequest(
      CREATE_CODES.propertiesForm,
      "'properties' is accepted only in an application/json request body.",
      'BAD_REQUEST',
    );
  }
  if (!Array.isArray(raw))
    throw badRequest(code, "'properties' must be an array of {key, value, hidden} objects.", 'BAD_REQUEST');
  return raw.map((p: unknown, i) => {
    if (p === null || typeof p !== 'object' || Array.isArray(p) || isLosslessNumber(p)) {
      throw badRequest(code, `'properties[${i}]' must be an object with 'key' and 'value'.`, 'BAD_REQUEST');
    }
    const { key, value, hidden } = p as Record<string, unknown>;
    if (typeof key !== 'string' || key === '') {
      throw badRequest(code, `'properties[${i}].key' must be a non-empty string.`, 'BAD_REQUEST');
    }
    if (typeof value !== 'string') throw badRequest(code, `'properties[${i}].value' must be a string.`, 'BAD_REQUEST');
    if (hidden !== undefined && hidden !== null && typeof hidden !== 'boolean') {
      throw badRequest(code, `'properties[${i}].hidden' must be a boolean.`, 'BAD_REQUEST');
    }
    return { key, value, hidden: hidden === true };
  });
}

function withAction<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AuthleteError && !e.action)
      throw new AuthleteError(e.status, e.resultCode, e.detail, 'BAD_REQUEST');
    throw e;
  }
}

function readDuration(params: Params, name: string): bigint | undefined {
  const d = params.int64(name);
  if (d === undefined) return undefined;
  if (d < 0n || d > MAX_DURATION_SECONDS) {
    throw badRequest(
      CREATE_CODES.duration,
      `'${name}' must be between 0 and ${MAX_DURATION_SECONDS} seconds.`,
      'BAD_REQUEST',
    );
  }
  return d;
}

function readTokenValue(params: Params, name: string): string | undefined {
  const v = params.string(name);
  if (v === undefined || v === '') return undefined;
  if (v.length > MAX_TOKEN_VALUE_LENGTH || /[\s\x00-\x1f\x7f]/.test(v)) {
    throw badRequest(
      CREATE_CODES.tokenValue,
      `'${name}' must be at most ${MAX_TOKEN_VALUE_LENGTH} characters without whitespace.`,
      'BAD_REQUEST',
    );
  }
  return v;
}

/** Checks the shape of a token_create_request: everything that does not need the database. */
export function readCreateInput(params: Params): CreateInput {
  return withAction(() => {
    const grantTypeText = params.string('grantType');
    if (!grantTypeText) throw badRequest(CREATE_CODES.grantType, "'grantType' is required.");
    if (!(GRANT_TYPES as readonly string[]).includes(grantTypeText)) {
      throw badRequest(
        CREATE_CODES.grantType,
        `'grantType' must be one of ${GRANT_TYPES.join(', ')}; '${grantTypeText}' is not.`,
      );
    }
    const grantType = grantTypeText as GrantType;
    const clientId = params.int64('clientId');
    const clientIdentifier = params.string('clientIdentifier') || undefined;
    if (clientId === undefined && clientIdentifier === undefined) {
      throw badRequest(CREATE_CODES.clientId, "'clientId' or 'clientIdentifier' is required.");
    }
    if (clientId !== undefined && clientId <= 0n)
      throw badRequest(CREATE_CODES.clientId, "'clientId' must be a positive integer.");
    // Subject rules per grant type (Authlete's Java client): ignored for CLIENT_CREDENTIALS (not
    // stored, not listed), optional for JWT_BEARER, required for the others.
    const subject = grantType === 'CLIENT_CREDENTIALS' ? undefined : params.string('subject');
    if ((subject === undefined || subject === '') && grantType !== 'CLIENT_CREDENTIALS' && grantType !== 'JWT_BEARER') {
      throw badRequest(
        CREATE_CODES.subjectMissing,
        `'subject' is required unless the grant type is CLIENT_CREDENTIALS or JWT_BEARER.`,
      );
    }
    if (subject !== undefined && subject !== '') {
      if (!/^[\x00-\x7f]*$/.test(subject))
        throw badRequest(CREATE_CODES.subjectInvalid, "'subject' must consist of ASCII characters only.");
      if (subject.length > MAX_SUBJECT_LENGTH) {
        throw badRequest(
          CREATE_CODES.subjectInvalid,
          `'subject' must not be longer than ${MAX_SUBJECT_LENGTH} characters.`,
        );
      }
    }
    const scopes = params.stringArray('scopes');
    return {
      grantType,
      client: clientId !== undefined ? clientId.toString() : clientIdentifier!,
      ...(subject ? { subject } : {}),
      ...(scopes ? { scopes: [...new Set(scopes)] } : {}),
      accessTokenDuration: readDuration(params, 'accessTokenDuration'),
      refreshTokenDuration: readDuration(params, 'refreshTokenDuration'),
      properties: readProperties(params, CREATE_CODES.properties),
      accessToken: readTokenValue(params, 'accessToken'),
      refreshToken: readTokenValue(params, 'refreshToken'),
      accessTokenPersistent: params.boolean('accessTokenPersistent'),
    };
  });
}

/** Whether Authlete issues a refresh token alongside an access token of this grant type. */
export function issuesRefreshToken(service: Service, grantType: GrantType): boolean {
  return (
    service.supportedGrantTypes.includes('REFRESH_TOKEN') &&
    grantType !== 'IMPLICIT' &&
    grantType !== 'CLIENT_CREDENTIALS'
  );
}

/** A create request's client: the service's own, one of another service, or none. */
export type ResolvedClient = Client | 'foreign' | undefined;

/** Resolves create requests' client identifiers (ids or aliases) at once; keys are the identifiers. */
export async function resolveClients(
  db: Db,
  serviceId: bigint,
  identifiers: string[],
): Promise<Map<string, ResolvedClient>> {
  const unique = [...new Set(identifiers)];
  const numeric = unique.filter((i) => /^\d{1,19}$/.test(i) && BigInt(i) <= 9223372036854775807n);
  const rows = await db.query<ClientRow>(
    'SELECT * FROM clients WHERE client_id = ANY($1::bigint[]) OR (service_id = $2 AND client_id_alias = ANY($3::text[]))',
    [numeric, serviceId.toString(), unique],
  );
  const resolved = new Map<string, ResolvedClient>();
  for (const identifier of unique) {
    const own =
      rows.rows.find((r) => r.service_id === serviceId && r.client_id.toString() === identifier) ??
      rows.rows.find((r) => r.service_id === serviceId && r.client_id_alias === identifier);
    const foreign = rows.rows.some((r) => r.service_id !== serviceId && r.client_id.toString() === identifier);
    resolved.set(identifier, own ? toClient(own) : foreign ? 'foreign' : undefined);
  }
  return resolved;
}

/** Refusals with `action: FORBIDDEN` answer HTTP 200, like Authlete's other action results. */
export const forbidden = (code: string, detail: string) => new AuthleteError(200, code, detail, 'FORBIDDEN');

/** Semantic checks that need the service and its clients; values are generated when not supplied. */
export function prepareToken(service: Service, resolved: ResolvedClient, input: CreateInput, now: number): NewToken {
  if (resolved === 'foreign')
    throw forbidden(CREATE_CODES.clientForeign, `The client (ID = ${input.client}) belongs to another service.`);
  if (!resolved) {
    throw badRequest(
      CREATE_CODES.clientUnknown,
      `The client (${input.client}) does not exist in the service.`,
      'BAD_REQUEST',
    );
  }
  const client = resolved;
  if (client.locked) throw forbidden(CREATE_CODES.clientLocked, `The client (ID = ${client.clientId}) is locked.`);
  const supported = new Set(service.supportedScopes.map((s) => s.name));
  for (const scope of input.scopes ?? []) {
    if (!supported.has(scope)) {
      throw badRequest(CREATE_CODES.scope, `The scope '${scope}' is not supported by the service.`, 'BAD_REQUEST');
    }
  }
  const nowBig = BigInt(now);
  const accessDuration = input.accessTokenDuration || service.accessTokenDuration;
  const persistent = input.accessTokenPersistent === true;
  const accessToken = input.accessToken ?? newTokenValue();
  const withRefresh = issuesRefreshToken(service, input.grantType);
  const refreshToken = withRefresh ? (input.refreshToken ?? newTokenValue()) : null;
  const refreshDuration = input.refreshTokenDuration || service.refreshTokenDuration;
  const scopes = input.scopes ?? [];
  return {
    accessToken,
    refreshToken,
    expiresIn: persistent ? 0n : accessDuration,
    row: {
      service_id: service.serviceId,
      access_token_hash: tokenHash(accessToken),
      refresh_token_hash: refreshToken ? tokenHash(refreshToken) : null,
      client_id: client.clientId,
      subject: input.subject ?? null,
      grant_type: input.grantType,
      scopes,
      refresh_token_scopes: refreshToken ? scopes : null,
      properties: input.properties ?? null,
      access_token_persistent: persistent,
      access_token_expires_at: persistent ? PERSISTENT_EXPIRES_AT : nowBig + accessDuration * 1000n,
      refresh_token_expires_at: refreshToken ? nowBig + refreshDuration * 1000n : 0n,
      created_at: nowBig,
      last_refreshed_at: 0n,
    },
  };
}

/** The consent a created token stands for (grants.ts). */
export function grantOf({ row }: NewToken): Grant {
  return { clientId: row.client_id, subject: row.subject, scopes: row.scopes };
}

export function duplicateError(which: 'access' | 'refresh'): AuthleteError {
  return which === 'access'
    ? badRequest(
        CREATE_CODES.accessTokenDuplicate,
        'The access token value cannot be used: a token with the same hash already exists.',
        'BAD_REQUEST',
      )
    : badRequest(
        CREATE_CODES.refreshTokenDuplicate,
        'The refresh token value cannot be used: a token with the same hash already exists.',
        'BAD_REQUEST',
      );
}

function isUniqueViolation(e: unknown): e is { code: string; constraint?: string; message: string } {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

export async function handleCreate(ctx: Ctx): Promise<Reply> {
  const params = await readParams(ctx, CREATE_CODES.malformed);
  const input = readCreateInput(params);
  const clients = await resolveClients(ctx.db, ctx.service.serviceId, [input.client]);
  const token = prepareToken(ctx.service, clients.get(input.client), input, ctx.now());
  try {
    await insertTokens(ctx.db, [token], ctx.now());
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw duplicateError(/refresh/.test(e.constraint ?? e.message) ? 'refresh' : 'access');
    }
    throw e;
  }
  await recordGrants(ctx.db, ctx.service.serviceId, [grantOf(token)], ctx.now());
  const { row } = token;
  return {
    status: 200,
    body: {
      resultCode: 'A109001',
      resultMessage: `[A109001] An access token was created successfully: ${row.grant_type.toLowerCase()}, client = ${row.client_id}`,
      action: 'OK',
      accessToken: token.accessToken,
      clientId: row.client_id,
      expiresAt: row.access_token_expires_at,
      expiresIn: token.expiresIn,
      grantType: row.grant_type,
      ...(row.properties ? { properties: row.properties } : {}),
      ...(token.refreshToken ? { refreshToken: token.refreshToken, refreshTokenScopes: row.refresh_token_scopes } : {}),
      scopes: row.scopes,
      ...(row.subject !== null ? { subject: row.subject } : {}),
      tokenType: 'Bearer',
    },
  };
}

// ── list ─────────────────────────────────────────────────────────────────────

const LIST_CODES = { param: 'A163201', range: 'A163202', client: 'A163203', status: 'A163204' } as const;
const TOKEN_STATUSES = ['VALID', 'INVALID', 'ALL'] as const;

export async function handleList(ctx: Ctx): Promise<Reply> {
  const { query, db, service } = ctx;
  const start = queryIndex(query, 'start', 0, LIST_CODES.param);
  const end = queryIndex(query, 'end', DEFAULT_LIST_END, LIST_CODES.param);
  if (end < start) throw badRequest(LIST_CODES.range, `'end' (${end}) must not be less than 'start' (${start}).`);
  if (end - start > MAX_LIST_PAGE) {
    throw badRequest(
      LIST_CODES.range,
      `The range from 'start' to 'end' must not exceed ${MAX_LIST_PAGE} (was ${end - start}).`,
    );
  }
  const statusText = (query.get('tokenStatus') || 'ALL').toUpperCase();
  if (!(TOKEN_STATUSES as readonly string[]).includes(statusText)) {
    throw badRequest(
      LIST_CODES.status,
      `'tokenStatus' must be VALID, INVALID or ALL, not '${query.get('tokenStatus')}'.`,
    );
  }
  const status = statusText as (typeof TOKEN_STATUSES)[number];
  const subject = query.get('subject') || undefined;
  const clientIdentifier = query.get('clientIdentifier') || undefined;
  let client: Client | null = null;
  if (clientIdentifier !== undefined) {
    client = await findClient(db, service.serviceId, clientIdentifier);
    if (!client)
      throw badRequest(LIST_CODES.client, `No client has the identifier '${clientIdentifier}' in the service.`);
  }

  await refreshExpiry(db, ctx.now());
  const expired = status === 'ALL' ? null : status === 'INVALID';
  const { totalCount, rows } = await listPage(db, service.serviceId, { client, subject, expired }, start, end - start);
  return {
    status: 200,
    body: {
      start,
      end,
      totalCount,
      ...(client ? { client: clientLimited(client) } : {}),
      ...(subject !== undefined ? { subject } : {}),
      accessTokens: rows.map(tokenToWire),
    },
  };
}

interface ListPage {
  totalCount: number;
  rows: TokenRow[];
}

export interface ListFilter {
  client: Client | null;
  subject?: string;
  /** null = any status. */
  expired: boolean | null;
}

/** One page of a token list in id order, and the filter's total; status as of the last refreshExpiry(). */
export function listPage(
  db: Db,
  serviceId: bigint,
  filter: ListFilter,
  start: number,
  size: number,
): Promise<ListPage> {
  return filter.subject !== undefined
    ? listBySubject(db, serviceId, filter.subject, filter.client, filter.expired, start, size)
    : listByBlocks(db, serviceId, filter.client, filter.expired, start, size);
}

/** A subject's tokens are few (one person's grants): counted and paged directly on its index. */
async function listBySubject(
  db: Db,
  serviceId: bigint,
  subject: string,
  client: Client | null,
  expired: boolean | null,
  start: number,
  size: number,
): Promise<ListPage> {
  const args: unknown[] = [serviceId.toString(), subject];
  const where = ['service_id = $1', 'subject = $2'];
  if (client) where.push(`client_id = $${args.push(client.clientId.toString())}`);
  if (expired !== null) where.push(`expired = $${args.push(expired)}`);
  const count = await db.query<{ n: bigint }>(`SELECT count(*) AS n FROM tokens WHERE ${where.join(' AND ')}`, args);
  const totalCount = Number(count.rows[0]?.n ?? 0n);
  const rows =
    size > 0 && start < totalCount
      ? (
          await db.query<TokenRow>(
            `SELECT * FROM tokens WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${size} OFFSET ${start}`,
            args,
          )
        ).rows
      : [];
  return { totalCount, rows };
}

/** Block sizes of token_blocks, largest first (db.ts): each block holds 64 of the next. */
const BLOCK_SHIFTS = [20, 14, 8] as const;
const LEAF_SHIFT = 8n;

/**
 * Every other list, at any offset, without scanning: walking down the trigger-kept block counts
 * finds the smallest block holding the `start`-th token (under 64 rows read per level); the page is
 * then read from that block's first id, skipping fewer than 256 index entries. The top level's
 * sum is the total.
 */
async function listByBlocks(
  db: Db,
  serviceId: bigint,
  client: Client | null,
  expired: boolean | null,
  start: number,
  size: number,
): Promise<ListPage> {
  let totalCount = 0;
  let before = 0;
  let block: bigint | null = null;
  for (const shift of BLOCK_SHIFTS) {
    const args: unknown[] = [serviceId.toString(), (client?.clientId ?? 0n).toString(), shift];
    let where = 'service_id = $1 AND client_id = $2 AND shift = $3';
    if (expired !== null) where += ` AND expired = $${args.push(expired)}`;
    if (block !== null) {
      // The 64 blocks of this level inside the block chosen one level up.
      where += ` AND block BETWEEN $${args.push((block << 6n).toString())} AND $${args.push(((block << 6n) + 63n).toString())}`;
    }
    const counts = await db.query<{ block: bigint; n: bigint }>(
      `SELECT block, sum(n)::bigint AS n FROM token_blocks WHERE ${where} GROUP BY block HAVING sum(n) > 0 ORDER BY block`,
      args,
    );
    if (shift === BLOCK_SHIFTS[0]) {
      totalCount = counts.rows.reduce((sum, r) => sum + Number(r.n), 0);
      if (size === 0 || start >= totalCount) return { totalCount, rows: [] };
    }
    block = null;
    for (const r of counts.rows) {
      if (before + Number(r.n) > start) {
        block = r.block;
        break;
      }
      before += Number(r.n);
    }
    if (block === null) throw new Error(`token_blocks are inconsistent at shift ${shift} (start ${start}).`);
  }
  const pageArgs: unknown[] = [serviceId.toString(), (block! << LEAF_SHIFT).toString()];
  const where = ['service_id = $1', 'id >= $2'];
  if (client) where.push(`client_id = $${pageArgs.push(client.clientId.toString())}`);
  if (expired !== null) where.push(`expired = $${pageArgs.push(expired)}`);
  const page = await db.query<TokenRow>(
    `SELECT * FROM tokens WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${size} OFFSET ${start - before}`,
    pageArgs,
  );
  return { totalCount, rows: page.rows };
}

// ── update ───────────────────────────────────────────────────────────────────

const UPDATE_CODES = {
  malformed: 'A135201',
  identifier: 'A135202',
  expiry: 'A135203',
  foreign: 'A135204',
  clientLocked: 'A001215',
  notFound: 'A135301',
} as const;

/** How update names its token, in order of precedence (the value before its hash, access before refresh). */
const UPDATE_IDENTIFIERS = [
  { field: 'accessToken', column: 'access_token_hash', hashed: false },
  { field: 'accessTokenHash', column: 'access_token_hash', hashed: true },
  { field: 'refreshToken', column: 'refresh_token_hash', hashed: false },
  { field: 'refreshTokenHash', column: 'refresh_token_hash', hashed: true },
] as const;

export async function handleUpdate(ctx: Ctx): Promise<Reply> {
  const params = await readParams(ctx, UPDATE_CODES.malformed);
  const { db, service } = ctx;
  const fields = withAction(() => {
    const identifier = UPDATE_IDENTIFIERS.map((i) => ({ ...i, value: params.string(i.field) || undefined })).find(
      (i) => i.value,
    );
    if (!identifier) {
      throw badRequest(
        UPDATE_CODES.identifier,
        "One of 'accessToken', 'accessTokenHash', 'refreshToken' or 'refreshTokenHash' is required.",
      );
    }
    const expiresAt = params.int64('accessTokenExpiresAt');
    const refreshExpiresAt = params.int64('refreshTokenExpiresAt');
    for (const [name, v] of [
      ['accessTokenExpiresAt', expiresAt],
      ['refreshTokenExpiresAt', refreshExpiresAt],
    ] as const) {
      if (v !== undefined && v >= PERSISTENT_EXPIRES_AT)
        throw badRequest(UPDATE_CODES.expiry, `'${name}' is too large.`);
    }
    return {
      identifier,
      expiresAt,
      refreshExpiresAt,
      scopes: params.stringArray('scopes'),
      persistent: params.boolean('accessTokenPersistent'),
      valueUpdated: params.boolean('accessTokenValueUpdated') === true,
      properties: readProperties(params, UPDATE_CODES.malformed),
    };
  });
  const { identifier } = fields;
  const hash = identifier.hashed ? identifier.value! : tokenHash(identifier.value!);
  const found = await db.query<TokenRow>(`SELECT * FROM tokens WHERE ${identifier.column} = $1`, [hash]);
  const token = found.rows[0];
  if (!token) {
    // Authlete reports an unknown token through the response's action (HTTP 200), not a 4xx.
    return {
      status: 200,
      body: {
        resultCode: UPDATE_CODES.notFound,
        resultMessage: resultMessage(UPDATE_CODES.notFound, ctx.apiPath, 'The access token does not exist.'),
        action: 'NOT_FOUND',
      },
    };
  }
  if (token.service_id !== service.serviceId)
    throw forbidden(UPDATE_CODES.foreign, 'The access token belongs to another service.');
  const client = await findClient(db, service.serviceId, token.client_id.toString());
  if (client?.locked) throw forbidden(UPDATE_CODES.clientLocked, `The client (ID = ${client.clientId}) is locked.`);
  const now = BigInt(ctx.now());
  let persistent = token.access_token_persistent;
  let expiresAt = token.access_token_expires_at;
  if (fields.persistent === true) {
    persistent = true;
    expiresAt = PERSISTENT_EXPIRES_AT;
  } else {
    if (fields.persistent === false && persistent) {
      persistent = false;
      expiresAt = now + service.accessTokenDuration * 1000n;
    }
    // 0 or negative means "unchanged".
    if (fields.expiresAt !== undefined && fields.expiresAt > 0n) {
      persistent = false;
      expiresAt = fields.expiresAt;
    }
  }
  // Scopes the service does not support, and those the client may not request, are ignored, as
  // Authlete documents for this API.
  const supported = new Set(service.supportedScopes.map((s) => s.name));
  const requestable = client?.requestableScopes ? new Set(client.requestableScopes) : null;
  const scopes = fields.scopes
    ? [...new Set(fields.scopes)].filter((s) => supported.has(s) && (requestable === null || requestable.has(s)))
    : token.scopes;
  const properties = fields.properties ?? token.properties;
  let refreshExpiresAt = token.refresh_token_expires_at;
  if (token.refresh_token_hash && fields.refreshExpiresAt !== undefined && fields.refreshExpiresAt > 0n) {
    refreshExpiresAt = fields.refreshExpiresAt;
  }
  // accessTokenValueUpdated: a new value replaces the old one, returned in this response only.
  const newValue = fields.valueUpdated ? newTokenValue() : undefined;
  await db.query(
    `UPDATE tokens SET scopes = $2::jsonb, properties = $3::jsonb, access_token_persistent = $4,
       access_token_expires_at = $5, refresh_token_expires_at = $6, expired = ($5::bigint <= $7::bigint), last_used_at = $7,
       access_token_hash = COALESCE($8, access_token_hash) WHERE id = $1`,
    [
      token.id.toString(),
      JSON.stringify(scopes),
      properties === null ? null : JSON.stringify(properties),
      persistent,
      expiresAt.toString(),
      refreshExpiresAt.toString(),
      now.toString(),
      newValue === undefined ? null : tokenHash(newValue),
    ],
  );
  const accessToken = newValue ?? (identifier.field === 'accessToken' ? identifier.value : undefined);
  return {
    status: 200,
    body: {
      resultCode: 'A135001',
      resultMessage: '[A135001] Updated the access token successfully.',
      action: 'OK',
      ...(accessToken ? { accessToken } : {}),
      accessTokenExpiresAt: expiresAt,
      ...(properties && properties.length > 0 ? { properties } : {}),
      scopes,
      tokenType: 'Bearer',
      ...(token.refresh_token_hash ? { refreshTokenExpiresAt: refreshExpiresAt } : {}),
    },
  };
}

// ── revoke and delete ────────────────────────────────────────────────────────

const REVOKE_CODES = { malformed: 'A382201', none: 'A382202', client: 'A382203', notFound: 'A382204' } as const;

/**
 * Revocation removes the tokens, as Authlete does (a revoked token is gone, so it is neither VALID
 * nor INVALID afterwards). Precedence: accessTokenIdentifier > refreshTokenIdentifier >
 * clientIdentifier + subject > clientIdentifier > subject. An identifier is a value or its hash.
 */
export async function handleRevoke(ctx: Ctx): Promise<Reply> {
  const params = await readParams(ctx, REVOKE_CODES.malformed);
  const { db, service } = ctx;
  const sid = service.serviceId.toString();
  const accessId = params.string('accessTokenIdentifier') || undefined;
  const refreshId = params.string('refreshTokenIdentifier') || undefined;
  const clientIdentifier = params.string('clientIdentifier') || undefined;
  const subject = params.string('subject') || undefined;
  let count: number;
  if (accessId || refreshId) {
    const column = accessId ? 'access_token_hash' : 'refresh_token_hash';
    const identifier = (accessId ?? refreshId)!;
    const r = await db.query(`DELETE FROM tokens WHERE service_id = $1 AND ${column} IN ($2, $3)`, [
      sid,
      tokenHash(identifier),
      identifier,
    ]);
    count = r.affectedRows ?? 0;
    if (count === 0) {
      throw new AuthleteError(
        404,
        REVOKE_CODES.notFound,
        `The ${accessId ? 'access' : 'refresh'} token does not exist.`,
      );
    }
  } else if (clientIdentifier || subject) {
    const where = ['service_id = $1'];
    const args: unknown[] = [sid];
    if (clientIdentifier) {
      const client = await findClient(db, service.serviceId, clientIdentifier);
      if (!client)
        throw badRequest(REVOKE_CODES.client, `No client has the identifier '${clientIdentifier}' in the service.`);
      args.push(client.clientId.toString());
      where.push(`client_id = $${args.length}`);
    }
    if (subject) {
      args.push(subject);
      where.push(`subject = $${args.length}`);
    }
    const r = await db.query(`DELETE FROM tokens WHERE ${where.join(' AND ')}`, args);
    count = r.affectedRows ?? 0;
  } else {
    throw badRequest(
      REVOKE_CODES.none,
      "One of 'accessTokenIdentifier', 'refreshTokenIdentifier', 'clientIdentifier' or 'subject' is required.",
    );
  }
  return {
    status: 200,
    body: { resultCode: 'A382001', resultMessage: `[A382001] Revoked ${count} access token(s).`, count },
  };
}

/**
 * An unknown identifier is a 400 with the result envelope: the file lists 204, 400, 401, 403 and
 * 500 for this operation, and 400 is its status for a request naming what does not exist.
 */
export async function handleDelete(ctx: Ctx): Promise<Reply> {
  const identifier = ctx.pathParams[0]!;
  const r = await ctx.db.query('DELETE FROM tokens WHERE service_id = $1 AND access_token_hash IN ($2, $3)', [
    ctx.service.serviceId.toString(),
    tokenHash(identifier),
    identifier,
  ]);
  if ((r.affectedRows ?? 0) === 0) throw badRequest('A136201', 'The access token does not exist.');
  return { status: 204 };
}
