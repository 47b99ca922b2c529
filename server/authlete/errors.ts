/** Why a call to Authlete failed; stable, so the HTTP layer and tests can branch on it. */
export type AuthleteErrorCode =
  /** Authlete answered 5xx, or an error Token Desk has no better name for. */
  | 'upstream_error'
  /** Authlete refused Token Desk's own credentials (401/403): an operator must fix the configuration. */
  | 'upstream_unauthorized'
  /** Authlete refused the request as invalid (400 or `action: BAD_REQUEST`), e.g. an unsupported scope. */
  | 'upstream_rejected'
  /** The token or batch does not exist. */
  | 'not_found'
  /** Authlete answered `action: FORBIDDEN`: the client or token belongs to another Authlete service. */
  | 'foreign_resource'
  /** Authlete answered `A001215`: the client is locked, nothing can be issued or changed for it. */
  | 'client_locked'
  /** Authlete answered 409: the request clashes with the current state. */
  | 'conflict'
  /** Authlete answered 429; `retryAfterSeconds` says when to try again when it said so. */
  | 'rate_limited'
  /** No answer within the configured timeout. */
  | 'timeout'
  /** Connection refused, reset, DNS failure, or a redirect (refused by `redirect: 'error'`). */
  | 'network'
  /** Authlete answered 2xx with a body that is not what its API describes. */
  | 'bad_upstream_response'
  /** An identifier would not be safe in an upstream URL path; nothing was sent. */
  | 'invalid_identifier'
  /** Find-by-hash gave up after scanning its cap of tokens without finding it. */
  | 'search_limit_reached'
  /** A find-by-hash was asked to scan the whole service: refused, it needs a subject or client. */
  | 'narrowing_required'
  /** The service's Authlete version has no such API (2.x: batch create and status); nothing was sent. */
  | 'not_supported'
  /** The caller gave up (the person's request ended): nothing more was asked of Authlete. */
  | 'aborted'
  /** The client is outside the person's client scope (server/auth/scope.ts): nothing was sent. */
  | 'client_not_permitted';

export interface AuthleteErrorInit {
  /** HTTP status Authlete answered with, when it answered. */
  status?: number;
  resultCode?: string;
  resultMessage?: string;
  retryAfterSeconds?: number;
  /** Which client operation failed (e.g. `token.create`), for logs. */
  operation?: string;
  cause?: unknown;
}

/** The one error type the Authlete client throws. Never carries the bearer or a token value. */
export class AuthleteError extends Error {
  override name = 'AuthleteError';
  readonly code: AuthleteErrorCode;
  readonly status: number | undefined;
  readonly resultCode: string | undefined;
  readonly resultMessage: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly operation: string | undefined;

  constructor(code: AuthleteErrorCode, message: string, init: AuthleteErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = code;
    this.status = init.status;
    this.resultCode = init.resultCode;
    this.resultMessage = init.resultMessage;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.operation = init.operation;
  }
}

export function isAuthleteError(error: unknown): error is AuthleteError {
  return error instanceof AuthleteError;
}
