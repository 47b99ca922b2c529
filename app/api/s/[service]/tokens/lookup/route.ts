import { tokenLookupRequestSchema } from '@/lib/schemas';
import { sha256Base64Url } from '@/lib/hash';
import { json, route } from '@/server/http/route';

/**
 * Finds a token from a pasted value with Authlete's introspection (one call, then a small scan of
 * its owner's tokens). The value arrives in the body, never a URL, and is not logged, audited or
 * stored: the audit entry has its hash. POST, so it is audited and counted like a change:
 * introspecting an expired token makes Authlete delete it.
 */
export const POST = route({
  path: '/api/s/[service]/tokens/lookup',
  permission: 'tokens:read',
  clientScoped: true,
  audit: 'token.lookup',
  body: tokenLookupRequestSchema,
  maxBodyBytes: 8 * 1024,
  handler: async ({ body, audit, signal, authlete }) => {
    audit.target = { tokenHash: await sha256Base64Url(body.token) };
    const found = await authlete.lookupTokenByValue(body.token, signal);
    audit.target = { tokenHash: found.hash, subject: found.token.subject ?? null, clientId: found.token.clientId };
    audit.details = { state: found.state };
    return json({
      state: found.state,
      token: found.token,
      complete: found.complete,
      ...(found.searched ? { searched: found.searched } : {}),
    });
  },
});
