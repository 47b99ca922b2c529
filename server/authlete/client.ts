import { pMapStop } from 'p-map';
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
import { authorizationOperations } from './authorizations';
import { AuthleteError } from './errors';
import { pathSegment } from './path';
import { apiRoot } from './path';
import { createTransport, dialectFor, mapUpstream, type AuthleteTarget, type TransportOptions } from './transport';
import {
  normaliseExpiry,
  toToken,
  toTokenCreated,
  toTokenProperties,
  upstreamTokenStatus,
  wireClientFlagUpdateResponseSchema,
  wireClientListResponseSchema,
  wireIntrospectionResponseSchema,
  wireServiceListResponseSchema,
  wireServiceSchema,
  wireTokenBatchCreateResponseSchema,
  wireTokenBatchStatusResponseSchema,
  wireTokenCreateRequest,
  wireTokenCreateResponseSchema,
  wireTokenListResponseSchema,
  wireTokenRevokeResponseSchema,
  wireTokenUpdateResponseSchema,
} from './wire';

/**
 * The operations Token Desk asks of Authlete, in its own terms (lib/schemas). How a call travels
 * (timeouts, retries, errors) is server/authlete/transport.ts; the wire format and its mapping
 * are server/authlete/wire.ts.
 */

/** Authlete answers an error when one list call asks for more than this many tokens. */
export const UPSTREAM_PAGE_LIMIT = 20;

/**
 * One service's client: the target (cluster, API version, credentials; svc's service list builds
 * it) and how calls behave. Nothing above this floor knows the version: the client speaks 3.x or
 * 2.x as its target says, and refuses what the version lacks (2.x: the batch API) with `not_supported`.
 */
export interface AuthleteClientOptions extends AuthleteTarget, Omit<TransportOptions, 'dialect' | 'timeoutMs'> {
  /** Per attempt (see TransportOptions); 5 s by default. */
  timeoutMs?: number | undefined;
  /**
   * A find-by-hash scan (Authlete has no get-by-hash; it is always narrowed by subject and/or
   * client) reads at most this many of the newest matching tokens: 100 list calls by default.
   */
  findScanLimit?: number;
  /** List calls in flight at once during a find-by-hash scan or a fanned-out page. */
  concurrency?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
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

export type AuthleteClient = ReturnType<typeof createAuthleteClient>;

/** The only code that talks to Authlete: its operations over one transport (see transport.ts). */
export function createAuthleteClient(options: AuthleteClientOptions) {
  const dialect = dialectFor(options);
  const { call } = createTransport({
    dialect,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
  });
  const findScanLimit = options.findScanLimit ?? DEFAULT_FIND_SCAN_LIMIT;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;

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

  /** Authlete 2.x has no batch API (its Java client throws "not supported"): refused before any call. */
  function assertBatchApi(operation: string) {
    if (dialect.apiVersion === 2) {
      throw new AuthleteError(
        'not_supported',
        'This service runs Authlete 2.x, which has no batch API: tokens are issued one by one instead.',
        { operation },
      );
    }
  }

  const client = {
    ...authorizationOperations(call),
    /**
     * What this service's Authlete offers, for code that picks a way to do its work (bulk issue:
     * one batch request per chunk, or single creates). Says nothing of how calls are made.
     */
    capabilities: { batch: dialect.apiVersion === 3 },

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
    async lookupTokenByValue(
      value: string,
      signal?: AbortSignal,
      /** A client scope (server/auth/scope.ts): a token of a client it refuses is answered as unknown. */
      allowClient: (clientId: string) => boolean = () => true,
    ): Promise<TokenLookup> {
      const hash = await sha256Base64Url(value);
      const introspected = await client.introspectToken(value, signal);
      if (introspected.state === 'unknown' || !allowClient(introspected.clientId)) {
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
      return toTokenCreated(wire, input);
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

    /** Revokes every token of one client (Authlete's revoke by `clientIdentifier` alone): one call. */
    async revokeClientTokens(clientId: string): Promise<number> {
      if (clientId.trim() === '')
        throw new AuthleteError('invalid_identifier', 'A client is required to revoke all of its tokens.');
      const wire = await call({
        operation: 'token.revoke_client',
        method: 'POST',
        path: '/auth/token/revoke',
        body: { clientIdentifier: clientId },
        idempotent: false,
        schema: wireTokenRevokeResponseSchema,
      });
      return wire.count;
    },

    /** Locks or unlocks a client (`client/lock_flag/update`): a locked client gets no new tokens. */
    async setClientLocked(clientId: string, locked: boolean): Promise<void> {
      await call({
        operation: locked ? 'client.lock' : 'client.unlock',
        method: 'POST',
        path: `/client/lock_flag/update/${pathSegment(clientId, 'client ID')}`,
        body: { clientLocked: locked },
        // Setting a flag to a value is the same however often it is done.
        idempotent: true,
        schema: wireClientFlagUpdateResponseSchema,
      });
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
      assertBatchApi('batch.create');
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
      assertBatchApi('batch.status');
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
          ...(client.locked ? { locked: true } : {}),
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

/** A service an organization token can see: its id (3.x: the API key) and name. */
export interface OrganizationService {
  serviceId: string;
  name: string;
}

/** Services read by one discovery at most (pages of 100); an organization with more is cut here. */
const DISCOVERY_LIMIT = 1_000;
const DISCOVERY_PAGE = 100;

/**
 * The services a 3.x organization token can see (`GET /api/service/get/list`, no service id):
 * only their ids and names are read, so the API secrets a full view carries never leave this function.
 */
export async function listOrganizationServices(options: {
  baseUrl: string;
  organizationToken: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}): Promise<OrganizationService[]> {
  const { call } = createTransport({
    dialect: { apiVersion: 3, root: apiRoot(options.baseUrl), authorization: `Bearer ${options.organizationToken}` },
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  });
  const found: OrganizationService[] = [];
  for (let start = 0; start < DISCOVERY_LIMIT; start += DISCOVERY_PAGE) {
    const page = await call({
      signal: options.signal,
      operation: 'service.list',
      method: 'GET',
      path: '/service/get/list',
      query: { start, end: start + DISCOVERY_PAGE },
      idempotent: true,
      schema: wireServiceListResponseSchema,
    });
    found.push(...page.services.map((service) => ({ serviceId: service.apiKey, name: service.serviceName ?? '' })));
    if (page.services.length < DISCOVERY_PAGE || found.length >= (page.totalCount ?? 0)) break;
  }
  return found;
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
