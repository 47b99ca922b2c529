import 'server-only';
import { createAuthleteClient as createV3Client, type AuthleteClient } from './client';
import { AuthleteError } from './errors';

export { AuthleteError, isAuthleteError, type AuthleteErrorCode } from './errors';
export type { AuthleteClient, TokenListFilter, TokenPage } from './client';

/** One Authlete service as the client needs it: where, which API version, which credentials. */
export interface AuthleteTarget {
  baseUrl: string;
  apiVersion: 2 | 3;
  serviceId?: string;
  /** 3.x: the service access token (Bearer). */
  accessToken?: string;
  /** 2.x: HTTP Basic with the service API key and secret. */
  apiKey?: string;
  apiSecret?: string;
  timeoutMs?: number;
}

/**
 * The Authlete client of one service, in the dialect of its API version; nothing above this floor
 * knows which. This build speaks 3.x only: a 2.x service answers every call with an upstream error
 * until the 2.x dialect lands here.
 */
export function createAuthleteClient(target: AuthleteTarget): AuthleteClient {
  if (target.apiVersion !== 3 || !target.serviceId || !target.accessToken)
    throw new AuthleteError('upstream_error', 'This build of Token Desk cannot call an Authlete 2.x service yet.', {
      operation: 'client.create',
    });
  return createV3Client({
    baseUrl: target.baseUrl,
    serviceId: target.serviceId,
    serviceAccessToken: target.accessToken,
    timeoutMs: target.timeoutMs ?? 5_000,
  });
}
