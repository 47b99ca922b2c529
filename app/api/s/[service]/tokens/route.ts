import { tokenCreateInputSchema, tokenListQuerySchema } from '@/lib/schemas';
import { json, route } from '@/server/http/route';

/** Tokens matching the filters, one page (fanned out upstream in ≤20-token calls). */
export const GET = route({
  path: '/api/s/[service]/tokens',
  permission: 'tokens:read',
  clientScoped: true,
  query: tokenListQuerySchema,
  handler: async ({ query, authlete }) => {
    const start = (query.page - 1) * query.pageSize;
    const page = await authlete.listTokens(
      { subject: query.subject, clientId: query.clientId, status: query.status },
      start,
      start + query.pageSize,
    );
    return json({ tokens: page.tokens, totalCount: page.totalCount, page: query.page, pageSize: query.pageSize });
  },
});

/** Creates one token; the answer carries its values, shown once and never stored. */
export const POST = route({
  path: '/api/s/[service]/tokens',
  permission: 'tokens:write',
  clientScoped: true,
  audit: 'token.create',
  body: tokenCreateInputSchema,
  handler: async ({ body, audit, authlete }) => {
    audit.target = { clientId: body.clientId, subject: body.subject ?? null };
    audit.details = {
      grantType: body.grantType,
      scopes: body.scopes,
      // Whether values were supplied (a migration), never the values themselves.
      suppliedValues: body.accessToken !== undefined || body.refreshToken !== undefined,
    };
    const created = await authlete.createToken(body);
    audit.target.tokenHash = created.token.accessTokenHash;
    return json(created, 201);
  },
});
