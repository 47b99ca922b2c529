/**
 * A subject's authorizations of clients (openapi.yaml "Client Management"):
 * `client/authorization/get/list`, `.../update/{clientId}`, `.../delete/{clientId}` and remembered
 * consent, `client/granted_scopes/get|delete/{clientId}`, each in every form the file lists (query,
 * JSON or form body, subject in the path).
 *
 * Authorizations are computed from the stored tokens: a client is authorized while any token of the
 * subject for it exists, expired-but-not-yet-swept included. Remembered consent lives apart
 * (grants.ts): it outlives the tokens, and deleting it leaves them alone.
 */
import { ownClient } from './catalog';
import { type Ctx, type Reply, queryIndex, readParams } from './context';
import { AuthleteError, badRequest } from './errors';
import { type ClientRow, clientLimited, toClient } from './model';
import type { Params } from './wire';

const LIST_CODES = { malformed: 'A139201', subject: 'A139202', range: 'A139203' } as const;
const UPDATE_CODES = {
  ok: 'A138001',
  malformed: 'A138201',
  subject: 'A138202',
  unknown: 'A138203',
  foreign: 'A138204',
  /** Authlete's documented meaning of A001215 (and the file's 403 example). */
  locked: 'A001215',
} as const;
const DELETE_CODES = {
  ok: 'A137001',
  malformed: 'A137201',
  subject: 'A137202',
  unknown: 'A137203',
  foreign: 'A137204',
} as const;
const GET_SCOPES_CODES = {
  ok: 'A140001',
  malformed: 'A140201',
  subject: 'A140202',
  unknown: 'A140203',
  foreign: 'A140204',
} as const;
const DELETE_SCOPES_CODES = { ok: 'A141001', subject: 'A141202', unknown: 'A141203', foreign: 'A141204' } as const;

/** Default `end` of the list (openapi.yaml: "The default value is 5"). */
const DEFAULT_END = 5;

/** The body of a POST form, none for GET and DELETE (their parameters are in the query). */
async function bodyOf(ctx: Ctx, code: string): Promise<Params | undefined> {
  return ctx.req.method === 'POST' ? readParams(ctx, code) : undefined;
}

/** The subject: from the path in the `/{subject}` variants, else from the body (POST) or the query. */
function requireSubject(ctx: Ctx, fromPath: string | undefined, body: Params | undefined, code: string): string {
  const subject = fromPath ?? (body ? body.string('subject') : (ctx.query.get('subject') ?? undefined));
  if (!subject) throw badRequest(code, "'subject' is required.");
  return subject;
}

/** `start` / `end` from a body: non-negative int32, like the query's. */
function bodyIndex(body: Params, name: string, fallback: number, code: string): number {
  const value = body.int64(name);
  if (value === undefined) return fallback;
  if (value < 0n || value > 2147483647n) throw badRequest(code, `'${name}' must be a non-negative integer.`);
  return Number(value);
}

/** GET (query or `/{subject}`) and POST (JSON or form) `client/authorization/get/list`. */
export async function handleAuthorizationList(ctx: Ctx): Promise<Reply> {
  const body = await bodyOf(ctx, LIST_CODES.malformed);
  const subject = requireSubject(ctx, ctx.pathParams[0], body, LIST_CODES.subject);
  const index = (name: string, fallback: number) =>
    body ? bodyIndex(body, name, fallback, LIST_CODES.range) : queryIndex(ctx.query, name, fallback, LIST_CODES.range);
  const start = index('start', 0);
  const end = index('end', DEFAULT_END);
  if (end < start) throw badRequest(LIST_CODES.range, `'end' (${end}) must not be less than 'start' (${start}).`);
  const developer = (body ? body.string('developer') : ctx.query.get('developer')) || undefined;

  const args: unknown[] = [ctx.service.serviceId.toString(), subject];
  const developerFilter = developer === undefined ? '' : ` AND c.developer = $${args.push(developer)}`;
  const from = `FROM clients c
    JOIN (SELECT DISTINCT client_id FROM tokens WHERE service_id = $1 AND subject = $2) a ON a.client_id = c.client_id
    WHERE c.service_id = $1${developerFilter}`;
  const count = await ctx.db.query<{ n: bigint }>(`SELECT count(*) AS n ${from}`, args);
  const rows = await ctx.db.query<ClientRow>(
    `SELECT c.* ${from} ORDER BY c.number LIMIT ${end - start} OFFSET ${start}`,
    args,
  );
  return {
    status: 200,
    body: {
      start,
      end,
      ...(developer !== undefined ? { developer } : {}),
      subject,
      totalCount: Number(count.rows[0]?.n ?? 0n),
      clients: rows.rows.map((row) => clientLimited(toClient(row))),
    },
  };
}

/**
 * POST `client/authorization/update/{clientId}` (JSON or form; form scopes space-separated):
 * replaces the scopes of every token of the subject for the client, refresh token scopes too. As
 * on token update, scopes the service does not support or the client may not request are dropped.
 * Without `scopes` nothing changes. The count is given only inside `resultMessage`, as Authlete does.
 */
export async function handleAuthorizationUpdate(ctx: Ctx): Promise<Reply> {
  const body = await readParams(ctx, UPDATE_CODES.malformed);
  const subject = requireSubject(ctx, undefined, body, UPDATE_CODES.subject);
  const requested = body.stringArray('scopes');
  // The file lists 404 "The client was not found." for this operation only.
  const client = await ownClient(ctx, ctx.pathParams[0]!, UPDATE_CODES, 404);
  if (client.locked) {
    throw new AuthleteError(403, UPDATE_CODES.locked, `The client (ID = ${client.clientId}) is locked.`);
  }
  const where = 'service_id = $1 AND client_id = $2 AND subject = $3';
  const args = [ctx.service.serviceId.toString(), client.clientId.toString(), subject];
  let count: number;
  if (requested === undefined) {
    const r = await ctx.db.query<{ n: bigint }>(`SELECT count(*) AS n FROM tokens WHERE ${where}`, args);
    count = Number(r.rows[0]?.n ?? 0n);
  } else {
    const supported = new Set(ctx.service.supportedScopes.map((s) => s.name));
    const requestable = client.requestableScopes ? new Set(client.requestableScopes) : null;
    const scopes = [...new Set(requested)].filter(
      (s) => supported.has(s) && (requestable === null || requestable.has(s)),
    );
    const r = await ctx.db.query(
      `UPDATE tokens SET scopes = $4::jsonb,
         refresh_token_scopes = CASE WHEN refresh_token_hash IS NULL THEN NULL ELSE $4::jsonb END, last_used_at = $5
       WHERE ${where}`,
      [...args, JSON.stringify(scopes), ctx.now().toString()],
    );
    count = r.affectedRows ?? 0;
  }
  return {
    status: 200,
    body: {
      resultCode: UPDATE_CODES.ok,
      resultMessage: `[${UPDATE_CODES.ok}] Updated ${count} access token(s) issued to the client (ID = ${client.clientId}) of the service (API Key = ${ctx.service.serviceId}).`,
    },
  };
}

/**
 * DELETE (query or `/{subject}`) and POST (JSON or form) `client/authorization/delete/{clientId}`:
 * deletes every token of the subject for the client (a locked client's too). Remembered consent is
 * kept. The count is given only inside `resultMessage`.
 */
export async function handleAuthorizationDelete(ctx: Ctx): Promise<Reply> {
  const body = await bodyOf(ctx, DELETE_CODES.malformed);
  const subject = requireSubject(ctx, ctx.pathParams[1], body, DELETE_CODES.subject);
  const client = await ownClient(ctx, ctx.pathParams[0]!, DELETE_CODES);
  const r = await ctx.db.query('DELETE FROM tokens WHERE service_id = $1 AND client_id = $2 AND subject = $3', [
    ctx.service.serviceId.toString(),
    client.clientId.toString(),
    subject,
  ]);
  return {
    status: 200,
    body: {
      resultCode: DELETE_CODES.ok,
      resultMessage: `[${DELETE_CODES.ok}] Deleted ${r.affectedRows ?? 0} access token(s) issued to the client (ID = ${client.clientId}) of the service (API Key = ${ctx.service.serviceId}).`,
    },
  };
}

interface GrantedScopesRow {
  latest_scopes: string[];
  merged_scopes: string[];
  modified_at: bigint;
}

/**
 * GET (query or `/{subject}`) and POST (JSON or form) `client/granted_scopes/get/{clientId}`.
 * With no record (never granted, or deleted) `latestGrantedScopes` and `mergedGrantedScopes` are
 * absent, Authlete's null; a grant without scopes gives empty arrays.
 */
export async function handleGrantedScopesGet(ctx: Ctx): Promise<Reply> {
  const body = await bodyOf(ctx, GET_SCOPES_CODES.malformed);
  const subject = requireSubject(ctx, ctx.pathParams[1], body, GET_SCOPES_CODES.subject);
  const client = await ownClient(ctx, ctx.pathParams[0]!, GET_SCOPES_CODES);
  const r = await ctx.db.query<GrantedScopesRow>(
    'SELECT latest_scopes, merged_scopes, modified_at FROM granted_scopes WHERE service_id = $1 AND client_id = $2 AND subject = $3',
    [ctx.service.serviceId.toString(), client.clientId.toString(), subject],
  );
  const record = r.rows[0];
  return {
    status: 200,
    body: {
      resultCode: GET_SCOPES_CODES.ok,
      resultMessage: `[${GET_SCOPES_CODES.ok}] ${record ? 'Found' : 'There is no'} record of the scopes granted by the subject to the client (ID = ${client.clientId}).`,
      serviceApiKey: ctx.service.serviceId,
      clientId: client.clientId,
      subject,
      ...(record
        ? {
            latestGrantedScopes: record.latest_scopes,
            mergedGrantedScopes: record.merged_scopes,
            modifiedAt: record.modified_at,
          }
        : {}),
    },
  };
}

/**
 * DELETE (query or `/{subject}`) `client/granted_scopes/delete/{clientId}`: forgets the consent;
 * the tokens and their scopes stay. Deleting a record that does not exist succeeds too.
 */
export async function handleGrantedScopesDelete(ctx: Ctx): Promise<Reply> {
  const subject = requireSubject(ctx, ctx.pathParams[1], undefined, DELETE_SCOPES_CODES.subject);
  const client = await ownClient(ctx, ctx.pathParams[0]!, DELETE_SCOPES_CODES);
  const r = await ctx.db.query('DELETE FROM granted_scopes WHERE service_id = $1 AND client_id = $2 AND subject = $3', [
    ctx.service.serviceId.toString(),
    client.clientId.toString(),
    subject,
  ]);
  return {
    status: 200,
    body: {
      resultCode: DELETE_SCOPES_CODES.ok,
      resultMessage: `[${DELETE_SCOPES_CODES.ok}] ${(r.affectedRows ?? 0) > 0 ? 'Deleted the' : 'There was no'} record of the scopes granted by the subject to the client (ID = ${client.clientId}).`,
    },
  };
}
