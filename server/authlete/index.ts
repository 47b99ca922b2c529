import 'server-only';
import { config } from '@/server/config';
import { createAuthleteClient, type AuthleteClient } from './client';

export { AuthleteError, isAuthleteError, type AuthleteErrorCode } from './errors';
export {
  createAuthleteClient,
  type AuthleteClient,
  type AuthleteClientOptions,
  type TokenListFilter,
  type TokenPage,
} from './client';
export type { AuthleteTarget } from './transport';

let client: AuthleteClient | undefined;

/** The process-wide Authlete client, built from `config.authlete` on first use. */
export function getAuthleteClient(): AuthleteClient {
  const { serviceAccessToken, ...target } = config.authlete;
  client ??= createAuthleteClient({ ...target, apiVersion: 3, accessToken: serviceAccessToken });
  return client;
}
