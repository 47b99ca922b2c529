import { type Ctx, type Reply, readParams } from './context';
import type { Db } from './db';
import { resultMessage } from './errors';
import { findClient, tokenHash } from './model';
import type { TokenRow } from './tokens';

/**
 * `POST /auth/introspection` (openapi.yaml `auth_introspection_api`), the part a resource server's
 * token check uses: `token`, optionally `scopes` it requires and the `subject` it expects. Like
 * Authlete, every outcome about the token is HTTP 200 with an `action`; only a body that cannot be
 * read is a 4xx. Introspecting an expired token deletes it (Authlete's documented side effect):
 * the first call reports the expiry, later calls find nothing.
 */
const CODES = {
  malformed: 'A056201',
  missing: 'A056202',
  valid: 'A056001',
  notFound: 'A056301',
  expired: 'A056302',
  insufficientScope: 'A056303',
  subjectMismatch: 'A056304',
} as const;

const API_PATH = '/auth/introspection';

/** RFC 6750 `WWW-Authenticate` value a resource server can pass on. */
function wwwAuthenticate(error: string, code: string, detail: string): string {
  return `Bearer error="${error}",error_description="[${code}] ${detail}",error_uri="https://docs.authlete.com/#${code}"`;
}

function outcome(
  action: 'OK' | 'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN',
  code: string,
  detail: string,
  error: string,
) {
  return {
    resultCode: code,
    resultMessage: resultMessage(code, API_PATH, detail),
    action,
    responseContent: action === 'OK' ? 'Bearer error="invalid_request"' : wwwAuthenticate(error, code, detail),
  };
}

async function tokenByValue(db: Db, serviceId: bigint, value: string): Promise<TokenRow | null> {
  const r = await db.query<TokenRow>('SELECT * FROM tokens WHERE service_id = $1 AND access_token_hash = $2', [
    serviceId.toString(),
    tokenHash(value),
  ]);
  return r.rows[0] ?? null;
}

export async function handleIntrospection(ctx: Ctx): Promise<Reply> {
  const params = await readParams(ctx, CODES.malformed);
  const token = params.string('token');
  if (!token) {
    return {
      status: 200,
      body: outcome('BAD_REQUEST', CODES.missing, "The request does not contain a 'token'.", 'invalid_request'),
    };
  }
  const requiredScopes = params.stringArray('scopes') ?? [];
  const requiredSubject = params.string('subject') || undefined;
  const { db, service } = ctx;
  const row = await tokenByValue(db, service.serviceId, token);
  if (!row) {
    return {
      status: 200,
      body: {
        ...outcome('UNAUTHORIZED', CODES.notFound, 'The access token does not exist.', 'invalid_token'),
        existent: false,
        usable: false,
        sufficient: false,
        refreshable: false,
      },
    };
  }

  const now = BigInt(ctx.now());
  const expired = row.access_token_expires_at <= now;
  const client = await findClient(db, service.serviceId, row.client_id.toString());
  const scopes = row.scopes;
  const sufficient = requiredScopes.every((scope) => scopes.includes(scope));
  const facts = {
    clientId: row.client_id,
    ...(client?.clientIdAlias ? { clientIdAlias: client.clientIdAlias } : {}),
    clientIdAliasUsed: false,
    expiresAt: row.access_token_expires_at,
    ...(row.subject !== null ? { subject: row.subject } : {}),
    scopes,
    existent: true,
    usable: !expired,
    sufficient,
    refreshable: row.refresh_token_hash !== null && row.refresh_token_expires_at > now,
    ...(row.properties && row.properties.length > 0 ? { properties: row.properties } : {}),
    grantType: row.grant_type,
  };
  if (expired) {
    // The documented side effect: an expired token is removed when it is introspected.
    await db.query('DELETE FROM tokens WHERE id = $1', [row.id.toString()]);
    return {
      status: 200,
      body: { ...outcome('UNAUTHORIZED', CODES.expired, 'The access token has expired.', 'invalid_token'), ...facts },
    };
  }
  // Introspection is a use Authlete counts: a token introspected is not swept as unused.
  await db.query('UPDATE tokens SET last_used_at = $2 WHERE id = $1', [row.id.toString(), now.toString()]);
  if (!sufficient) {
    return {
      status: 200,
      body: {
        ...outcome(
          'FORBIDDEN',
          CODES.insufficientScope,
          'The access token does not cover the required scopes.',
          'insufficient_scope',
        ),
        ...facts,
      },
    };
  }
  if (requiredSubject !== undefined && requiredSubject !== row.subject) {
    return {
      status: 200,
      body: {
        ...outcome(
          'FORBIDDEN',
          CODES.subjectMismatch,
          'The subject of the access token is not the one required.',
          'invalid_request',
        ),
        ...facts,
      },
    };
  }
  return {
    status: 200,
    body: { ...outcome('OK', CODES.valid, 'The access token is valid.', 'invalid_request'), ...facts },
  };
}
