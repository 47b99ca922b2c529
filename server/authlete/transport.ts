import pMap, { pMapStop } from 'p-map';
import pRetry from 'p-retry';
import { Agent, request, type Dispatcher } from 'undici';
import type { z } from 'zod';
import { AuthleteError, type AuthleteErrorInit } from './errors';
import { parseUpstreamJson, stringifyUpstreamJson } from './json';
import { apiRoot, serviceRoot, upstreamUrl, type QueryValue, type ServiceRoot } from './path';
import { wireResultSchema } from './wire';

/**
 * How Token Desk reaches Authlete, whatever the operation: the dialect (where a service's paths
 * start, how a call authenticates), timeouts, retries of idempotent calls with backoff and
 * `Retry-After`, bounded fan-out, and mapping every failure to an `AuthleteError`.
 */

/**
 * One Authlete API version as the transport sees it: where a service's paths start and how a call
 * authenticates. Authlete 3.x puts a service under `/api/{serviceId}` and takes the service access
 * token as a Bearer; Authlete 2.x serves the paths under `/api` without a service id and takes HTTP
 * Basic with the service's API key and secret (Authlete's 2.x Java client, `AuthleteApiImpl`). The
 * operations a version lacks (2.x: the batch API) refuse in server/authlete/client.ts before calling.
 */
export interface AuthleteDialect {
  apiVersion: 2 | 3;
  /** Every operation path is appended to this. */
  root: ServiceRoot;
  /** The `Authorization` header of every call. */
  authorization: string;
}

/** One Authlete service as a client is built for it: its cluster, API version and credentials. */
export interface AuthleteTarget {
  baseUrl: string;
  apiVersion: 2 | 3;
  /** 3.x: the service id and its service access token. */
  serviceId?: string | undefined;
  accessToken?: string | undefined;
  /** 2.x: the service's API key and API secret. */
  apiKey?: string | undefined;
  apiSecret?: string | undefined;
}

/** The dialect of a target; a target without the credentials of its version is a configuration error. */
export function dialectFor(target: AuthleteTarget): AuthleteDialect {
  if (target.apiVersion === 3) {
    if (!target.serviceId || !target.accessToken)
      throw new Error('An Authlete 3.x service needs its service id and service access token.');
    return {
      apiVersion: 3,
      root: serviceRoot(target.baseUrl, target.serviceId),
      authorization: `Bearer ${target.accessToken}`,
    };
  }
  if (!target.apiKey || !target.apiSecret) throw new Error('An Authlete 2.x service needs its API key and API secret.');
  // RFC 7617: user-id and password joined by a colon; the key is numeric, so it holds no colon.
  if (target.apiKey.includes(':')) throw new Error('An Authlete 2.x API key cannot contain a colon.');
  return {
    apiVersion: 2,
    root: apiRoot(target.baseUrl),
    authorization: `Basic ${Buffer.from(`${target.apiKey}:${target.apiSecret}`, 'utf8').toString('base64')}`,
  };
}

/** undici's errors for a connect, headers or body wait that ran past its timeout. */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

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

export interface CallSpec<S extends z.ZodType | undefined> {
  /** Names the operation in errors and logs, e.g. `token.list`. */
  operation: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Constant path under the dialect's root, identifiers already through `pathSegment`. */
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
export async function mapUpstream<T, R>(
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

export interface TransportOptions {
  dialect: AuthleteDialect;
  /**
   * Per attempt: connecting, waiting for the answer's headers and each wait for its body get this
   * long. undici checks timeouts over a second every half second, so a call gives up up to a second late.
   */
  timeoutMs: number;
  retry?: Partial<RetryPolicy>;
  /**
   * The connection pool (undici). Tests pass a MockAgent for answers the emulator cannot produce
   * (e.g. a malformed body); by default each client keeps its own pool of keep-alive connections.
   */
  dispatcher?: Dispatcher;
}

/**
 * Builds every request from scratch (no incoming header is ever forwarded), pins the host to the
 * dialect's root, refuses redirects, times out every attempt, retries idempotent calls only, and
 * parses every answer against its wire schema.
 */
export function createTransport({ dialect, timeoutMs, retry, dispatcher: given }: TransportOptions) {
  const retryPolicy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...retry };
  // undici's request API rather than fetch: no WHATWG Request/Response or web streams per call,
  // which cost several times the CPU of the call itself, and it never follows a redirect.
  const dispatcher = given ?? new Agent({ connect: { timeout: timeoutMs }, keepAliveTimeout: 30_000 });
  // Fail at construction, not on the first request, when the base URL is unusable.
  upstreamUrl(dialect.root, '/');
  // The same on every call, so made once (undici only reads them).
  const readHeaders = { Authorization: dialect.authorization, Accept: 'application/json' };
  const writeHeaders = { ...readHeaders, 'Content-Type': 'application/json' };

  async function attempt<S extends z.ZodType | undefined>(
    spec: CallSpec<S>,
  ): Promise<S extends z.ZodType ? z.output<S> : undefined> {
    const url = upstreamUrl(dialect.root, spec.path, spec.query);
    let answer: Dispatcher.ResponseData;
    let text: string;
    try {
      answer = await request(url, {
        signal: spec.signal,
        method: spec.method,
        headers: spec.body === undefined ? readHeaders : writeHeaders,
        body: spec.body === undefined ? undefined : stringifyUpstreamJson(spec.body),
        dispatcher,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      text = await answer.body.text();
    } catch (cause) {
      if (spec.signal?.aborted) throw abortedError(spec.operation, cause);
      throw TIMEOUT_CODES.has((cause as { code?: unknown } | null)?.code as string)
        ? new AuthleteError('timeout', `Authlete did not answer within ${timeoutMs} ms.`, {
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

  return { call };
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
      `Authlete refused Token Desk's credentials for this service (its service id and access token, or its API key and secret); check the service's configuration.${said}`,
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
    `${what}, not the one Token Desk manages here: manage it from that service, or choose one of this service's clients.`,
    init,
  );
}
