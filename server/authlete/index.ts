import 'server-only';

export { AuthleteError, isAuthleteError, type AuthleteErrorCode } from './errors';
/**
 * The Authlete client of one service (server/services builds one per service), in the dialect of
 * its API version (3.x Bearer and `/api/{serviceId}/…`, 2.x HTTP Basic and `/api/…`); nothing above
 * this floor knows which.
 */
export {
  createAuthleteClient,
  listOrganizationServices,
  type AuthleteClient,
  type AuthleteClientOptions,
  type TokenListFilter,
  type TokenPage,
} from './client';
export type { AuthleteTarget } from './transport';
// Callers fanning out their own upstream calls (the overview's per-client counts) share its abort rules.
export { mapUpstream } from './transport';
