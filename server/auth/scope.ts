import 'server-only';
import { sha256Base64Url } from '@/lib/hash';
import { and, eq } from 'drizzle-orm';
import { roleSchema, type Role } from '@/lib/roles';
import type { Token } from '@/lib/schemas';
import { ALL_CLIENTS, clientScopeSchema, type ClientScope } from '@/lib/schemas/staff';
import type { AuthleteClient, TokenPage } from '@/server/authlete';
import { AuthleteError } from '@/server/authlete/errors';
import type { AuditVisibility } from '@/server/audit';
import { getDb, type Database } from '@/server/db';
import { staffGrant } from '@/server/db/schema';

/**
 * Client-scoped access, enforced here and nowhere else. A grant (staff_grant) gives a person a role
 * and a client scope in one service; route() reads it for the request's service and hands the
 * handler `ctx.clientScope` and an Authlete client wrapped by `scopedAuthlete`, so every upstream
 * call a scoped person causes names one of their clients:
 * - lists ask Authlete per permitted client (one list per client, merged), never for everything;
 * - a token found by hash or by value that belongs to another client answers "not found";
 * - a change to a hash is sent only after this request found that hash within scope;
 * - revoke-all for a subject is one revoke per permitted client, never the unscoped call;
 * - creating a token (one or a batch) for another client is refused;
 * - a person's authorized apps list only permitted clients, and an app of another client is never
 *   read, narrowed, revoked or forgotten.
 * Routes that cannot be scoped (whole-service actions) do not declare `clientScoped` and route()
 * refuses them to anyone without an all-clients grant.
 */

export interface Grant {
  role: Role;
  scope: ClientScope;
}

export function isAllClients(scope: ClientScope): scope is { kind: 'all' } {
  return scope.kind === 'all';
}

export function inScope(scope: ClientScope, clientId: string | undefined | null): boolean {
  if (isAllClients(scope)) return true;
  return clientId !== undefined && clientId !== null && scope.clientIds.includes(clientId);
}

/**
 * Refuses rows for clients outside the scope before anything is recorded or sent (a bulk issue's
 * chunk): the whole request, naming the first such client, as `client_not_permitted`.
 */
export function requireClientsInScope(scope: ClientScope, clientIds: readonly string[], operation: string): void {
  const outside = clientIds.find((clientId) => !inScope(scope, clientId));
  if (outside !== undefined) throw outOfScope(operation, outside);
}

/** The audit entries a grant may read: all, or those about its clients (server/audit). */
export function auditVisibilityOf(scope: ClientScope): AuditVisibility {
  return isAllClients(scope) ? 'all' : { clientIds: scope.clientIds };
}

/** Jobs a person sees: everyone's with a grant for every client, else only their own (the owner's id). */
export function jobOwnerFilter(scope: ClientScope, actorId: string): string | undefined {
  return isAllClients(scope) ? undefined : actorId;
}

/** The stored column for a scope (null = all clients) and back. */
export function scopeColumn(scope: ClientScope): string[] | null {
  return isAllClients(scope) ? null : [...new Set(scope.clientIds)];
}

export function scopeFromColumn(clientIds: string[] | null): ClientScope {
  if (clientIds === null) return ALL_CLIENTS;
  const parsed = clientScopeSchema.safeParse({ kind: 'clients', clientIds });
  // A damaged row grants nothing rather than everything: an empty set matches no client.
  return parsed.success ? parsed.data : { kind: 'clients', clientIds: [] };
}

/**
 * A person's grant in one service: their grant row, else their account's role over all clients
 * (accounts made before grants, and the CLI's, have no row).
 */
export async function grantFor(userId: string, service: string, accountRole: Role, db?: Database): Promise<Grant> {
  const database = db ?? (await getDb());
  const [row] = await database
    .select({ role: staffGrant.role, clientIds: staffGrant.clientIds })
    .from(staffGrant)
    .where(and(eq(staffGrant.userId, userId), eq(staffGrant.service, service)));
  if (!row) return { role: accountRole, scope: ALL_CLIENTS };
  const role = roleSchema.safeParse(row.role);
  return { role: role.success ? role.data : 'viewer', scope: scopeFromColumn(row.clientIds) };
}

/** A subject's apps read per call, and at most, when keeping only the permitted clients. */
const AUTHORIZED_CLIENTS_PAGE = 100;
const AUTHORIZED_CLIENTS_LIMIT = 1_000;

function notFound(operation: string): AuthleteError {
  // The same words as an unknown token: another client's token is not even confirmed to exist.
  return new AuthleteError('not_found', `No token matches within the clients you may see.`, { operation });
}

function outOfScope(operation: string, clientId: string): AuthleteError {
  return new AuthleteError(
    'client_not_permitted',
    `Client ${clientId} is not among the clients you may work with; ask an admin for access.`,
    { operation },
  );
}

/**
 * The client a scoped person's request may use: `client` restricted to `scope` (itself when the
 * scope is all clients). One instance per request: it remembers which hashes this request found
 * within scope, and only those may then be changed.
 */
export function scopedAuthlete(client: AuthleteClient, scope: ClientScope): AuthleteClient {
  if (isAllClients(scope)) return client;
  const permitted = [...new Set(scope.clientIds)];
  const confirmed = new Set<string>();
  const confirm = (token: Token, operation: string): void => {
    if (!inScope(scope, token.clientId)) throw notFound(operation);
    confirmed.add(token.accessTokenHash);
  };
  const requireConfirmed = (hash: string, operation: string) => {
    if (!confirmed.has(hash)) throw notFound(operation);
  };
  /** Finds the value's token by its hash within the permitted clients, or throws as for an unknown token. */
  const findValueInScope = async (value: string, signal?: AbortSignal): Promise<void> => {
    const hash = await sha256Base64Url(value);
    let limit: AuthleteError | undefined;
    for (const clientId of permitted) {
      try {
        confirm((await client.findToken(hash, { clientId }, signal)).token, 'token.introspect');
        return;
      } catch (error) {
        if (!(error instanceof AuthleteError)) throw error;
        if (error.code === 'search_limit_reached') limit = error;
        else if (error.code !== 'not_found') throw error;
      }
    }
    throw limit ?? notFound('token.introspect');
  };

  return {
    ...client,

    async listTokens(filter, start, end, signal): Promise<TokenPage> {
      if (filter.clientId !== undefined) {
        if (!inScope(scope, filter.clientId)) return { tokens: [], totalCount: 0 };
        const page = await client.listTokens(filter, start, end, signal);
        return { ...page, tokens: page.tokens.filter((token) => inScope(scope, token.clientId)) };
      }
      // One list per permitted client, concatenated in the grant's order: each client's total
      // first (a one-token page), then only the slices of the requested range that fall in it.
      const totals = await Promise.all(
        permitted.map(async (clientId) => (await client.listTokens({ ...filter, clientId }, 0, 1, signal)).totalCount),
      );
      const tokens: Token[] = [];
      let offset = 0;
      for (const [index, clientId] of permitted.entries()) {
        const total = totals[index] ?? 0;
        const from = Math.max(start, offset) - offset;
        const to = Math.min(end, offset + total) - offset;
        if (to > from) {
          const page = await client.listTokens({ ...filter, clientId }, from, to, signal);
          tokens.push(...page.tokens.filter((token) => token.clientId === clientId));
        }
        offset += total;
      }
      return { tokens, totalCount: offset };
    },

    async findToken(hash, narrow, signal) {
      if (narrow.clientId !== undefined) {
        if (!inScope(scope, narrow.clientId)) throw notFound('token.find');
        const found = await client.findToken(hash, narrow, signal);
        confirm(found.token, 'token.find');
        return found;
      }
      if (!narrow.subject) return client.findToken(hash, narrow, signal);
      // A subject alone: the scan runs per permitted client, never over the subject's other clients.
      for (const clientId of permitted) {
        try {
          const found = await client.findToken(hash, { ...narrow, clientId }, signal);
          confirm(found.token, 'token.find');
          return found;
        } catch (error) {
          if (!(error instanceof AuthleteError) || error.code !== 'not_found') throw error;
        }
      }
      throw notFound('token.find');
    },

    // Introspecting an expired token makes Authlete delete it, and whose token it is is known only
    // from the answer: so a value is introspected only once its hash is found among the permitted
    // clients' tokens (a listing, which changes nothing). Another client's token is never touched.
    async introspectToken(value, signal) {
      await findValueInScope(value, signal);
      const result = await client.introspectToken(value, signal);
      return result.state !== 'unknown' && !inScope(scope, result.clientId) ? { state: 'unknown' } : result;
    },

    async lookupTokenByValue(value, signal) {
      await findValueInScope(value, signal);
      const found = await client.lookupTokenByValue(value, signal, (clientId) => inScope(scope, clientId));
      confirm(found.token, 'token.introspect');
      return found;
    },

    async createToken(input) {
      if (!inScope(scope, input.clientId)) throw outOfScope('token.create', input.clientId);
      return client.createToken(input);
    },

    async createBatch(tokens, dryRun) {
      const outside = tokens.find((token) => !inScope(scope, token.clientId));
      if (outside) throw outOfScope('batch.create', outside.clientId);
      return client.createBatch(tokens, dryRun);
    },

    async updateToken(hash, input) {
      requireConfirmed(hash, 'token.update');
      return client.updateToken(hash, input);
    },

    async rotateTokenValue(hash) {
      requireConfirmed(hash, 'token.rotate');
      return client.rotateTokenValue(hash);
    },

    async revokeToken(hash) {
      requireConfirmed(hash, 'token.revoke');
      return client.revokeToken(hash);
    },

    async deleteToken(hash) {
      requireConfirmed(hash, 'token.delete');
      return client.deleteToken(hash);
    },

    async revokeSubjectTokens(subject, clientId) {
      if (clientId !== undefined) {
        if (!inScope(scope, clientId)) throw outOfScope('token.revoke_all', clientId);
        return client.revokeSubjectTokens(subject, clientId);
      }
      // One revoke per permitted client: the unscoped call would reach every client of the subject.
      let count = 0;
      for (const permittedClient of permitted) count += await client.revokeSubjectTokens(subject, permittedClient);
      return count;
    },

    // Authlete lists a subject's apps with no client filter: the one call names no client, and
    // only the permitted ones are kept, paged over what is kept.
    async listAuthorizedClients(subject, start, end, signal) {
      const kept: Awaited<ReturnType<AuthleteClient['listAuthorizedClients']>>['clients'] = [];
      for (let from = 0; from < AUTHORIZED_CLIENTS_LIMIT; from += AUTHORIZED_CLIENTS_PAGE) {
        const page = await client.listAuthorizedClients(subject, from, from + AUTHORIZED_CLIENTS_PAGE, signal);
        kept.push(...page.clients.filter((listed) => inScope(scope, listed.clientId)));
        if (from + AUTHORIZED_CLIENTS_PAGE >= page.totalCount) break;
      }
      return { clients: kept.slice(start, end), totalCount: kept.length };
    },

    async getGrantedScopes(subject, clientId, signal) {
      if (!inScope(scope, clientId)) throw outOfScope('consent.get', clientId);
      return client.getGrantedScopes(subject, clientId, signal);
    },

    async deleteGrantedScopes(subject, clientId) {
      if (!inScope(scope, clientId)) throw outOfScope('consent.forget', clientId);
      return client.deleteGrantedScopes(subject, clientId);
    },

    async updateAuthorization(subject, clientId, scopes) {
      if (!inScope(scope, clientId)) throw outOfScope('app.narrow', clientId);
      return client.updateAuthorization(subject, clientId, scopes);
    },

    async deleteAuthorization(subject, clientId) {
      if (!inScope(scope, clientId)) throw outOfScope('app.revoke', clientId);
      return client.deleteAuthorization(subject, clientId);
    },

    async listClients(maxClients) {
      return (await client.listClients(maxClients)).filter((listed) => inScope(scope, listed.clientId));
    },
  };
}
