import 'server-only';
import pMap from 'p-map';
import type { AuthorizedApp, AuthorizedAppList } from '@/lib/schemas';
import type { AuthleteClient } from '@/server/authlete';

/** The most apps one person's view shows (Authlete pages the list; a person rarely has dozens). */
export const APPS_LIMIT = 100;
/** Newest tokens read per app for its scopes and last activity. */
const NEWEST_TOKENS = 20;
const CONCURRENCY = 4;

/**
 * One person's authorized apps as the support desk sees them: Authlete's list of clients, and per
 * client its remembered consent, token counts (valid / expired, an expired token not yet swept
 * counts) and the newest tokens for scopes and last activity.
 */
export async function listAuthorizedApps(
  authlete: AuthleteClient,
  subject: string,
  signal?: AbortSignal,
): Promise<AuthorizedAppList> {
  const { clients, totalCount } = await authlete.listAuthorizedClients(subject, 0, APPS_LIMIT, signal);
  const apps = await pMap(
    clients,
    async (client): Promise<AuthorizedApp> => {
      const [consent, valid, expired] = await Promise.all([
        authlete.getGrantedScopes(subject, client.clientId, signal),
        authlete.listTokens({ subject, clientId: client.clientId, status: 'valid' }, 0, 1, signal),
        authlete.listTokens({ subject, clientId: client.clientId, status: 'expired' }, 0, 1, signal),
      ]);
      const total = valid.totalCount + expired.totalCount;
      const newest =
        total > 0
          ? (
              await authlete.listTokens(
                { subject, clientId: client.clientId, status: 'all' },
                Math.max(0, total - NEWEST_TOKENS),
                total,
                signal,
              )
            ).tokens
          : [];
      const fromConsent = consent.mergedGrantedScopes ?? consent.latestGrantedScopes;
      const tokenScopes = [...new Set(newest.flatMap((token) => token.scopes))];
      return {
        ...client,
        scopes: fromConsent ?? tokenScopes,
        scopesFrom: fromConsent ? 'consent' : 'tokens',
        consent,
        tokens: { valid: valid.totalCount, expired: expired.totalCount },
        lastActivityAt: Math.max(0, ...newest.map((token) => Math.max(token.createdAt, token.lastRefreshedAt))),
      };
    },
    { concurrency: CONCURRENCY, signal },
  );
  return { subject, apps, totalCount };
}
