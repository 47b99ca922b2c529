import 'server-only';
import type { AuthleteClient } from '@/server/authlete';
import { mapUpstream } from '@/server/authlete';
import type { ClientTokenCount, OverviewResponse } from '@/lib/schemas/overview';

/** Clients counted at once: two list calls each, kept well under Authlete's rate limits. */
const CONCURRENCY = 4;

/**
 * Valid and expired token counts per client, from `totalCount` of one-token list calls (two per
 * client), never by reading the tokens. A client-scoped `authlete` lists and counts only the
 * person's clients.
 */
export async function countTokensByClient(
  authlete: Pick<AuthleteClient, 'listClients' | 'listTokens'>,
  signal?: AbortSignal,
): Promise<ClientTokenCount[]> {
  const clients = await authlete.listClients();
  return mapUpstream(clients, CONCURRENCY, signal, async (client, callSignal) => {
    const count = async (status: 'valid' | 'expired') =>
      (await authlete.listTokens({ clientId: client.clientId, status }, 0, 1, callSignal)).totalCount;
    const [valid, expired] = await Promise.all([count('valid'), count('expired')]);
    return {
      clientId: client.clientId,
      ...(client.clientName ? { clientName: client.clientName } : {}),
      valid,
      expired,
    };
  });
}

/** The overview's answer: counts sorted by valid tokens (most first), with their totals. */
export function summariseCounts(counts: readonly ClientTokenCount[], countedAt: number): OverviewResponse {
  const clients = [...counts].sort(
    (a, b) => b.valid - a.valid || b.expired - a.expired || a.clientId.localeCompare(b.clientId),
  );
  const totals = clients.reduce((sum, row) => ({ valid: sum.valid + row.valid, expired: sum.expired + row.expired }), {
    valid: 0,
    expired: 0,
  });
  return { clients, totals, countedAt };
}
