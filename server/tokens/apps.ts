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

/** Tokens read per call, and at most, when gathering an app's scopes before narrowing it. */
const SCOPES_PAGE = 100;
const SCOPES_TOKENS_LIMIT = 2_000;

/**
 * Every scope the person's grant to this app covers now: its remembered consent and the scopes of
 * each of their tokens for it (all statuses). Narrowing may only keep a part of these.
 */
export async function currentAppScopes(
  authlete: AuthleteClient,
  subject: string,
  clientId: string,
  signal?: AbortSignal,
): Promise<Set<string>> {
  const consent = await authlete.getGrantedScopes(subject, clientId, signal);
  const scopes = new Set([...(consent.mergedGrantedScopes ?? []), ...(consent.latestGrantedScopes ?? [])]);
  for (let start = 0; start < SCOPES_TOKENS_LIMIT; start += SCOPES_PAGE) {
    const page = await authlete.listTokens({ subject, clientId, status: 'all' }, start, start + SCOPES_PAGE, signal);
    for (const token of page.tokens) for (const scope of token.scopes) scopes.add(scope);
    if (start + SCOPES_PAGE >= page.totalCount) break;
  }
  return scopes;
}
