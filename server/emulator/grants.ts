import type { Db } from './db';

/** What a created token tells about a subject's consent to a client. */
export interface Grant {
  clientId: bigint;
  subject: string | null;
  scopes: string[];
}

/**
 * Records remembered consent (client/granted_scopes) for tokens created through the token APIs, as
 * an authorization would: `latestGrantedScopes` becomes the newest token's scopes and
 * `mergedGrantedScopes` gains them. Tokens without a subject (client credentials) record nothing.
 */
export async function recordGrants(db: Db, serviceId: bigint, grants: Grant[], now: number): Promise<void> {
  const byPair = new Map<string, { client_id: string; subject: string; latest: string[]; merged: Set<string> }>();
  for (const { clientId, subject, scopes } of grants) {
    if (subject === null) continue;
    const key = `${clientId} ${subject}`;
    const entry = byPair.get(key) ?? { client_id: clientId.toString(), subject, latest: [], merged: new Set() };
    entry.latest = scopes;
    for (const scope of scopes) entry.merged.add(scope);
    byPair.set(key, entry);
  }
  if (byPair.size === 0) return;
  const rows = [...byPair.values()].map((e) => ({ ...e, merged: [...e.merged] }));
  // The merged set keeps the order scopes were first granted in.
  await db.query(
    `INSERT INTO granted_scopes (service_id, client_id, subject, latest_scopes, merged_scopes, modified_at)
     SELECT $2, client_id, subject, latest, merged, $3 FROM jsonb_to_recordset($1::jsonb)
       AS x(client_id bigint, subject text, latest jsonb, merged jsonb)
     ON CONFLICT (service_id, client_id, subject) DO UPDATE SET
       latest_scopes = EXCLUDED.latest_scopes,
       merged_scopes = (
         SELECT coalesce(jsonb_agg(scope ORDER BY first), '[]'::jsonb) FROM (
           SELECT scope, min(n) AS first
           FROM jsonb_array_elements_text(granted_scopes.merged_scopes || EXCLUDED.merged_scopes) WITH ORDINALITY AS s(scope, n)
           GROUP BY scope) AS u),
       modified_at = EXCLUDED.modified_at`,
    [JSON.stringify(rows), serviceId.toString(), now.toString()],
  );
}
