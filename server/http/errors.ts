import type { z } from 'zod';
import type { ApiErrorCode, ApiErrorEnvelope, ValidationDetails } from '@/lib/schemas/error';
import { AuthleteError } from '@/server/authlete/errors';
import type { JobError } from '@/server/jobs/core/errors';
import type { ApprovalError } from '@/server/approvals';
import type { StaffError, StaffErrorCode } from '@/server/auth/staff';
import type { WebhookError } from '@/server/webhooks/endpoints';

/** An error a handler (or the wrapper) means to send as-is: status, stable code, a sentence to act on. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/**
 * Field errors keyed by dot path (`tokens.3.subject`); whole-body errors in `formErrors`. The keys
 * come from the request (an unknown field's name), so the map has no prototype: `constructor` or
 * `__proto__` is a field name like any other, not an inherited member.
 */
export function validationDetails(error: z.ZodError, prefix?: string): ValidationDetails {
  const fieldErrors: Record<string, string[]> = Object.create(null);
  const formErrors: string[] = [];
  for (const issue of error.issues) {
    const path = [...(prefix ? [prefix] : []), ...issue.path.map(String)].join('.');
    // Unknown keys are reported per key so the form can point at them.
    const paths =
      issue.code === 'unrecognized_keys' ? issue.keys.map((key) => (path ? `${path}.${key}` : key)) : [path];
    for (const key of paths) {
      if (key === '') formErrors.push(issue.message);
      else
        (fieldErrors[key] ??= []).push(
          issue.code === 'unrecognized_keys' ? `Unknown field "${key.split('.').pop()}".` : issue.message,
        );
    }
  }
  return { fieldErrors, formErrors };
}

export function validationError(error: z.ZodError, what: string, prefix?: string): HttpError {
  const details = validationDetails(error, prefix);
  const first = Object.entries(details.fieldErrors)[0];
  const summary = first ? `${first[0]}: ${first[1][0]}` : (details.formErrors[0] ?? 'invalid');
  return new HttpError(400, 'validation_failed', `The ${what} is not valid (${summary}).`, details);
}

/** Default wait we tell the browser when Authlete rate-limited us without a Retry-After. */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** A four-eyes step's domain error as the API's answer. */
export function fromApprovalError(error: ApprovalError): HttpError {
  switch (error.kind) {
    case 'required':
      return new HttpError(409, 'approval_required', error.message, error.details);
    case 'own_request':
      return new HttpError(403, 'approval_own_request', error.message);
    case 'not_usable':
      return new HttpError(409, 'approval_not_usable', error.message);
    case 'not_found':
      return new HttpError(404, 'not_found', error.message);
    case 'already_decided':
      return new HttpError(409, 'conflict', error.message);
    case 'invalid_request':
      return new HttpError(400, 'validation_failed', error.message);
  }
}

/** A job's domain error as the API's answer (server/jobs/core/errors.ts says what each kind means). */
export function fromJobError(error: JobError): HttpError {
  switch (error.kind) {
    case 'not_found':
      return new HttpError(404, 'not_found', error.message);
    case 'conflict':
      return new HttpError(409, 'conflict', error.message);
    case 'invalid_input':
      return new HttpError(400, 'validation_failed', error.message);
    case 'too_much_work':
      return new HttpError(422, 'unprocessable', error.message);
    case 'still_processing':
      return new HttpError(504, 'upstream_timeout', error.message);
  }
}

/**
 * Maps an Authlete client failure to what Token Desk answers. `mutating` changes the timeout
 * message: a create or revoke that timed out may still have happened upstream.
 */
export function fromAuthleteError(error: AuthleteError, mutating: boolean): HttpError {
  const details: Record<string, unknown> = {};
  if (error.status !== undefined) details.upstreamStatus = error.status;
  if (error.resultCode !== undefined) details.resultCode = error.resultCode;
  switch (error.code) {
    case 'invalid_identifier':
      return new HttpError(400, 'validation_failed', error.message);
    case 'not_found':
      return new HttpError(404, 'not_found', error.message, details);
    case 'conflict':
      return new HttpError(409, 'conflict', error.message, details);
    // The service's Authlete version lacks the API (2.x has no batch API): the request fits another service.
    case 'not_supported':
      return new HttpError(409, 'not_supported', error.message);
    // Not the person's permission (that is `forbidden`): the thing itself is out of this service's reach.
    case 'foreign_resource':
      return new HttpError(403, 'foreign_resource', error.message, details);
    case 'client_not_permitted':
      return new HttpError(403, 'client_not_permitted', error.message);
    case 'client_locked':
      return new HttpError(422, 'client_locked', error.message, details);
    case 'search_limit_reached':
      return new HttpError(404, 'search_limit_reached', error.message);
    case 'narrowing_required':
      return new HttpError(400, 'narrowing_required', error.message);
    case 'aborted':
      // Nobody reads this answer (the client has gone); the status keeps it apart in the access log.
      return new HttpError(499, 'request_aborted', error.message);
    case 'upstream_rejected':
      return new HttpError(422, 'unprocessable', error.message, {
        ...details,
        ...(error.resultMessage ? { resultMessage: error.resultMessage } : {}),
      });
    case 'rate_limited': {
      const retryAfter = error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
      return new HttpError(
        429,
        'rate_limited',
        `Authlete is rate-limiting requests; try again in ${retryAfter} seconds.`,
        { ...details, retryAfterSeconds: retryAfter },
        { 'Retry-After': String(retryAfter) },
      );
    }
    case 'upstream_unauthorized':
      return new HttpError(502, 'upstream_unauthorized', error.message, details);
    case 'timeout':
      return new HttpError(
        504,
        'upstream_timeout',
        mutating
          ? 'Authlete did not answer in time. The change may still have been applied: check the token list before trying again.'
          : 'Authlete did not answer in time; try again.',
        details,
      );
    case 'network':
      return new HttpError(
        502,
        'upstream_unavailable',
        'Token Desk could not reach Authlete; try again shortly.',
        details,
      );
    case 'bad_upstream_response':
    case 'upstream_error':
      return new HttpError(502, 'upstream_error', error.message, details);
  }
}

export function errorBody(error: HttpError, requestId: string): ApiErrorEnvelope {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      requestId,
    },
  };
}

const staffErrorStatus: Record<StaffErrorCode, number> = {
  self_change: 403,
  last_admin: 409,
  not_found: 404,
  conflict: 409,
};

/** A staff administration rule (server/auth/staff.ts) as an answer. */
export function fromStaffError(error: StaffError): HttpError {
  return new HttpError(staffErrorStatus[error.code], error.code, error.message);
}

/** A webhook request's domain error: an unknown endpoint or delivery, or an address the SSRF guard refuses (a field error). */
export function fromWebhookError(error: WebhookError): HttpError {
  if (error.kind === 'not_found') return new HttpError(404, 'not_found', error.message);
  return new HttpError(400, 'validation_failed', error.message, {
    fieldErrors: { url: [error.message] },
    formErrors: [],
  });
}
