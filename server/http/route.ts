import 'server-only';
import type { z } from 'zod';
import { can, type Permission } from '@/lib/roles';
import type { Actor } from '@/lib/schemas/session';
import {
  auditRequestContext,
  recordAudit,
  AuditWriteError,
  type AuditAction,
  type AuditDraft,
  type AuditEntry,
} from '@/server/audit';
import { getActor, getActorForChange, getActorForRead, type SessionActor } from '@/server/auth';
import { mustEnrol, stepUpFresh } from '@/server/auth/step-up';
import { STEP_UP_HINTS, stepUpProofFor } from '@/server/auth/security-status';
import { grantFor, isAllClients, scopedAuthlete } from '@/server/auth/scope';
import type { ClientScope } from '@/lib/schemas/staff';
import { AuthleteError } from '@/server/authlete/errors';
import { config } from '@/server/config';
import type { Service } from '@/lib/schemas/service';
import type { AuthleteClient } from '@/server/authlete';
import { authleteFor, defaultService, findService, refreshServices } from '@/server/services';
import { JobError } from '@/server/jobs/core/errors';
import { ApprovalError } from '@/server/approvals';
import {
  errorBody,
  fromApprovalError,
  fromAuthleteError,
  fromJobError,
  fromStaffError,
  fromWebhookError,
  HttpError,
  validationError,
} from './errors';
import { StaffError } from '@/server/auth/staff';
import { WebhookError } from '@/server/webhooks/endpoints';
import { StoredServiceError } from '@/server/services/stored';
import { describeError, logEvent } from '@/server/core/log';
import { appOriginFor, isCrossSiteRequest, isJsonContentType } from '@/server/core/origin';

/** Next passes dynamic segments as a promise of their values. */
export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

export interface HandlerContext<TParams, TQuery, TBody> {
  actor: SessionActor;
  params: TParams;
  query: TQuery;
  body: TBody;
  requestId: string;
  /** The service the request is about: the `[service]` URL segment, else the default service. */
  service: Service;
  /**
   * The Authlete client of that service, restricted to the person's client scope
   * (server/auth/scope.ts): the only way a handler reaches Authlete.
   */
  authlete: AuthleteClient;
  /** The clients of this service the person's grant covers (`all`, or a named set). */
  clientScope: ClientScope;
  /** The request's headers (the session cookie, for the few handlers that call Better Auth for the person). */
  headers: Headers;
  /** The app's own origin (APP_URL, else the request's): what a passkey assertion must be made for. */
  appOrigin: string;
  /** Aborts when the person's request ends (they went away): pass it to every upstream call. */
  signal: AbortSignal;
  /** Mutations only: fill it in as the facts become known; the wrapper writes it whatever happens. */
  audit: AuditDraft;
}

export interface RouteSpec<TParams, TQuery, TBody> {
  /** The route pattern (`/api/tokens/[hash]`), used in logs and audit instead of the real path. */
  path: string;
  /** Every route names exactly one permission (lib/roles.ts). */
  permission: Permission;
  /**
   * The handler keeps to `ctx.clientScope`: it reaches Authlete only through `ctx.authlete` (which
   * the scope restricts) or filters by the scope itself. Without it the route is a whole-service
   * action and route() refuses it to anyone whose grant names a set of clients.
   */
  clientScoped?: true;
  /** Mutations name the audit action (a handler may refine it). */
  audit?: AuditAction;
  params?: z.ZodType<TParams>;
  query?: z.ZodType<TQuery>;
  /** Mutations with a body: JSON only, validated with a strict schema. */
  body?: z.ZodType<TBody>;
  /**
   * A dangerous action: refused with `step_up_required` unless the person proved it was them (second
   * factor, or password where none is enrolled, or a fresh single sign-on) within STEP_UP_WINDOW_SECONDS.
   */
  stepUp?: boolean;
  /** Open to a person who must still enrol a second factor (MFA_REQUIRED_ROLES): the enrolment's own routes. */
  beforeEnrolment?: boolean;
  /** Largest accepted body in bytes (default 256 KiB). */
  maxBodyBytes?: number;
  handler: (context: HandlerContext<TParams, TQuery, TBody>) => Promise<Response>;
}

const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

const storedServiceErrorStatus = { not_found: 404, conflict: 409, not_supported: 409 } as const;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** JSON response that is never cached (token data is per person and changes under us). */
export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

export function noContent(): Response {
  return new Response(null, { status: 204, headers: { 'Cache-Control': 'no-store' } });
}

function auditActor(actor: Actor | null): AuditEntry['actor'] {
  return actor ? { id: actor.id, email: actor.email, role: actor.role, method: actor.method } : null;
}

async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const tooLarge = () => new HttpError(413, 'payload_too_large', `The request body is larger than ${maxBytes} bytes.`);
  const declaredLength = request.headers.get('content-length');
  if (Number(declaredLength ?? '0') > maxBytes) throw tooLarge();
  // The HTTP server holds a body to its declared length, so such a body is read whole (and checked
  // again, in case whatever built this Request did not).
  if (declaredLength !== null) {
    const text = await request.text();
    if (Buffer.byteLength(text) > maxBytes) throw tooLarge();
    return parseJsonBody(text);
  }
  // Streamed with a running count: a chunked body without Content-Length cannot exhaust memory.
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return parseJsonBody(Buffer.concat(chunks).toString('utf8'));
}

function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, 'validation_failed', 'The request body is not valid JSON.');
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, what);
  return result.data;
}

/**
 * The one wrapper every route handler goes through: request id, authentication, cross-site and
 * content-type checks for mutations, authorisation by permission, validation with the shared zod
 * schemas, the call, error mapping to the envelope, and the audit record for every mutation and
 * every denial, written after the outcome is known on every path.
 */
export function route<TParams = undefined, TQuery = undefined, TBody = undefined>(
  spec: RouteSpec<TParams, TQuery, TBody>,
) {
  return async function handle(request: Request, context?: RouteContext): Promise<Response> {
    const startedAt = performance.now();
    // Issued here, never taken from the client: audit records and log lines are filed under it.
    const requestId = crypto.randomUUID();
    const method = request.method.toUpperCase();
    const mutating = !SAFE_METHODS.has(method);
    // The pattern, not the real path: a value pasted into a URL by mistake must not reach logs.
    const routeName = `${method} ${spec.path}`;

    let actor: SessionActor | null = null;
    /** Set once the request is known to be a denial or a mutation attempt: it will be audited. */
    let pending: { draft: AuditDraft; denied: boolean } | null = null;
    let response: Response;
    let failure: HttpError | null = null;
    let upstream: AuthleteError | null = null;
    let resolvedService: Service | null = null;

    const deny = (error: HttpError): never => {
      // A signed-out request is logged, not audited: anyone can send them, and a flood of them
      // must not become a flood of database writes.
      if (!actor) {
        logEvent('warn', 'request denied', { requestId, route: routeName, reason: error.code });
        throw error;
      }
      pending = {
        denied: true,
        draft: {
          action: 'auth.denied',
          target: {},
          details: { route: routeName, permission: spec.permission, reason: error.code },
        },
      };
      throw error;
    };

    try {
      const crossSite = mutating && isCrossSiteRequest(request.headers, appOriginFor(request.url, config.appUrl));
      const { service: serviceSlug, ...routeParams } = (await context?.params) ?? {};
      await refreshServices();
      const service = typeof serviceSlug === 'string' ? findService(serviceSlug) : defaultService();
      resolvedService = service ?? null;
      // A request is counted against the person's change or read limit in this service as their session
      // is read (one round trip). Every attempt counts, refused ones included; a cross-site one is not the
      // person's doing.
      const counted = crossSite
        ? null
        : await (mutating ? getActorForChange : getActorForRead)(request.headers, requestId, service?.slug);
      actor = counted ? counted.actor : await getActor(request.headers);
      if (crossSite) {
        deny(
          new HttpError(403, 'cross_site_request', 'Cross-site requests cannot change data; use Token Desk itself.'),
        );
      }
      if (!actor)
        deny(new HttpError(401, 'unauthenticated', 'Sign in to continue; your session has ended or is missing.'));
      if (!service)
        throw new HttpError(
          404,
          'service_not_found',
          'There is no such service in this Token Desk; choose one from the list.',
        );
      // The person's grant in this service: its role replaces the account's, its scope binds the handler.
      const grant = await grantFor((actor as SessionActor).id, service.slug, (actor as SessionActor).role);
      actor = { ...(actor as SessionActor), role: grant.role };
      const signedIn = actor;
      if (!spec.beforeEnrolment && mustEnrol(signedIn, config.security.mfaRequiredRoles)) {
        deny(
          new HttpError(
            403,
            'mfa_enrolment_required',
            `Your role (${signedIn.role}) needs a second factor: set one up under Account security first.`,
          ),
        );
      }
      if (!can(signedIn.role, spec.permission)) {
        deny(
          new HttpError(
            403,
            'forbidden',
            `Your role (${signedIn.role}) does not allow this; ask an admin if you need it.`,
            { permission: spec.permission },
          ),
        );
      }
      if (!spec.clientScoped && !isAllClients(grant.scope)) {
        deny(
          new HttpError(
            403,
            'all_clients_required',
            'This action covers every client of the service; it needs a grant for all clients.',
          ),
        );
      }
      if (spec.stepUp && !stepUpFresh(signedIn.verifiedAt, new Date(), config.security.stepUpWindowSeconds)) {
        deny(
          new HttpError(403, 'step_up_required', STEP_UP_HINTS[stepUpProofFor(signedIn)], {
            proof: stepUpProofFor(signedIn),
            // A passkey also answers, whatever the main proof is (the dialog offers it).
            passkey: signedIn.hasPasskey,
            windowSeconds: config.security.stepUpWindowSeconds,
          }),
        );
      }

      const draft: AuditDraft = { action: spec.audit ?? 'auth.denied', target: {} };
      if (mutating) {
        if (!spec.audit) throw new Error(`Route ${routeName} changes data but names no audit action.`);
        pending = { denied: false, draft };
      }
      const limit = counted?.limit;
      if (limit && !limit.allowed) {
        // A refused change is audited (pending above); a refused read is only logged: it changes
        // nothing, and auditing each would be the very flood of writes the limit is there to stop.
        if (!mutating)
          logEvent('warn', 'read rate limit reached', { requestId, route: routeName, actorId: signedIn.id });
        throw new HttpError(
          429,
          'rate_limited',
          `You have made ${limit.limit} ${mutating ? 'changes' : 'requests'} in the last minute, the most allowed; try again in ${limit.retryAfterSeconds} seconds.`,
          { retryAfterSeconds: limit.retryAfterSeconds },
          { 'Retry-After': String(limit.retryAfterSeconds) },
        );
      }

      const params = spec.params ? parseWith(spec.params, routeParams, 'address') : (undefined as TParams);
      const query = spec.query
        ? parseWith(spec.query, Object.fromEntries(new URL(request.url).searchParams), 'query')
        : (undefined as TQuery);
      let body = undefined as TBody;
      if (spec.body) {
        if (!isJsonContentType(request.headers.get('content-type'))) {
          throw new HttpError(
            415,
            'unsupported_media_type',
            'Send the request body as JSON (Content-Type: application/json).',
          );
        }
        body = parseWith(
          spec.body,
          await readJsonBody(request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES),
          'request body',
        );
      }

      response = await spec.handler({
        actor: signedIn,
        params,
        query,
        body,
        requestId,
        service,
        authlete: scopedAuthlete(authleteFor(service.slug), grant.scope),
        clientScope: grant.scope,
        signal: request.signal,
        headers: request.headers,
        appOrigin: appOriginFor(request.url, config.appUrl),
        audit: draft,
      });
    } catch (error) {
      if (error instanceof HttpError) {
        failure = error;
      } else if (error instanceof StaffError) {
        failure = fromStaffError(error);
      } else if (error instanceof StoredServiceError) {
        failure = new HttpError(storedServiceErrorStatus[error.code], error.code, error.message);
      } else if (error instanceof JobError) {
        failure = fromJobError(error);
      } else if (error instanceof ApprovalError) {
        failure = fromApprovalError(error);
      } else if (error instanceof WebhookError) {
        failure = fromWebhookError(error);
      } else if (error instanceof AuthleteError) {
        upstream = error;
        failure = fromAuthleteError(error, mutating);
        // 4xx answers (not found, refused) are normal operation; outages and throttling are not.
        if (failure.status >= 500 || failure.status === 429)
          logEvent(failure.status >= 500 ? 'error' : 'warn', 'authlete call failed', {
            requestId,
            route: routeName,
            operation: error.operation,
            code: error.code,
            upstreamStatus: error.status,
            resultCode: error.resultCode,
          });
      } else if (error instanceof AuditWriteError) {
        failure = new HttpError(
          500,
          'audit_failed',
          'The audit log could not be written, so nothing is reported as done; contact an operator.',
        );
      } else {
        logEvent('error', 'unhandled error in route handler', {
          requestId,
          route: routeName,
          error: describeError(error),
        });
        failure = new HttpError(
          500,
          'internal_error',
          `Something went wrong on the server. Quote request ID ${requestId} to an operator.`,
        );
      }
      response = json(errorBody(failure, requestId), failure.status, failure.headers);
    }

    const audited = pending as { draft: AuditDraft; denied: boolean } | null;
    if (audited) {
      const { draft, denied } = audited;
      const success = !denied && failure === null;
      const failedUpstream = upstream as AuthleteError | null;
      try {
        await recordAudit({
          action: draft.action,
          outcome: success ? 'success' : 'failure',
          actor: auditActor(actor),
          service: (resolvedService as Service | null)?.slug ?? null,
          // Read only for audited requests: resolving the client address is not free.
          request: { ...auditRequestContext(request.headers), requestId },
          target: draft.target,
          ...(failedUpstream
            ? { upstream: { status: failedUpstream.status ?? null, resultCode: failedUpstream.resultCode ?? null } }
            : {}),
          errorCode: (failure as HttpError | null)?.code ?? null,
          count: draft.count ?? null,
          reason: draft.reason ?? null,
          ...(draft.before ? { before: draft.before } : {}),
          ...(draft.after ? { after: draft.after } : {}),
          details: { route: routeName, ...draft.details },
        });
      } catch {
        // recordAudit has logged it loudly; the person must not be told it is done.
        const auditFailure = new HttpError(
          500,
          'audit_failed',
          success
            ? 'The change was sent to Authlete but could not be recorded in the audit log; contact an operator before retrying.'
            : 'The request failed and the audit log could not be written; contact an operator.',
        );
        response = json(errorBody(auditFailure, requestId), 500);
      }
    }

    response.headers.set('x-request-id', requestId);
    // One access line per API call: the id a person quotes from an error message finds it.
    logEvent(response.status >= 500 ? 'error' : 'info', 'api request', {
      requestId,
      route: routeName,
      status: response.status,
      durationMs: Math.round(performance.now() - startedAt),
      actorId: (actor as SessionActor | null)?.id ?? null,
      ...(failure ? { code: (failure as HttpError).code } : {}),
    });
    return response;
  };
}
