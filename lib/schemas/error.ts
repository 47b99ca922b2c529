import { z } from 'zod';

/** Stable error codes of Token Desk's API; the UI may branch on them. */
export const apiErrorCodes = [
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'cross_site_request',
  'not_found',
  /** The client or token belongs to another Authlete service than the one Token Desk manages. */
  'foreign_resource',
  'service_not_found',
  /** The client is locked in Authlete. */
  'client_locked',
  /** The client is outside the person's client scope. */
  'client_not_permitted',
  /** The action covers the whole service: only a person with an all-clients grant may do it. */
  'all_clients_required',
  /** Staff administration: nobody changes their own role, scope or account. */
  'self_change',
  /** Staff administration: the last admin with all clients cannot be demoted or disabled. */
  'last_admin',
  'conflict',
  /** The service's Authlete version has no such API (Authlete 2.x: the batch API). */
  'not_supported',
  'unsupported_media_type',
  'unprocessable',
  'rate_limited',
  'upstream_error',
  'upstream_unauthorized',
  'upstream_timeout',
  'upstream_unavailable',
  'search_limit_reached',
  'narrowing_required',
  'request_aborted',
  'payload_too_large',
  'audit_failed',
  'internal_error',
  /** The person's role needs a second factor and they have none yet: enrol at /account/security first. */
  'mfa_enrolment_required',
  /** A dangerous action needs a fresh proof of identity (second factor or password) within the window. */
  'step_up_required',
  /** The code or password given to step up was wrong. */
  'step_up_failed',
  /** The action needs a second person: request approval with a justification (four-eyes). */
  'approval_required',
  /** The requester cannot decide their own approval. */
  'approval_own_request',
  /** The approval has expired, or was rejected, or the action differs from what was approved. */
  'approval_not_usable',
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

/** `details` of a 400 `validation_failed`: messages per field path ("tokens.3.subject") and for the whole body. */
export const validationDetailsSchema = z.object({
  fieldErrors: z.record(z.string(), z.array(z.string())),
  formErrors: z.array(z.string()),
});
export type ValidationDetails = z.infer<typeof validationDetailsSchema>;

/** Every non-2xx response of Token Desk's API. */
export const apiErrorEnvelopeSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
    requestId: z.string().optional(),
  }),
});
export type ApiErrorEnvelope = z.infer<typeof apiErrorEnvelopeSchema>;
