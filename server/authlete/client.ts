import pMap, { pMapStop } from 'p-map';
import pRetry from 'p-retry';
import { Agent, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { sha256Base64Url } from '@/lib/hash';
import type {
  BatchStatus,
  Client,
  Scope,
  Token,
  TokenCreated,
  TokenCreateInput,
  TokenProperty,
  TokenStatusFilter,
  TokenUpdateInput,
} from '@/lib/schemas';
import { AuthleteError, type AuthleteErrorInit } from './errors';
import { parseUpstreamJson, stringifyUpstreamJson, wireInteger } from './json';
import { pathSegment, serviceRoot, upstreamUrl, type QueryValue } from './path';
import {
  wireClientListResponseSchema,
  wireIntrospectionResponseSchema,
  wireResultSchema,
  wireServiceSchema,
  wireTokenBatchCreateResponseSchema,
  wireTokenBatchStatusResponseSchema,
  wireTokenCreateResponseSchema,
  wireTokenListResponseSchema,
  wireTokenRevokeResponseSchema,
  wireTokenUpdateResponseSchema,
  type WireAccessToken,
  type WireProperty,
} from './wire';

/** undici's errors for a connect, headers or body wait that ran past its timeout. */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Authlete answers an error when one list call asks for more than this many tokens. */
export const UPSTREAM_PAGE_LIMIT = 20;

export interface RetryPolicy {
  /** Extra attempts after the first, for idempotent calls only. */
  retries: number;
  /** First backoff; doubles each retry, randomised ×1-2 (jitter), capped at `maxDelayMs`. */
  minDelayMs: number;
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the 429 goes back to the caller. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 2,
  minDelayMs: 200,
  maxDelayMs: 2_000,
  maxRetryAfterSeconds: 10,
};

export interface AuthleteClientOptions {
  baseUrl: string;
  serviceId: string;
  serviceAccessToken: string;
  /**
   * Per attempt: connecting, waiting for the answer's headers and each wait for its body get this
   * long. undici checks timeouts over a second every half second, so a call gives up up to a second late.
   */
  timeoutMs: number;
  retry?: Partial<RetryPolicy>;
  /**
   * A find-by-hash scan (Authlete has no get-by-hash; it is always narrowed by subject and/or
   * client) reads at most this many of the newest matching tokens: 100 list calls by default.
   */
  findScanLimit?: number;
  /** List calls in flight at once during a find-by-hash scan or a fanned-out page. */
  concurrency?: number;
  /**
   * The connection pool (undici). Tests pass a MockAgent for answers the emulator cannot produce
   * (e.g. a malformed body); by default each client keeps its own pool of keep-alive connections.
   */
  dispatcher?: Dispatcher;
}

export const DEFAULT_FIND_SCAN_LIMIT = 2_000;
const DEFAULT_CONCURRENCY = 5;

export interface TokenListFilter {
  subject?: string;
  clientId?: string;
  status: TokenStatusFilter;
}

export interface TokenPage {
  tokens: Token[];
  totalCount: number;
}

/** What a find-by-hash scan read, so the person can be told what was searched. */
export interface ScanReport {
  subject?: string;
  clientId?: string;
  /** List calls made. */
  pages: number;
  /** Tokens matching the narrowing, and how many of the newest of them were read. */
  totalCount: number;
  tokensRead: number;
  /** Whether the scan stopped at `findScanLimit` before reading every matching token. */
  limitReached: boolean;
}

/** What introspection says about a pasted value (the value itself is never kept). */
export type IntrospectionResult =
  | {
      state: 'active' | 'expired';
      clientId: string;
      subject?: string;
      scopes: string[];
      expiresAt: number;
      grantType?: string;
      properties: TokenProperty[];
    }
  | { state: 'unknown' };

/** A token found from its value: its hash (for the audit), and whether its full record was read. */
export interface TokenLookup {
  hash: string;
  state: 'active' | 'expired';
  token: Token;
  complete: boolean;
  searched?: string;
}

/** What Authlete reports back after an update; absent fields were not echoed. */
export interface TokenUpdateResult {
  scopes?: string[];
  accessTokenExpiresAt?: number;
  refreshTokenExpiresAt?: number;
  properties?: TokenProperty[];
}

/** `tokenStatus` of the list API (sent by Authlete's own Java client; not in the OpenAPI file). */
const upstreamTokenStatus: Record<TokenStatusFilter, string> = { valid: 'VALID', expired: 'INVALID', all: 'ALL' };

/** Expiry at or beyond 9999-12-31 is Authlete's "never" (a persistent token); Token Desk says 0. */
const NEVER_THRESHOLD_MS = 253_402_300_800_000;
const normaliseExpiry = (value: number | null | undefined) =>
  value === null || value === undefined || value >= NEVER_THRESHOLD_MS ? 0 : value;

/** Token properties with Authlete's absent `value`/`hidden` spelt out. */
function toTokenProperties(wire: WireProperty[] | null | undefined): TokenProperty[] {
  return (wire ?? []).map(({ key, value, hidden }) => ({ key, value: value ?? '', hidden: hidden ?? false }));
}

/** ms since epoch from a wire integer (a far-future "never" becomes the nearest number). */
const toTimestamp = (value: number | string | null | undefined) =>
  value === null || value === undefined ? 0 : Number(value);

export function toToken(wire: WireAccessToken): Token {
  return {
    accessTokenHash: wire.accessTokenHash,
    ...(wire.refreshTokenHash ? { refreshTokenHash: wire.refreshTokenHash } : {}),
    clientId: String(wire.clientId),
    ...(wire.subject ? { subject: wire.subject } : {}),
    grantType: wire.grantType ?? 'UNKNOWN',
    scopes: wire.scopes ?? [],
    createdAt: toTimestamp(wire.createdAt),
    accessTokenExpiresAt: normaliseExpiry(toTimestamp(wire.accessTokenExpiresAt)),
    refreshTokenExpiresAt: normaliseExpiry(toTimestamp(wire.refreshTokenExpiresAt)),
    lastRefreshedAt: toTimestamp(wire.lastRefreshedAt),
    properties: toTokenProperties(wire.properties),
    ...(wire.refreshTokenScopes ? { refreshTokenScopes: wire.refreshTokenScopes } : {}),
  };
}

/** A token create request as Authlete takes it, alone or as one row of a batch. */
function wireTokenCreateRequest(input: TokenCreateInput) {
  return {
    grantType: input.grantType,
    clientId: wireInteger(input.clientId),
    subject: input.subject,
    scopes: input.scopes,
    accessTokenDuration: input.accessTokenDuration,
    refreshTokenDuration: input.refreshTokenDuration,
    accessTokenPersistent: input.accessTokenPersistent,
    properties: input.properties,
    accessToken: input.accessToken,
    refreshToken: input.refreshToken,
  };
}

interface CallSpec<S extends z.ZodType | undefined> {
  /** Names the operation in errors and logs, e.g. `token.list`. */
  operation: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Constant path under `/api/{serviceId}`, identifiers already through `pathSegment`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Only idempotent calls are retried; a create must never produce two tokens. */
  idempotent: boolean;
  /** `action` in the answer describes the subject of the call (introspection), not its outcome. */
  actionIsData?: boolean;
  /** Aborts the call (and its retries): the person's request ended, or a sibling call failed. */
  signal?: AbortSignal | undefined;
  /** Zod schema of the 2xx body; undefined for 204-only endpoints. */
  schema: S;
}

/** Seconds from a `Retry-After` header (delta-seconds or HTTP date), if present and sensible. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof AuthleteError)) return false;
  switch (error.code) {
    case 'network':
    case 'timeout':
    case 'rate_limited':
      return true;
    case 'upstream_error':
      return error.status !== undefined && error.status >= 500;
    default:
      return false;
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError('retry'));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(abortedError('retry'));
      },
      { once: true },
    );
  });

const abortedError = (operation: string, cause?: unknown) =>
  new AuthleteError('aborted', 'The request ended before Authlete answered; nothing more was asked of it.', {
    operation,
    cause,
  });

/**
 * Runs `task` over `items`, `concurrency` at a time, for one caller's request. The first failure,
 * or the caller's `signal`, aborts every call still in flight and starts no more; a task that
 * returns `pMapStop` ends the run the same way. No upstream call outlives the run.
 */
async function mapUpstream<T, R>(
  items: readonly T[],
  concurrency: number,
  signal: AbortSignal | undefined,
  task: (item: T, signal: AbortSignal) => Promise<R | typeof pMapStop>,
): Promise<R[]> {
  const run = new AbortController();
  const runSignal = signal ? AbortSignal.any([signal, run.signal]) : run.signal;
  try {
    return await pMap(items, (item) => task(item, runSignal), { concurrency, signal: runSignal });
  } catch (error) {
    throw signal?.aborted ? abortedError('scan', error) : error;
  } finally {
    run.abort();
  }
}

export type AuthleteClient = ReturnType<typeof createAuthleteClient>;

/**
 * The only code that talks to Authlete. Builds every request from scratch (no incoming header is
 * ever forwarded), pins the host to `baseUrl`, refuses redirects, times out every attempt, retries
 * idempotent reads only, and parses every answer against the wire schemas.
 */
export function createAuthleteClient(options: AuthleteClientOptions) {
  const retryPolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  // undici's request API rather than fetch: no WHATWG Request/Response or web streams per call,
  // which cost several times the CPU of the call itself, and it never follows a redirect.
  const dispatcher =
    options.dispatcher ?? new Agent({ connect: { timeout: options.timeoutMs }, keepAliveTimeout: 30_000 });
  const findScanLimit = options.findScanLimit ?? DEFAULT_FIND_SCAN_LIMIT;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  // Fail at construction, not on the first request, when the base URL is unusable.
  const root = serviceRoot(options.baseUrl, options.serviceId);
  upstreamUrl(root, '/');
  // The same on every call, so made once (undici only reads them).
  const readHeaders = { Authorization: `Bearer ${options.serviceAccessToken}`, Accept: 'application/json' };
  const writeHeaders = { ...readHeaders, 'Content-Type': 'application/json' };

  async function attempt<S extends z.ZodType | undefined>(
    spec: CallSpec<S>,
  ): Promise<S extends z.ZodType ? z.output<S> : undefined> {
    const url = upstreamUrl(root, spec.path, spec.query);
    let answer: Dispatcher.ResponseData;
    let text: string;
    try {
      answer = await request(url, {
        signal: spec.signal,
        method: spec.method,
        headers: spec.body === undefined ? readHeaders : writeHeaders,
        body: spec.body === undefined ? undefined : stringifyUpstreamJson(spec.body),
        dispatcher,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      });
      text = await answer.body.text();
    } catch (cause) {
      if (spec.signal?.aborted) throw abortedError(spec.operation, cause);
      throw TIMEOUT_CODES.has((cause as { code?: unknown } | null)?.code as string)
        ? new AuthleteError('timeout', `Authlete did not answer within ${options.timeoutMs} ms.`, {
            operation: spec.operation,
            cause,
          })
        : new AuthleteError('network', 'Could not reach Authlete (connection failed).', {
            operation: spec.operation,
            cause,
          });
    }
    const status = answer.statusCode;
    // The bearer credential must never be sent anywhere but the pinned host: no redirect is followed.
    if (status >= 300 && status < 400) {
      throw new AuthleteError(
        'network',
        `Authlete answered with a redirect (HTTP ${status}), which Token Desk never follows.`,
        {
          status,
          operation: spec.operation,
        },
      );
    }
    if (status >= 400) throw errorFromResponse(spec.operation, status, answer.headers['retry-after'], text);
    if (spec.schema === undefined) return undefined as never;

    let json: unknown;
    try {
      json = parseUpstreamJson(text);
    } catch (cause) {
      throw new AuthleteError('bad_upstream_response', 'Authlete answered with a body that is not JSON.', {
        status,
        operation: spec.operation,
        cause,
      });
    }
    // Create and update answer HTTP 200 with `action` != OK on some failures.
    const action = (json as { action?: unknown } | null)?.action;
    if (!spec.actionIsData && typeof action === 'string' && action !== 'OK')
      throw errorFromAction(spec.operation, action, json);
    const parsed = spec.schema.safeParse(json);
    if (!parsed.success) {
      throw new AuthleteError('bad_upstream_response', "Authlete's answer did not match its API description.", {
        status,
        operation: spec.operation,
        cause: parsed.error,
      });
    }
    return parsed.data as never;
  }

  function call<S extends z.ZodType | undefined>(spec: CallSpec<S>) {
    if (!spec.idempotent || retryPolicy.retries <= 0) return attempt(spec);
    return pRetry(() => attempt(spec), {
      signal: spec.signal,
      retries: retryPolicy.retries,
      factor: 2,
      minTimeout: retryPolicy.minDelayMs,
      maxTimeout: retryPolicy.maxDelayMs,
      randomize: true,
      unref: true,
      shouldRetry: ({ error }) => isRetryable(error),
      onFailedAttempt: async ({ error, retriesLeft }) => {
        if (!(error instanceof AuthleteError) || error.code !== 'rate_limited' || retriesLeft === 0) return;
        const wait = error.retryAfterSeconds;
        if (wait === undefined) return;
        // Waiting longer than the cap would hold the person's request hostage: hand the 429 back.
        if (wait > retryPolicy.maxRetryAfterSeconds) throw error;
        await sleep(wait * 1000, spec.signal);
      },
    });
  }

  async function listChunk(filter: TokenListFilter, start: number, end: number, signal?: AbortSignal) {
    return call({
      signal,
      operation: 'token.list',
      method: 'GET',
      path: '/auth/token/get/list',
      query: {
        clientIdentifier: filter.clientId,
        subject: filter.subject,
        start,
        end,
        tokenStatus: upstreamTokenStatus[filter.status],
      },
      idempotent: true,
      schema: wireTokenListResponseSchema,
    });
  }

  async function resolveCreated(
    wire: z.output<typeof wireTokenCreateResponseSchema>,
    input: TokenCreateInput,
  ): Promise<TokenCreated> {
    if (!wire.accessToken) {
      throw new AuthleteError('bad_upstream_response', 'Authlete reported success but returned no access token.', {
        operation: 'token.create',
      });
    }
    return {
      accessToken: wire.accessToken,
      ...(wire.refreshToken ? { refreshToken: wire.refreshToken } : {}),
      ...(wire.tokenType ? { tokenType: wire.tokenType } : {}),
      ...(wire.expiresIn !== null && wire.expiresIn !== undefined ? { expiresIn: wire.expiresIn } : {}),
      token: {
        accessTokenHash: await sha256Base64Url(wire.accessToken),
        ...(wire.refreshToken ? { refreshTokenHash: await sha256Base64Url(wire.refreshToken) } : {}),
        clientId: wire.clientId ?? input.clientId,
        ...((wire.subject ?? input.subject) ? { subject: (wire.subject ?? input.subject) as string } : {}),
        grantType: wire.grantType ?? input.grantType,
        scopes: wire.scopes,
        accessTokenExpiresAt: normaliseExpiry(wire.expiresAt),
        properties: toTokenProperties(wire.properties),
        ...(wire.refreshTokenScopes ? { refreshTokenScopes: wire.refreshTokenScopes } : {}),
      },
    };
  }

  const client = {
    /**
     * Tokens `start`..`end` (exclusive) matching the filter. Ranges wider than Authlete's 20-token
     * limit are fetched as parallel ≤20-token calls and merged in order.
     */
    async listTokens(filter: TokenListFilter, start: number, end: number, signal?: AbortSignal): Promise<TokenPage> {
      const starts: number[] = [];
      for (let from = start; from < end; from += UPSTREAM_PAGE_LIMIT) starts.push(from);
      const chunks = await mapUpstream(starts, concurrency, signal, (from, callSignal) =>
        listChunk(filter, from, Math.min(from + UPSTREAM_PAGE_LIMIT, end), callSignal),
      );
      const seen = new Set<string>();
      const tokens: Token[] = [];
      for (const chunk of chunks) {
        for (const wire of chunk.accessTokens ?? []) {
          // Tokens created or removed between the calls can shift one into two chunks.
          if (seen.has(wire.accessTokenHash)) continue;
          seen.add(wire.accessTokenHash);
          tokens.push(toToken(wire));
        }
      }
      return { tokens, totalCount: chunks[0]?.totalCount ?? 0 };
    },

    /**
     * Authlete has no get-by-hash: scan the list of the tokens of a subject and/or client (all
     * statuses), a few calls at a time, stopping at the first match. The oldest page comes first
     * (it gives the count), then from the newest end: a token someone asks about is most often a
     * recent one. Reads at most `findScanLimit` tokens; beyond that throws `search_limit_reached`.
     * An unnarrowed scan over the whole service is refused: it would cost thousands of calls.
     */
    async findToken(
      hash: string,
      narrow: { subject?: string; clientId?: string },
      signal?: AbortSignal,
    ): Promise<{ token: Token; searched: ScanReport }> {
      if (!narrow.subject && !narrow.clientId) {
        throw new AuthleteError(
          'narrowing_required',
          "Finding a token by its hash needs the token's subject or client (Authlete can only list tokens); or look it up by pasting its value.",
          { operation: 'token.find' },
        );
      }
      const filter: TokenListFilter = { ...narrow, status: 'all' };
      const first = await listChunk(filter, 0, UPSTREAM_PAGE_LIMIT, signal);
      let found = first.accessTokens?.find((token) => token.accessTokenHash === hash);
      const total = first.totalCount;
      const lowest = Math.max(UPSTREAM_PAGE_LIMIT, total - findScanLimit);
      let pages = 1;
      if (!found) {
        const ranges: Array<[number, number]> = [];
        for (let end = total; end > lowest; end -= UPSTREAM_PAGE_LIMIT) {
          ranges.push([Math.max(lowest, end - UPSTREAM_PAGE_LIMIT), end]);
        }
        await mapUpstream(ranges, concurrency, signal, async ([from, to], callSignal) => {
          pages++;
          const page = await listChunk(filter, from, to, callSignal);
          const match = page.accessTokens?.find((token) => token.accessTokenHash === hash);
          if (!match) return undefined;
          found = match;
          return pMapStop;
        });
      }
      const limitReached = lowest > UPSTREAM_PAGE_LIMIT;
      const searched: ScanReport = {
        ...narrow,
        pages,
        totalCount: total,
        tokensRead: Math.min(total, UPSTREAM_PAGE_LIMIT + (total - lowest)),
        limitReached,
      };
      if (found) return { token: toToken(found), searched };
      const what = describeScan(searched);
      if (limitReached) {
        throw new AuthleteError(
          'search_limit_reached',
          `Searched ${what} without finding this hash; give both the subject and the client, or paste the token's value.`,
          {
            operation: 'token.find',
          },
        );
      }
      throw new AuthleteError(
        'not_found',
        `No token has this hash: searched ${what} (it may have expired and been removed).`,
        {
          status: 404,
          operation: 'token.find',
        },
      );
    },

    /**
     * Authlete's introspection of a pasted value: one call, whatever the size of the service.
     * Side effect (Authlete's): an expired token is deleted by being introspected. Never retried,
     * and the value goes nowhere but the request body.
     */
    async introspectToken(value: string, signal?: AbortSignal): Promise<IntrospectionResult> {
      const wire = await call({
        operation: 'token.introspect',
        method: 'POST',
        path: '/auth/introspection',
        body: { token: value },
        idempotent: false,
        actionIsData: true,
        schema: wireIntrospectionResponseSchema,
        signal,
      });
      const known = (state: 'active' | 'expired'): IntrospectionResult => ({
        state,
        clientId: wire.clientId ?? '',
        ...(wire.subject ? { subject: wire.subject } : {}),
        scopes: wire.scopes ?? [],
        expiresAt: normaliseExpiry(wire.expiresAt),
        ...(wire.grantType ? { grantType: wire.grantType } : {}),
        properties: toTokenProperties(wire.properties),
      });
      switch (wire.action) {
        case 'OK':
        // Only a required scope or subject makes it FORBIDDEN, and none is sent: the token is live.
        case 'FORBIDDEN':
          return known('active');
        case 'UNAUTHORIZED':
          return wire.existent && wire.clientId ? known('expired') : { state: 'unknown' };
        case 'BAD_REQUEST':
          throw new AuthleteError(
            'upstream_rejected',
            `Authlete refused to introspect this value.${wire.resultMessage ? ` Authlete said: ${wire.resultMessage}` : ''}`,
            {
              status: 200,
              operation: 'token.introspect',
              ...(wire.resultCode ? { resultCode: String(wire.resultCode) } : {}),
            },
          );
        default:
          throw new AuthleteError(
            'upstream_error',
            'Authlete failed to introspect the token (INTERNAL_SERVER_ERROR).',
            {
              status: 200,
              operation: 'token.introspect',
              ...(wire.resultCode ? { resultCode: String(wire.resultCode) } : {}),
            },
          );
      }
    },

    /**
     * A token from its pasted value: introspection (one call) says whether it exists and whose it
     * is, then a scan of that subject's tokens of that client (small) returns its full record.
     * When that record is not among the tokens searched, the token is built from introspection.
     * Side effect (Authlete's): introspecting an expired token deletes it.
     */
    async lookupTokenByValue(value: string, signal?: AbortSignal): Promise<TokenLookup> {
      const hash = await sha256Base64Url(value);
      const introspected = await client.introspectToken(value, signal);
      if (introspected.state === 'unknown') {
        throw new AuthleteError(
          'not_found',
          'No token has this value: Authlete does not know it (it may have expired and been swept, been revoked or deleted, or been mistyped).',
          {
            operation: 'token.introspect',
          },
        );
      }
      const fromIntrospection: Token = {
        accessTokenHash: hash,
        clientId: introspected.clientId,
        ...(introspected.subject ? { subject: introspected.subject } : {}),
        grantType: introspected.grantType ?? 'UNKNOWN',
        scopes: introspected.scopes,
        createdAt: 0,
        accessTokenExpiresAt: introspected.expiresAt,
        refreshTokenExpiresAt: 0,
        lastRefreshedAt: 0,
        properties: introspected.properties,
      };
      // Gone now (introspection deleted it): there is no record left to read.
      if (introspected.state === 'expired')
        return { hash, state: 'expired', token: fromIntrospection, complete: false };
      try {
        const { token, searched } = await client.findToken(
          hash,
          { subject: introspected.subject, clientId: introspected.clientId },
          signal,
        );
        return { hash, state: 'active', token, complete: true, searched: describeScan(searched) };
      } catch (error) {
        if (!(error instanceof AuthleteError) || (error.code !== 'search_limit_reached' && error.code !== 'not_found'))
          throw error;
        return { hash, state: 'active', token: fromIntrospection, complete: false, searched: error.message };
      }
    },

    /** Never retried: a retry after a lost answer could create a second token. */
    async createToken(input: TokenCreateInput): Promise<TokenCreated> {
      const wire = await call({
        operation: 'token.create',
        method: 'POST',
        path: '/auth/token/create',
        body: wireTokenCreateRequest(input),
        idempotent: false,
        schema: wireTokenCreateResponseSchema,
      });
      return resolveCreated(wire, input);
    },

    async updateToken(hash: string, input: TokenUpdateInput): Promise<TokenUpdateResult> {
      const wire = await call({
        operation: 'token.update',
        method: 'POST',
        path: '/auth/token/update',
        body: {
          accessTokenHash: hash,
          scopes: input.scopes,
          accessTokenExpiresAt: input.accessTokenExpiresAt,
          accessTokenPersistent: input.accessTokenPersistent,
          properties: input.properties,
          refreshTokenExpiresAt: input.refreshTokenExpiresAt,
        },
        idempotent: false,
        schema: wireTokenUpdateResponseSchema,
      });
      return {
        ...(wire.scopes ? { scopes: wire.scopes } : {}),
        ...(wire.accessTokenExpiresAt ? { accessTokenExpiresAt: normaliseExpiry(wire.accessTokenExpiresAt) } : {}),
        ...(wire.refreshTokenExpiresAt ? { refreshTokenExpiresAt: normaliseExpiry(wire.refreshTokenExpiresAt) } : {}),
        ...(wire.properties ? { properties: toTokenProperties(wire.properties) } : {}),
      };
    },

    /**
     * Replaces the access token's value (Authlete's `accessTokenValueUpdated`): the old value and
     * hash stop working. The new value is in this answer only; the caller shows it once and keeps
     * nothing but its hash. Never retried: a second call would replace the value again.
     */
    async rotateTokenValue(hash: string): Promise<{ accessToken: string; accessTokenHash: string }> {
      const wire = await call({
        operation: 'token.rotate',
        method: 'POST',
        path: '/auth/token/update',
        body: { accessTokenHash: hash, accessTokenValueUpdated: true },
        idempotent: false,
        schema: wireTokenUpdateResponseSchema,
      });
      if (!wire.accessToken) {
        throw new AuthleteError(
          'bad_upstream_response',
          'Authlete reported success but returned no new access token value.',
          {
            operation: 'token.rotate',
          },
        );
      }
      return { accessToken: wire.accessToken, accessTokenHash: await sha256Base64Url(wire.accessToken) };
    },

    /** Revokes one access token (and its refresh token); returns how many Authlete revoked. */
    async revokeToken(hash: string): Promise<number> {
      const wire = await call({
        operation: 'token.revoke',
        method: 'POST',
        path: '/auth/token/revoke',
        body: { accessTokenIdentifier: hash },
        idempotent: false,
        schema: wireTokenRevokeResponseSchema,
      });
      return wire.count;
    },

    /** Revokes every token of `subject`, optionally only those of one client. */
    async revokeSubjectTokens(subject: string, clientId?: string): Promise<number> {
      // Without a subject Authlete would revoke every token of the client (or answer 400): never send that.
      if (subject.trim() === '')
        throw new AuthleteError('invalid_identifier', 'A subject is required to revoke all of its tokens.');
      const wire = await call({
        operation: 'token.revoke_all',
        method: 'POST',
        path: '/auth/token/revoke',
        body: { subject, clientIdentifier: clientId },
        idempotent: false,
        schema: wireTokenRevokeResponseSchema,
      });
      return wire.count;
    },

    async deleteToken(hash: string): Promise<void> {
      await call({
        operation: 'token.delete',
        method: 'DELETE',
        path: `/auth/token/delete/${pathSegment(hash, 'token hash')}`,
        idempotent: false,
        schema: undefined,
      });
    },

    /** Starts an asynchronous batch; with `dryRun` Authlete validates every row but creates nothing. */
    async createBatch(tokens: TokenCreateInput[], dryRun: boolean): Promise<{ requestId: string }> {
      const wire = await call({
        operation: 'batch.create',
        method: 'POST',
        path: '/auth/token/create/batch',
        query: { dryRun },
        body: tokens.map(wireTokenCreateRequest),
        idempotent: false,
        schema: wireTokenBatchCreateResponseSchema,
      });
      return { requestId: wire.requestId };
    },

    async getBatchStatus(requestId: string): Promise<BatchStatus> {
      const wire = await call({
        operation: 'batch.status',
        method: 'GET',
        path: `/auth/token/create/batch/status/${pathSegment(requestId, 'batch request ID')}`,
        idempotent: true,
        schema: wireTokenBatchStatusResponseSchema,
      });
      const { status } = wire;
      const state = status.result === 'SUCCEEDED' ? 'succeeded' : status.result === 'FAILED' ? 'failed' : 'running';
      return {
        requestId: status.requestId ?? requestId,
        state,
        tokenCount: status.tokenCount ?? 0,
        ...(status.errorCode ? { errorCode: status.errorCode } : {}),
        ...(status.errorDescription ? { errorDescription: status.errorDescription } : {}),
        ...(status.createdAt ? { createdAt: status.createdAt } : {}),
        ...(status.modifiedAt ? { modifiedAt: status.modifiedAt } : {}),
      };
    },

    /** Every client of the service (pages of 100, up to `maxClients`). */
    async listClients(maxClients = 1_000): Promise<Client[]> {
      const pageSize = 100;
      const fetchPage = (start: number, signal?: AbortSignal) =>
        call({
          signal,
          operation: 'client.list',
          method: 'GET',
          path: '/client/get/list',
          query: { start, end: Math.min(start + pageSize, maxClients) },
          idempotent: true,
          schema: wireClientListResponseSchema,
        });
      const first = await fetchPage(0);
      const starts: number[] = [];
      for (let from = pageSize; from < Math.min(first.totalCount, maxClients); from += pageSize) starts.push(from);
      const pages = [
        first,
        ...(await mapUpstream(starts, concurrency, undefined, (from, signal) => fetchPage(from, signal))),
      ];
      return pages.flatMap((page) =>
        (page.clients ?? []).map((client) => ({
          clientId: client.clientId,
          ...(client.clientIdAlias ? { clientIdAlias: client.clientIdAlias } : {}),
          ...(client.clientName ? { clientName: client.clientName } : {}),
        })),
      );
    },

    /** The scopes the service supports (for scope pickers). */
    async listSupportedScopes(): Promise<Scope[]> {
      const service = await call({
        operation: 'service.get',
        method: 'GET',
        path: '/service/get',
        idempotent: true,
        schema: wireServiceSchema,
      });
      return service.supportedScopes.map((scope) => ({
        name: scope.name,
        ...(scope.description ? { description: scope.description } : {}),
      }));
    },
  };
  return client;
}

/** "the newest 2,000 of 250,000 tokens of client 123 (101 pages)" */
export function describeScan(scan: ScanReport): string {
  const owner = [scan.subject && `subject ${scan.subject}`, scan.clientId && `client ${scan.clientId}`]
    .filter(Boolean)
    .join(' and ');
  const pages = `${scan.pages} page${scan.pages === 1 ? '' : 's'}`;
  return scan.limitReached
    ? `the oldest ${UPSTREAM_PAGE_LIMIT} and newest ${scan.tokensRead - UPSTREAM_PAGE_LIMIT} of ${scan.totalCount} tokens of ${owner} (${pages})`
    : `all ${scan.totalCount} token${scan.totalCount === 1 ? '' : 's'} of ${owner} (${pages})`;
}

function readResult(text: string): { resultCode?: string; resultMessage?: string } {
  try {
    const parsed = wireResultSchema.safeParse(parseUpstreamJson(text));
    if (!parsed.success) return {};
    return {
      ...(parsed.data.resultCode !== null && parsed.data.resultCode !== undefined
        ? { resultCode: String(parsed.data.resultCode) }
        : {}),
      ...(parsed.data.resultMessage ? { resultMessage: parsed.data.resultMessage } : {}),
    };
  } catch {
    return {};
  }
}

/**
 * Operations whose only input is an identifier already checked here, so a 400 means Authlete does
 * not know it: its OpenAPI lists 400, not 404, for an unknown token (delete) or batch (status).
 */
const GONE_ON_400 = new Set(['token.delete', 'batch.status']);

function errorFromResponse(
  operation: string,
  status: number,
  retryAfter: string | string[] | undefined,
  text: string,
): AuthleteError {
  const result = readResult(text);
  const init = { status, operation, ...result };
  const said = result.resultMessage ? ` Authlete said: ${result.resultMessage}` : '';
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter((Array.isArray(retryAfter) ? retryAfter[0] : retryAfter) ?? null);
    return new AuthleteError('rate_limited', 'Authlete is rate-limiting Token Desk; try again shortly.', {
      ...init,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    });
  }
  if (status === 401 || status === 403) {
    return new AuthleteError(
      'upstream_unauthorized',
      `Authlete refused Token Desk's service credentials; check AUTHLETE_SERVICE_ID and AUTHLETE_SERVICE_ACCESS_TOKEN.${said}`,
      init,
    );
  }
  if (status === 404 || (status === 400 && GONE_ON_400.has(operation))) {
    return new AuthleteError('not_found', `Authlete has no such item.${said}`, init);
  }
  if (status === 409) return new AuthleteError('conflict', `Authlete reports a conflict.${said}`, init);
  if (status >= 400 && status < 500) {
    return new AuthleteError('upstream_rejected', `Authlete refused the request.${said}`, init);
  }
  return new AuthleteError('upstream_error', `Authlete failed with HTTP ${status}.${said}`, init);
}

function errorFromAction(operation: string, action: string, json: unknown): AuthleteError {
  const parsed = wireResultSchema.safeParse(json);
  const resultCode = parsed.success && parsed.data.resultCode != null ? String(parsed.data.resultCode) : undefined;
  const resultMessage = parsed.success ? (parsed.data.resultMessage ?? undefined) : undefined;
  const init = { status: 200, operation, resultCode, resultMessage };
  const said = resultMessage ? ` Authlete said: ${resultMessage}` : '';
  switch (action) {
    case 'NOT_FOUND':
      return new AuthleteError('not_found', `Authlete has no such token.${said}`, init);
    case 'FORBIDDEN':
      return forbiddenError(resultCode, init);
    case 'BAD_REQUEST':
      return new AuthleteError('upstream_rejected', `Authlete refused the request.${said}`, init);
    default:
      return new AuthleteError('upstream_error', `Authlete failed (${action}).${said}`, init);
  }
}

/** Authlete's result codes of a create or update refused with `action: FORBIDDEN`. */
const FORBIDDEN_CODES = { clientLocked: 'A001215', foreignClient: 'A109214', foreignToken: 'A135204' } as const;

/**
 * `action: FORBIDDEN` on create or update: a locked client, or a client or token of another
 * service (Authlete does not say "does not exist" for those). The message says what to do instead.
 */
function forbiddenError(resultCode: string | undefined, init: AuthleteErrorInit): AuthleteError {
  if (resultCode === FORBIDDEN_CODES.clientLocked) {
    return new AuthleteError(
      'client_locked',
      'This client is locked in Authlete: no token can be created or changed for it until an administrator unlocks it (Authlete console, or the client lock API).',
      init,
    );
  }
  const what =
    resultCode === FORBIDDEN_CODES.foreignClient
      ? 'This client belongs to another Authlete service'
      : resultCode === FORBIDDEN_CODES.foreignToken
        ? 'This token belongs to another Authlete service'
        : 'This client or token belongs to another Authlete service';
  return new AuthleteError(
    'foreign_resource',
    `${what}, not the one Token Desk manages (AUTHLETE_SERVICE_ID): manage it from that service, or choose one of this service's clients.`,
    init,
  );
}
