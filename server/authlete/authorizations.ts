import { z } from 'zod';
import type { Consent } from '@/lib/schemas';
import { AuthleteError } from './errors';
import { pathSegment } from './path';
import type { createTransport } from './transport';
import { wireInt64, wireResultSchema, wireTimestamp } from './wire';

/**
 * Authlete's client-authorization and granted-scopes APIs (the apps a person has authorized, and
 * their remembered consent), in Token Desk's terms. The subject always travels in the body or the
 * query, never the path: a subject may hold characters a path segment cannot.
 */

type Call = ReturnType<typeof createTransport>['call'];

/** openapi `client_authorization_get_list_response`, entries `client_limited` (the fields shown). */
export const wireAuthorizedClientListSchema = z.object({
  start: z.number().int().nullish(),
  end: z.number().int().nullish(),
  subject: z.string().nullish(),
  totalCount: z.number().int().nonnegative().nullish(),
  clients: z
    .array(
      z.object({
        clientId: wireInt64,
        clientIdAlias: z.string().nullish(),
        clientName: z.string().nullish(),
        clientType: z.string().nullish(),
      }),
    )
    .nullish(),
});

/** openapi `client_granted_scopes_get_response`; absent lists = no record (Authlete's null). */
export const wireGrantedScopesSchema = wireResultSchema.extend({
  latestGrantedScopes: z.array(z.string()).nullish(),
  mergedGrantedScopes: z.array(z.string()).nullish(),
  modifiedAt: wireTimestamp.nullish(),
});

/** openapi `client_authorization_update_response` / `client_authorization_delete_response`. */
const wireResultOnlySchema = wireResultSchema;

export interface AuthorizedClient {
  clientId: string;
  clientIdAlias?: string;
  clientName?: string;
  clientType?: string;
}

/** A token count Authlete gives only inside `resultMessage`; `null` when it cannot be read. */
export interface CountedResult {
  count: number | null;
  resultMessage?: string;
}

/**
 * "[A137001] Deleted 3 access token(s) issued to the client (ID = …)" / "[A138001] Updated 1 access
 * token(s) …" (Authlete's own examples): the only place these APIs give the count. Anything else
 * (a reworded message, another language) reads as `null`: the caller says the count is unknown.
 */
export function parseTokenCount(resultMessage: string | null | undefined): number | null {
  const match = /\b(?:Deleted|Updated)\s+(\d{1,9})\s+access\s+token/i.exec(resultMessage ?? '');
  return match ? Number(match[1]) : null;
}

/**
 * Result codes of these APIs for a client this service does not have: unknown (x203) or another
 * service's (x204). Both mean "no such client here" to the person; the emulator's README lists them.
 */
const NO_SUCH_CLIENT = /^A1(37|38|40|41)20[34]$/;

async function forClient<T>(clientId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof AuthleteError &&
      (error.status === 404 || (error.resultCode !== undefined && NO_SUCH_CLIENT.test(error.resultCode)))
    ) {
      throw new AuthleteError(
        'not_found',
        `This service has no client ${clientId} (it is unknown, or belongs to another service).`,
        {
          ...(error.status === undefined ? {} : { status: error.status }),
          ...(error.resultCode === undefined ? {} : { resultCode: error.resultCode }),
          ...(error.operation === undefined ? {} : { operation: error.operation }),
        },
      );
    }
    throw error;
  }
}

const counted = (wire: z.output<typeof wireResultOnlySchema>): CountedResult => ({
  count: parseTokenCount(wire.resultMessage),
  ...(wire.resultMessage ? { resultMessage: wire.resultMessage } : {}),
});

export function authorizationOperations(call: Call) {
  return {
    /** The clients `subject` has authorized (Authlete computes it from their tokens), `start`..`end`. */
    async listAuthorizedClients(
      subject: string,
      start: number,
      end: number,
      signal?: AbortSignal,
    ): Promise<{ clients: AuthorizedClient[]; totalCount: number }> {
      const wire = await call({
        signal,
        operation: 'client.authorization.list',
        method: 'POST',
        path: '/client/authorization/get/list',
        body: { subject, start, end },
        idempotent: true,
        schema: wireAuthorizedClientListSchema,
      });
      const clients = (wire.clients ?? []).map((client) => ({
        clientId: client.clientId,
        ...(client.clientIdAlias ? { clientIdAlias: client.clientIdAlias } : {}),
        ...(client.clientName ? { clientName: client.clientName } : {}),
        ...(client.clientType ? { clientType: client.clientType } : {}),
      }));
      return { clients, totalCount: wire.totalCount ?? clients.length };
    },

    /** Replaces the scopes on every token of `subject` for the client; the count Authlete reported. */
    async updateAuthorization(subject: string, clientId: string, scopes: string[]): Promise<CountedResult> {
      return forClient(clientId, async () =>
        counted(
          await call({
            operation: 'client.authorization.update',
            method: 'POST',
            path: `/client/authorization/update/${pathSegment(clientId, 'client ID')}`,
            body: { subject, scopes },
            // Setting the same scopes twice gives the same tokens: safe to retry.
            idempotent: true,
            schema: wireResultOnlySchema,
          }),
        ),
      );
    },

    /** Deletes every token of `subject` for the client (revokes the app); the count Authlete reported. */
    async deleteAuthorization(subject: string, clientId: string): Promise<CountedResult> {
      return forClient(clientId, async () =>
        counted(
          await call({
            operation: 'client.authorization.delete',
            // The DELETE form: the OpenAPI lists only 200 for the POST form, so its errors are undescribed.
            method: 'DELETE',
            path: `/client/authorization/delete/${pathSegment(clientId, 'client ID')}`,
            query: { subject },
            // A second delete finds nothing and deletes nothing: safe to retry.
            idempotent: true,
            schema: wireResultOnlySchema,
          }),
        ),
      );
    },

    /** Remembered consent of `subject` for the client (null lists: no record). */
    async getGrantedScopes(subject: string, clientId: string, signal?: AbortSignal): Promise<Consent> {
      return forClient(clientId, async () => {
        const wire = await call({
          signal,
          operation: 'client.granted_scopes.get',
          // The GET form: the OpenAPI lists only 200 for the POST form, so its errors are undescribed.
          method: 'GET',
          path: `/client/granted_scopes/get/${pathSegment(clientId, 'client ID')}`,
          query: { subject },
          idempotent: true,
          schema: wireGrantedScopesSchema,
        });
        return {
          latestGrantedScopes: wire.latestGrantedScopes ?? null,
          mergedGrantedScopes: wire.mergedGrantedScopes ?? null,
          ...(wire.modifiedAt ? { modifiedAt: wire.modifiedAt } : {}),
        };
      });
    },

    /** Forgets the consent record (the person will be asked again); tokens are left alone. */
    async deleteGrantedScopes(subject: string, clientId: string): Promise<void> {
      await forClient(clientId, () =>
        call({
          operation: 'client.granted_scopes.delete',
          method: 'DELETE',
          path: `/client/granted_scopes/delete/${pathSegment(clientId, 'client ID')}`,
          query: { subject },
          idempotent: true,
          schema: wireResultOnlySchema,
        }),
      );
    },
  };
}
