import 'server-only';
import { config } from '@/server/config';
import { createAuthleteClient, type AuthleteClient } from './client';

export { AuthleteError, isAuthleteError, type AuthleteErrorCode } from './errors';
export { createAuthleteClient, type AuthleteClient, type TokenListFilter, type TokenPage } from './client';

let client: AuthleteClient | undefined;

/** The process-wide Authlete client, built from `config.authlete` on first use. */
export function getAuthleteClient(): AuthleteClient {
  client ??= createAuthleteClient(config.authlete);
  return client;
}
