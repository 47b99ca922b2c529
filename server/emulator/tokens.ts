import { isLosslessNumber } from 'lossless-json';
import { type Ctx, type Reply, queryIndex, readParams } from './context';
import { PERSISTENT_EXPIRES_AT, type Db } from './db';
import { AuthleteError, badRequest, resultMessage } from './errors';
import {
  type Client,
  type GrantType,
  GRANT_TYPES,
  type Property,
  type Service,
  clientLimited,
  findClient,
  newTokenValue,
  tokenHash,
} from './model';
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
  row: Omit<TokenRow, 'id'>;
  expiresIn: bigint;
}

export async function insertTokens(db: Db, tokens: NewToken[]): Promise<void> {
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
       created_at, last_refreshed_at)
     SELECT service_id, access_token_hash, refresh_token_hash, client_id, subject, grant_type, scopes,
       refresh_token_scopes, properties, access_token_persistent, access_token_expires_at, refresh_token_expires_at,
       created_at, last_refreshed_at
     FROM jsonb_to_recordset($1::jsonb) AS x(service_id bigint, access_token_hash text, refresh_token_hash text,
       client_id bigint, subject text, grant_type text, scopes jsonb, refresh_token_scopes jsonb, properties jsonb,
       access_token_persistent boolean, access_token_expires_at bigint, refresh_token_expires_at bigint,
       created_at bigint, last_refreshed_at bigint)`,
    [JSON.stringify(rows)],
  );
}

// ── create: parsing, validation, preparation (shared with the batch API) ────

export interface CreateInput {
  grantType: GrantType;
  clientId: bigint;
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
  if (!Array.isArray(raw)) throw badRequest(code, "'properties' must be an array of {key, value, hidden} objects.", 'BAD_REQUEST');
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
    if (e instanceof AuthleteError && !e.action) throw new AuthleteError(e.status, e.resultCode, e.detail, 'BAD_REQUEST');
    throw e;
  }
}

function readDuration(params: Params, name: string): bigint | undefined {
  const d = params.int64(name);
  if (d === undefined) return undefined;
  if (d < 0n || d > MAX_DURATION_SECONDS) {
    throw badRequest(CREATE_CODES.duration, `'${name}' must be between 0 and ${MAX_DURATION_SECONDS} seconds.`, 'BAD_REQUEST');
  }
  return d;
}

function readTokenValue(params: Params, name: string): string | undefined {
  const v = params.string(name);
  if (v === undefined || v === '') return undefined;
  if (v.length > MAX_TOKEN_VALUE_LENGTH || /[\s\x00-\x1f\x7f]/.test(v)) {
    throw badRequest(CREATE_CODES.tokenValue, `'${name}' must be at most ${MAX_TOKEN_VALUE_LENGTH} characters without whitespace.`, 'BAD_REQUEST');
  }
  return v;
}

/** Checks the shape of a token_create_request: everything that does not need the database. */
export function readCreateInput(params: Params): CreateInput {
  return withAction(() => {
    const grantTypeText = params.string('grantType');
    if (!grantTypeText) throw badRequest(CREATE_CODES.grantType, "'grantType' is required.");
    if (!(GRANT_TYPES as readonly string[]).includes(grantTypeText)) {
      throw badRequest(CREATE_CODES.grantType, `'grantType' must be one of ${GRANT_TYPES.join(', ')}; '${grantTypeText}' is not.`);
    }
    const grantType = grantTypeText as GrantType;
    const clientId = params.int64('clientId');
    if (clientId === undefined) throw badRequest(CREATE_CODES.clientId, "'clientId' is required.");
    if (clientId <= 0n) throw badRequest(CREATE_CODES.clientId, "'clientId' must be a positive integer.");
    const subject = params.string('subject');
    if ((subject === undefined || subject === '') && grantType !== 'CLIENT_CREDENTIALS') {
      throw badRequest(CREATE_CODES.subjectMissing, `'subject' is required unless the grant type is CLIENT_CREDENTIALS.`);
    }
    if (subject !== undefined && subject !== '') {
      if (!/^[\x00-\x7f]*$/.test(subject)) throw badRequest(CREATE_CODES.subjectInvalid, "'subject' must consist of ASCII characters only.");
      if (subject.length > MAX_SUBJECT_LENGTH) {
        throw badRequest(CREATE_CODES.subjectInvalid, `'subject' must not be longer than ${MAX_SUBJECT_LENGTH} characters.`);
      }
    }
    const scopes = params.stringArray('scopes');
    return {
      grantType,
      clientId,
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
  return service.supportedGrantTypes.includes('REFRESH_TOKEN') && grantType !== 'IMPLICIT' && grantType !== 'CLIENT_CREDENTIALS';
}

/** Semantic checks that need the service and its clients; values are generated when not supplied. */
export function prepareToken(service: Service, client: Client | undefined, input: CreateInput, now: number): NewToken {
  if (!client) {
    throw badRequest(CREATE_CODES.clientUnknown, `The client (ID = ${input.clientId}) does not exist in the service.`, 'BAD_REQUEST');
  }
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

export function duplicateError(which: 'access' | 'refresh'): AuthleteError {
  return which === 'access'
    ? badRequest(CREATE_CODES.accessTokenDuplicate, 'The access token value cannot be used: a token with the same hash already exists.', 'BAD_REQUEST')
    : badRequest(CREATE_CODES.refreshTokenDuplicate, 'The refresh token value cannot be used: a token with the same hash already exists.', 'BAD_REQUEST');
}

function isUniqueViolation(e: unknown): e is { code: string; constraint?: string; message: string } {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === '23505';
}

export async function handleCreate(ctx: Ctx): Promise<Reply> {
  const params = await readParams(ctx, CREATE_CODES.malformed);
  const input = readCreateInput(params);
  const client = await findClient(ctx.db, ctx.service.serviceId, input.clientId.toString());
  const token = prepareToken(ctx.service, client ?? undefined, input, ctx.now());
  try {
    await insertTokens(ctx.db, [token]);
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw duplicateError(/refresh/.test(e.constraint ?? e.message) ? 'refresh' : 'access');
    }
    throw e;
  }
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
    throw badRequest(LIST_CODES.range, `The range from 'start' to 'end' must not exceed ${MAX_LIST_PAGE} (was ${end - start}).`);
  }
  const statusText = (query.get('tokenStatus') || 'ALL').toUpperCase();
  if (!(TOKEN_STATUSES as readonly string[]).includes(statusText)) {
    throw badRequest(LIST_CODES.status, `'tokenStatus' must be VALID, INVALID or ALL, not '${query.get('tokenStatus')}'.`);
  }
  const status = statusText as (typeof TOKEN_STATUSES)[number];
  const subject = query.get('subject') || undefined;
  const clientIdentifier = query.get('clientIdentifier') || undefined;
  let client: Client | null = null;
  if (clientIdentifier !== undefined) {
    client = await findClient(db, service.serviceId, clientIdentifier);
    if (!client) throw badRequest(LIST_CODES.client, `No client has the identifier '${clientIdentifier}' in the service.`);
  }

  const now = BigInt(ctx.now()).toString();
  const where = ['service_id = $1'];
  const args: unknown[] = [service.serviceId.toString()];
  if (client) {
    args.push(client.clientId.toString());
    where.push(`client_id = $${args.length}`);
  }
  if (subject !== undefined) {
    args.push(subject);
    where.push(`subject = $${args.length}`);
  }
  const baseArgs = args.length;
  if (status !== 'ALL') {
    args.push(now);
    where.push(status === 'VALID' ? `access_token_expires_at > $${args.length}` : `access_token_expires_at <= $${args.length}`);
  }
  const rows =
    end > start
      ? (
          await db.query<TokenRow>(
            `SELECT * FROM tokens WHERE ${where.join(' AND ')} ORDER BY id LIMIT ${end - start} OFFSET ${start}`,
            args,
          )
        ).rows
      : [];
  const totalCount = await countTokens(db, where, args, baseArgs, subject !== undefined, client, status, now, service);
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

/**
 * totalCount without scanning a million rows: a subject's tokens are few, so they are counted
 * directly; otherwise the trigger-maintained per-client totals are used, minus the expired tokens
 * (an index range scan on expiry) when a status is asked for.
 */
async function countTokens(
  db: Db,
  where: string[],
  args: unknown[],
  baseArgs: number,
  bySubject: boolean,
  client: Client | null,
  status: string,
  now: string,
  service: Service,
): Promise<number> {
  if (bySubject) {
    const r = await db.query<{ n: bigint }>(`SELECT count(*) AS n FROM tokens WHERE ${where.join(' AND ')}`, args);
    return Number(r.rows[0]?.n ?? 0n);
  }
  const totalArgs = client ? [service.serviceId.toString(), client.clientId.toString()] : [service.serviceId.toString()];
  const totalRow = await db.query<{ n: bigint | null }>(
    `SELECT sum(total)::bigint AS n FROM token_counts WHERE service_id = $1${client ? ' AND client_id = $2' : ''}`,
    totalArgs,
  );
  const total = Number(totalRow.rows[0]?.n ?? 0n);
  if (status === 'ALL') return total;
  const expiredWhere = where.slice(0, baseArgs);
  const expiredArgs = [...args.slice(0, baseArgs), now];
  const expired = await db.query<{ n: bigint }>(
    `SELECT count(*) AS n FROM tokens WHERE ${expiredWhere.join(' AND ')} AND access_token_expires_at <= $${expiredArgs.length}`,
    expiredArgs,
  );
  const expiredCount = Number(expired.rows[0]?.n ?? 0n);
  return status === 'VALID' ? total - expiredCount : expiredCount;
}

// ── update ───────────────────────────────────────────────────────────────────

const UPDATE_CODES = { malformed: 'A135201', identifier: 'A135202', expiry: 'A135203', notFound: 'A135301' } as const;

async function findTokenByHash(db: Db, serviceId: bigint, hash: string): Promise<TokenRow | null> {
  const r = await db.query<TokenRow>('SELECT * FROM tokens WHERE service_id = $1 AND access_token_hash = $2', [
    serviceId.toString(),
    hash,
  ]);
  return r.rows[0] ?? null;
}

export async function handleUpdate(ctx: Ctx): Promise<Reply> {
  const params = await readParams(ctx, UPDATE_CODES.malformed);
  const { db, service } = ctx;
  const fields = withAction(() => {
    const accessToken = params.string('accessToken') || undefined;
    const accessTokenHash = params.string('accessTokenHash') || undefined;
    if (!accessToken && !accessTokenHash) {
      throw badRequest(UPDATE_CODES.identifier, "Either 'accessToken' or 'accessTokenHash' is required.");
    }
    const expiresAt = params.int64('accessTokenExpiresAt');
    const refreshExpiresAt = params.int64('refreshTokenExpiresAt');
    for (const [name, v] of [['accessTokenExpiresAt', expiresAt], ['refreshTokenExpiresAt', refreshExpiresAt]] as const) {
      if (v !== undefined && v >= PERSISTENT_EXPIRES_AT) throw badRequest(UPDATE_CODES.expiry, `'${name}' is too large.`);
    }
    return {
      accessToken,
      accessTokenHash,
      expiresAt,
      refreshExpiresAt,
      scopes: params.stringArray('scopes'),
      persistent: params.boolean('accessTokenPersistent'),
      properties: readProperties(params, UPDATE_CODES.malformed),
    };
  });
  // The value takes precedence over the hash, as the spec says.
  const hash = fields.accessToken ? tokenHash(fields.accessToken) : fields.accessTokenHash!;
  const token = await findTokenByHash(db, service.serviceId, hash);
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
  // Scopes the service does not support are ignored, as Authlete documents for this API.
  const supported = new Set(service.supportedScopes.map((s) => s.name));
  const scopes = fields.scopes ? [...new Set(fields.scopes)].filter((s) => supported.has(s)) : token.scopes;
  const properties = fields.properties ?? token.properties;
  let refreshExpiresAt = token.refresh_token_expires_at;
  if (token.refresh_token_hash && fields.refreshExpiresAt !== undefined && fields.refreshExpiresAt > 0n) {
    refreshExpiresAt = fields.refreshExpiresAt;
  }
  await db.query(
    `UPDATE tokens SET scopes = $2::jsonb, properties = $3::jsonb, access_token_persistent = $4,
       access_token_expires_at = $5, refresh_token_expires_at = $6 WHERE id = $1`,
    [
      token.id.toString(),
      JSON.stringify(scopes),
      properties === null ? null : JSON.stringify(properties),
      persistent,
      expiresAt.toString(),
      refreshExpiresAt.toString(),
    ],
  );
  return {
    status: 200,
    body: {
      resultCode: 'A135001',
      resultMessage: '[A135001] Updated the access token successfully.',
      action: 'OK',
      ...(fields.accessToken ? { accessToken: fields.accessToken } : {}),
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
      throw new AuthleteError(404, REVOKE_CODES.notFound, `The ${accessId ? 'access' : 'refresh'} token does not exist.`);
    }
  } else if (clientIdentifier || subject) {
    const where = ['service_id = $1'];
    const args: unknown[] = [sid];
    if (clientIdentifier) {
      const client = await findClient(db, service.serviceId, clientIdentifier);
      if (!client) throw badRequest(REVOKE_CODES.client, `No client has the identifier '${clientIdentifier}' in the service.`);
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

export async function handleDelete(ctx: Ctx): Promise<Reply> {
  const identifier = ctx.pathParams[0]!;
  const r = await ctx.db.query('DELETE FROM tokens WHERE service_id = $1 AND access_token_hash IN ($2, $3)', [
    ctx.service.serviceId.toString(),
    tokenHash(identifier),
    identifier,
  ]);
  if ((r.affectedRows ?? 0) === 0) throw new AuthleteError(404, 'A136201', 'The access token does not exist.');
  return { status: 204 };
}
