import { type Ctx, type Reply, queryIndex, readParams } from './context';
import { AuthleteError, badRequest } from './errors';
import {
  type Client,
  type ClientRow,
  type Service,
  clientIsForeign,
  clientLimited,
  findClient,
  toClient,
} from './model';

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
      clients: rows.rows.map((row) => clientToWire(toClient(row), ctx.service)),
    },
  };
}

/** The parts of openapi `client` the emulator keeps, `locked` included. */
function clientToWire(c: Client, service: Service) {
  return {
    ...clientLimited(c),
    developer: c.developer,
    grantTypes: c.grantTypes,
    createdAt: c.createdAt,
    modifiedAt: c.modifiedAt,
    serviceNumber: service.number,
    locked: c.locked,
  };
}

const CLIENT_GET_CODES = { unknown: 'A172201', foreign: 'A172202' } as const;

/**
 * GET /api/{serviceId}/client/get/{clientId}. A client of another service is refused with 403
 * (issue 18: not "does not exist"); an unknown one is a 400, the file listing no 404 here.
 */
export async function handleClientGet(ctx: Ctx): Promise<Reply> {
  const client = await ownClient(ctx, ctx.pathParams[0]!, CLIENT_GET_CODES);
  return { status: 200, body: clientToWire(client, ctx.service) };
}

/**
 * The service's client with this id (or, where `byAlias`, alias); another service's client is 403
 * with `codes.foreign`, a missing one `unknownStatus` (400 unless the operation documents 404).
 */
export async function ownClient(
  ctx: Ctx,
  identifier: string,
  codes: { unknown: string; foreign: string },
  unknownStatus = 400,
): Promise<Client> {
  const client = await findClient(ctx.db, ctx.service.serviceId, identifier);
  if (client) return client;
  if (await clientIsForeign(ctx.db, ctx.service.serviceId, identifier)) {
    throw new AuthleteError(403, codes.foreign, `The client (ID = ${identifier}) belongs to another service.`);
  }
  throw new AuthleteError(unknownStatus, codes.unknown, `The client (${identifier}) does not exist in the service.`);
}

const LOCK_CODES = { ok: 'A142001', malformed: 'A142201', missing: 'A142202', unknown: 'A142203', foreign: 'A142204' };

/**
 * POST /api/{serviceId}/client/lock_flag/update/{clientIdentifier} (id or alias), JSON or form
 * body `clientLocked`. A locked client gets no new or changed tokens (create, batch, update answer
 * `action: FORBIDDEN` A001215); its existing tokens are left as they are.
 */
export async function handleLockFlagUpdate(ctx: Ctx): Promise<Reply> {
  const params = await readParams(ctx, LOCK_CODES.malformed);
  const locked = params.boolean('clientLocked');
  if (locked === undefined) throw badRequest(LOCK_CODES.missing, "'clientLocked' (true or false) is required.");
  const client = await ownClient(ctx, ctx.pathParams[0]!, LOCK_CODES);
  await ctx.db.query('UPDATE clients SET locked = $2, modified_at = $3 WHERE client_id = $1', [
    client.clientId.toString(),
    locked,
    ctx.now().toString(),
  ]);
  return {
    status: 200,
    body: {
      resultCode: LOCK_CODES.ok,
      resultMessage: `[${LOCK_CODES.ok}] The client (ID = ${client.clientId}) is ${locked ? 'locked' : 'unlocked'}.`,
    },
  };
}

/** GET /api/{serviceId}/service/get (2.x: /api/service/get): the parts of `service` a token dashboard uses. */
export async function handleServiceGet(ctx: Ctx): Promise<Reply> {
  return { status: 200, body: serviceToWire(ctx.service) };
}

/** The parts of openapi `service` the emulator keeps (the API secret is never echoed). */
export function serviceToWire(s: Service) {
  return {
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
  };
}
