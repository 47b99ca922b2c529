/**
 * The browser's typed client for Token Desk's own API (never Authlete directly). Type-only imports
 * keep zod out of the browser bundle; the server has validated every answer's shape already.
 */
import type { ApiErrorEnvelope } from './schemas/error';
import { serviceApiPath } from './service-paths';
import type { TokenHistoryResponse } from './schemas/audit';
import type { ClientListResponse } from './schemas/client';
import type { OverviewResponse, ServicesResponse, TrendsResponse } from './schemas/overview';
import type { ScopeListResponse } from './schemas/scope';
import type {
  DeleteRequest,
  RevokeAllRequest,
  RevokeRequest,
  RevokeResult,
  RotateRequest,
  TokenCreated,
  TokenCreateFormValues,
  TokenListQueryInput,
  TokenListResponse,
  TokenLookupResponse,
  TokenResponse,
  TokenRotated,
  TokenUpdateResponse,
  TokenUpdateInput,
} from './schemas/token';

/** A failed API call: the envelope's code, message, details and request id, plus the HTTP status. */
/** The request was sent for a second person's approval (four-eyes): not done, not failed either. */
export function isApprovalRequested(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'approval_requested';
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the request never got an answer. */
    readonly status: number,
    /** Stable snake_case code (`validation_failed`, `forbidden`, `rate_limited`, ...; see lib/schemas/error.ts). */
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly requestId?: string,
    /** Seconds to wait before retrying, from `Retry-After` on a 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Per-field messages of a 400 `validation_failed`, keyed by dot path (`tokens.3.subject`). */
  get fieldErrors(): Record<string, string[]> {
    const fields = this.details?.fieldErrors;
    return fields && typeof fields === 'object' ? (fields as Record<string, string[]>) : {};
  }
}

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

function isEnvelope(value: unknown): value is ApiErrorEnvelope {
  const error = (value as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  return (
    typeof error === 'object' && error !== null && typeof error.code === 'string' && typeof error.message === 'string'
  );
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  const requestId = response.headers.get('x-request-id') ?? undefined;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (isEnvelope(body)) {
    const { code, message, details, requestId: id } = body.error;
    return new ApiError(response.status, code, message, details, id ?? requestId, retryAfterSeconds);
  }
  return new ApiError(
    response.status,
    response.status >= 500 ? 'internal_error' : 'unexpected_response',
    `The server answered HTTP ${response.status} without an explanation; try again.`,
    undefined,
    requestId,
    retryAfterSeconds,
  );
}

/**
 * Answers a refusal the person can resolve on the spot (`step_up_required`: prove it is them again;
 * `approval_required`: ask a second person): resolves with headers to resend the request with once,
 * or null when they cancelled. Installed by the desk's challenge host (components/data/challenges.tsx).
 */
export interface ChallengeHandler {
  answer: (error: ApiError) => Promise<Record<string, string> | null>;
  /** The resend with a justification was accepted for a second person's decision (202). */
  sentForApproval: () => void;
}

let challengeHandler: ChallengeHandler | undefined;

/** Installs (or with no argument removes) the one handler of resolvable refusals. */
export function setChallengeHandler(handler?: ChallengeHandler): void {
  challengeHandler = handler;
}

const resolvable = new Set(['step_up_required', 'approval_required']);

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A body that is already JSON text (built in a worker), sent as it is so the page never parses it. */
  jsonText?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Set on the one resend after a challenge, so a second refusal is not asked again. */
  retried?: boolean;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const body = options.jsonText ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...options.headers,
      },
      body,
      signal: options.signal,
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new ApiError(0, 'network', 'Token Desk could not be reached; check your connection and try again.');
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (error.code === 'mfa_enrolment_required' && typeof window !== 'undefined') {
      // A full load: the desk's layout renders again and keeps the person on the enrolment page.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.assign('/account/security');
    }
    if (resolvable.has(error.code) && challengeHandler && !options.retried) {
      const headers = await challengeHandler.answer(error);
      if (headers)
        return request<T>(method, path, { ...options, headers: { ...options.headers, ...headers }, retried: true });
    }
    throw error;
  }
  if (response.status === 202 && options.headers?.['x-approval-justification'] !== undefined) {
    // Accepted for a second person's decision, not done: the caller must not report it as done.
    challengeHandler?.sentForApproval();
    throw new ApiError(202, 'approval_requested', 'Sent for approval: another administrator decides.');
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/**
 * Narrows the server's search for a token by hash (Authlete has no get-by-hash): a find needs one
 * of them; revoke and delete need the client, and the subject unless the token has none.
 */
export interface TokenLookupHint {
  subject?: string;
  clientId?: string;
}

/** The hint that finds `token` itself: its own subject and client. */
export const hintFor = (token: { subject?: string; clientId: string }): TokenLookupHint => ({
  subject: token.subject,
  clientId: token.clientId,
});

/** The API of one service (`/api/s/{service}/…`): every resource call names its service. */
export function apiFor(service: string) {
  const path = (rest: `/${string}`) => serviceApiPath(service, rest);
  const tokenPath = (hash: string) => path(`/tokens/${encodeURIComponent(hash)}`);
  return {
    listTokens: (query: TokenListQueryInput, signal?: AbortSignal) =>
      request<TokenListResponse>('GET', path('/tokens'), { query: query as Query, signal }),
    getToken: (hash: string, hint: TokenLookupHint, signal?: AbortSignal) =>
      request<TokenResponse>('GET', tokenPath(hash), { query: { ...hint }, signal }),
    /** The token's history from the audit log, newest first. */
    tokenHistory: (hash: string, page: number, signal?: AbortSignal) =>
      request<TokenHistoryResponse>('GET', `${tokenPath(hash)}/history`, {
        query: { page: String(page), pageSize: '20' },
        signal,
      }),
    /** A pasted value, in the body (never a URL), for Authlete's introspection on the server. */
    lookupToken: (value: string, signal?: AbortSignal) =>
      request<TokenLookupResponse>('POST', path('/tokens/lookup'), { body: { token: value }, signal }),
    createToken: (input: TokenCreateFormValues) => request<TokenCreated>('POST', path('/tokens'), { body: input }),
    updateToken: (hash: string, input: TokenUpdateInput, hint: TokenLookupHint = {}) =>
      request<TokenUpdateResponse>('PATCH', tokenPath(hash), { query: { ...hint }, body: input }),
    deleteToken: (hash: string, hint: TokenLookupHint, body: DeleteRequest = {}) =>
      request<void>('DELETE', tokenPath(hash), { query: { ...hint }, body }),
    revokeToken: (hash: string, hint: TokenLookupHint, body: RevokeRequest = {}) =>
      request<RevokeResult>('POST', `${tokenPath(hash)}/revoke`, { query: { ...hint }, body }),
    /** The new value is in the answer only: keep it in component state, never in the query cache. */
    rotateToken: (hash: string, hint: TokenLookupHint, body: RotateRequest) =>
      request<TokenRotated>('POST', `${tokenPath(hash)}/rotate`, { query: { ...hint }, body }),
    revokeAll: (body: RevokeAllRequest) => request<RevokeResult>('POST', path('/revocations'), { body }),
    listClients: (signal?: AbortSignal) => request<ClientListResponse>('GET', path('/clients'), { signal }),
    listScopes: (signal?: AbortSignal) => request<ScopeListResponse>('GET', path('/scopes'), { signal }),
    overview: (signal?: AbortSignal) => request<OverviewResponse>('GET', path('/overview'), { signal }),
    /** The daily snapshots: totals per day, each client's latest counts and estimates. */
    overviewTrends: (days: number, signal?: AbortSignal) =>
      request<TrendsResponse>('GET', path('/overview/trends'), { query: { days }, signal }),
    services: (signal?: AbortSignal) => request<ServicesResponse>('GET', path('/services'), { signal }),
  };
}

/** For endpoints that belong to no service (session, sign-in) or are built elsewhere: same envelope handling. */
export const api = { request };
