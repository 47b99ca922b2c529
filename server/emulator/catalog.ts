import { type Ctx, type Reply, queryIndex } from './context';
import { badRequest } from './errors';
import { type ClientRow, clientLimited, toClient } from './model';

/** GET /api/{serviceId}/client/get/list: `client_get_list_response` with the limited client view. */
export async function handleClientList(ctx: Ctx): Promise<Reply> {
  const start = queryIndex(ctx.query, 'start', 0, 'A171201');
  const end = queryIndex(ctx.query, 'end', 5, 'A171201');
  if (end < start) throw badRequest('A171202', `'end' (${end}) must not be less than 'start' (${start}).`);
  const developer = ctx.query.get('developer') || null;
  const args: unknown[] = [ctx.service.serviceId.toString()];
  let where = 'service_id = $1';
  if (developer !== null) {
    args.push(developer);
    where += ' AND developer = $2';
  }
  const rows = await ctx.db.query<ClientRow>(
    `SELECT * FROM clients WHERE ${where} ORDER BY number LIMIT ${end - start} OFFSET ${start}`,
    args,
  );
  const count = await ctx.db.query<{ n: bigint }>(`SELECT count(*) AS n FROM clients WHERE ${where}`, args);
  return {
    status: 200,
    body: {
      start,
      end,
      totalCount: Number(count.rows[0]?.n ?? 0n),
      clients: rows.rows.map((row) => {
        const c = toClient(row);
        return {
          ...clientLimited(c),
          developer: c.developer,
          grantTypes: c.grantTypes,
          createdAt: c.createdAt,
          modifiedAt: c.modifiedAt,
          serviceNumber: ctx.service.number,
        };
      }),
    },
  };
}

/** GET /api/{serviceId}/service/get: the parts of `service` a token dashboard uses. */
export async function handleServiceGet(ctx: Ctx): Promise<Reply> {
  const s = ctx.service;
  return {
    status: 200,
    body: {
      number: s.number,
      serviceName: s.serviceName,
      issuer: s.issuer,
      apiKey: s.serviceId,
      clientIdAliasEnabled: true,
      accessTokenType: 'Bearer',
      accessTokenDuration: s.accessTokenDuration,
      refreshTokenDuration: s.refreshTokenDuration,
      refreshTokenKept: false,
      singleAccessTokenPerSubject: false,
      supportedGrantTypes: s.supportedGrantTypes,
      supportedScopes: s.supportedScopes,
      createdAt: s.createdAt,
      modifiedAt: s.modifiedAt,
    },
  };
}
