import { mkdirSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_SERVICE_ACCESS_TOKEN, DEMO_SERVICE_ID } from '../config/demo';
import { createBatches } from './batches';
import { Clock, handleClockControl } from './clock';
import {
  handleAuthorizationDelete,
  handleAuthorizationList,
  handleAuthorizationUpdate,
  handleGrantedScopesDelete,
  handleGrantedScopesGet,
} from './authorizations';
import { handleClientGet, handleClientList, handleLockFlagUpdate, handleServiceGet, serviceToWire } from './catalog';
import { type Ctx, type Reply, queryIndex } from './context';
import { ensureSchema, openDatabase } from './db';
import { AuthleteError, resultMessage } from './errors';
import { type FaultsInput, FaultState, faultsSchema } from './faults';
import { handleIntrospection } from './introspection';
import {
  type Service,
  findOrganizationServices,
  findService,
  findServiceByAccessTokenHash,
  findServiceByApiCredentials,
  tokenHash,
} from './model';
import { DEMO_ENVIRONMENT_SERVICES, type ServiceSeed, seedDatabase, seedServices } from './seed';
import { MAX_TOKEN_VALUE_LENGTH, handleCreate, handleDelete, handleList, handleRevoke, handleUpdate } from './tokens';
import { bodyRead, parseJson, readBody, toJson } from './wire';

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** PGlite data folder; undefined = in-memory database (tests). */
  dataDir?: string;
  /**
   * Demo data, written only when the database is empty (first start). `environments`: also the
   * demo's staging (3.x) and 2.x services (DEMO_ENVIRONMENT_SERVICES in seed.ts), added on any
   * start where they are missing.
   */
  seed?: { demo?: boolean; tokens?: number; randomSeed?: number; environments?: boolean };
  /**
   * More services to serve (3.x with an access token, 2.x with an API key and secret), each with
   * its clients and generated tokens; written on any start where the service id is missing.
   */
  services?: ServiceSeed[];
  /**
   * Host names (without port) the emulator answers for besides the loopback ones (127.0.0.1,
   * localhost, [::1]) and the address it is bound to: for an emulator reached under another name.
   */
  allowedHosts?: string[];
  /** Initial fault injection (off by default). */
  faults?: FaultsInput;
  /** One line per request; default: silent. */
  log?: (line: string) => void;
  /** Progress of a large seed. */
  onSeedProgress?: (inserted: number, total: number) => void;
  /** Every API request and its answer, after the answer is sent (tests check them against Authlete's OpenAPI). */
  onExchange?: (exchange: Exchange) => void;
}

/** One request under /api/ and the emulator's answer, as text. */
export interface Exchange {
  method: string;
  /** Path and query as received. */
  url: string;
  requestContentType?: string;
  requestBody?: string;
  status: number;
  responseBody?: string;
  /** Answered by the emulator itself (fault injection, the Host guard), not by the emulated API. */
  injected: boolean;
  /** An Authlete 2.x request (a path without a service id): not described by the 3.x OpenAPI. */
  authlete2x?: boolean;
}

export interface Emulator {
  url: string;
  port: number;
  /** The demo service and its access token (from server/config/demo.ts). */
  serviceId: string;
  serviceAccessToken: string;
  /** Whether this start wrote the demo data (false when the data folder already had it). */
  seeded: boolean;
  close(): Promise<void>;
}

type Operation =
  | 'auth_token_get_list_api'
  | 'auth_token_create_api'
  | 'auth_token_create_batch_api'
  | 'auth_token_create_batch_status_api'
  | 'auth_token_update_api'
  | 'auth_token_revoke_api'
  | 'auth_token_delete_api'
  | 'auth_introspection_api'
  | 'client_get_list_api'
  | 'client_get_api'
  | 'client_flag_update_api'
  | 'client_authorization_get_list_api'
  | 'client_authorization_get_list_api_post'
  | 'client_authorization_get_list_by_subject_api'
  | 'client_authorization_update_api'
  | 'client_authorization_delete_api'
  | 'client_authorization_delete_api_post'
  | 'client_authorization_delete_by_subject_api'
  | 'client_granted_scopes_get_api'
  | 'client_granted_scopes_get_api_post'
  | 'client_granted_scopes_get_by_subject_api'
  | 'client_granted_scopes_delete_api'
  | 'client_granted_scopes_delete_by_subject_api'
  | 'service_get_api'
  | 'service_get_list_api';

interface PathParam {
  name: string;
  valid: (v: string) => boolean;
  maxLength: number;
}

/** A route: literal segments, `*` = a path parameter, validated by the `params` entry in the same order. */
interface Route {
  method: string;
  segments: string[];
  operation: Operation;
  apiPath: string;
  params?: PathParam[];
}

const TOKEN_IDENTIFIER = {
  name: 'accessTokenIdentifier',
  maxLength: MAX_TOKEN_VALUE_LENGTH,
  // A value or a hash: printable ASCII without '/', '\' or whitespace, never '.' or '..'.
  valid: (v: string) => /^[\x21-\x7e]+$/.test(v) && !/[/\\]/.test(v) && v !== '.' && v !== '..',
};
const REQUEST_ID = { name: 'tokenBatchRequestId', maxLength: 64, valid: (v: string) => /^[A-Za-z0-9-]+$/.test(v) };
const CLIENT_ID = {
  name: 'clientId',
  maxLength: 19,
  valid: (v: string) => /^\d{1,19}$/.test(v) && BigInt(v) <= 9223372036854775807n,
};
const CLIENT_IDENTIFIER = { ...TOKEN_IDENTIFIER, name: 'clientIdentifier', maxLength: 200 };
/**
 * A subject in the path: printable ASCII (create stores ASCII only) without '/' or '\\'; a
 * subject holding one is sent in the query or the body instead.
 */
const SUBJECT = {
  name: 'subject',
  maxLength: 100,
  valid: (v: string) => /^[\x20-\x7e]+$/.test(v) && !/[/\\]/.test(v) && v !== '.' && v !== '..',
};

const AUTHORIZATION_LIST = '/client/authorization/get/list';
const AUTHORIZATION_UPDATE = '/client/authorization/update';
const AUTHORIZATION_DELETE = '/client/authorization/delete';
const GRANTED_SCOPES_GET = '/client/granted_scopes/get';
const GRANTED_SCOPES_DELETE = '/client/granted_scopes/delete';

const ROUTES: Route[] = [
  {
    method: 'GET',
    segments: ['auth', 'token', 'get', 'list'],
    operation: 'auth_token_get_list_api',
    apiPath: '/auth/token/get/list',
  },
  {
    method: 'POST',
    segments: ['auth', 'token', 'create'],
    operation: 'auth_token_create_api',
    apiPath: '/auth/token/create',
  },
  {
    method: 'POST',
    segments: ['auth', 'token', 'create', 'batch'],
    operation: 'auth_token_create_batch_api',
    apiPath: '/auth/token/create/batch',
  },
  {
    method: 'GET',
    segments: ['auth', 'token', 'create', 'batch', 'status', '*'],
    operation: 'auth_token_create_batch_status_api',
    apiPath: '/auth/token/create/batch/status',
    params: [REQUEST_ID],
  },
  {
    method: 'POST',
    segments: ['auth', 'token', 'update'],
    operation: 'auth_token_update_api',
    apiPath: '/auth/token/update',
  },
  {
    method: 'POST',
    segments: ['auth', 'token', 'revoke'],
    operation: 'auth_token_revoke_api',
    apiPath: '/auth/token/revoke',
  },
  {
    method: 'DELETE',
    segments: ['auth', 'token', 'delete', '*'],
    operation: 'auth_token_delete_api',
    apiPath: '/auth/token/delete',
    params: [TOKEN_IDENTIFIER],
  },
  {
    method: 'POST',
    segments: ['auth', 'introspection'],
    operation: 'auth_introspection_api',
    apiPath: '/auth/introspection',
  },
  { method: 'GET', segments: ['client', 'get', 'list'], operation: 'client_get_list_api', apiPath: '/client/get/list' },
  {
    method: 'GET',
    segments: ['client', 'get', '*'],
    operation: 'client_get_api',
    apiPath: '/client/get',
    params: [CLIENT_ID],
  },
  {
    method: 'POST',
    segments: ['client', 'lock_flag', 'update', '*'],
    operation: 'client_flag_update_api',
    apiPath: '/client/lock_flag/update',
    params: [CLIENT_IDENTIFIER],
  },
  {
    method: 'GET',
    segments: ['client', 'authorization', 'get', 'list'],
    operation: 'client_authorization_get_list_api',
    apiPath: AUTHORIZATION_LIST,
  },
  {
    method: 'POST',
    segments: ['client', 'authorization', 'get', 'list'],
    operation: 'client_authorization_get_list_api_post',
    apiPath: AUTHORIZATION_LIST,
  },
  {
    method: 'GET',
    segments: ['client', 'authorization', 'get', 'list', '*'],
    operation: 'client_authorization_get_list_by_subject_api',
    apiPath: AUTHORIZATION_LIST,
    params: [SUBJECT],
  },
  {
    method: 'POST',
    segments: ['client', 'authorization', 'update', '*'],
    operation: 'client_authorization_update_api',
    apiPath: AUTHORIZATION_UPDATE,
    params: [CLIENT_ID],
  },
  {
    method: 'DELETE',
    segments: ['client', 'authorization', 'delete', '*'],
    operation: 'client_authorization_delete_api',
    apiPath: AUTHORIZATION_DELETE,
    params: [CLIENT_ID],
  },
  {
    method: 'POST',
    segments: ['client', 'authorization', 'delete', '*'],
    operation: 'client_authorization_delete_api_post',
    apiPath: AUTHORIZATION_DELETE,
    params: [CLIENT_ID],
  },
  {
    method: 'DELETE',
    segments: ['client', 'authorization', 'delete', '*', '*'],
    operation: 'client_authorization_delete_by_subject_api',
    apiPath: AUTHORIZATION_DELETE,
    params: [CLIENT_ID, SUBJECT],
  },
  {
    method: 'GET',
    segments: ['client', 'granted_scopes', 'get', '*'],
    operation: 'client_granted_scopes_get_api',
    apiPath: GRANTED_SCOPES_GET,
    params: [CLIENT_ID],
  },
  {
    method: 'POST',
    segments: ['client', 'granted_scopes', 'get', '*'],
    operation: 'client_granted_scopes_get_api_post',
    apiPath: GRANTED_SCOPES_GET,
    params: [CLIENT_ID],
  },
  {
    method: 'GET',
    segments: ['client', 'granted_scopes', 'get', '*', '*'],
    operation: 'client_granted_scopes_get_by_subject_api',
    apiPath: GRANTED_SCOPES_GET,
    params: [CLIENT_ID, SUBJECT],
  },
  {
    method: 'DELETE',
    segments: ['client', 'granted_scopes', 'delete', '*'],
    operation: 'client_granted_scopes_delete_api',
    apiPath: GRANTED_SCOPES_DELETE,
    params: [CLIENT_ID],
  },
  {
    method: 'DELETE',
    segments: ['client', 'granted_scopes', 'delete', '*', '*'],
    operation: 'client_granted_scopes_delete_by_subject_api',
    apiPath: GRANTED_SCOPES_DELETE,
    params: [CLIENT_ID, SUBJECT],
  },
  { method: 'GET', segments: ['service', 'get'], operation: 'service_get_api', apiPath: '/service/get' },
];

const BATCH_OPERATIONS: Operation[] = ['auth_token_create_batch_api', 'auth_token_create_batch_status_api'];

/**
 * Service-level paths without `{serviceId}`: Authlete 2.x's (HTTP Basic, the service picked by its
 * API key), the same operations as 3.x but the batch API, which 2.x does not have (its Java client
 * refuses the calls as "not supported"), so those paths are unknown (404). Plus 3.x's service
 * list, which has no service id either and takes an organization (or service) access token.
 */
const V2_ROUTES: Route[] = [
  ...ROUTES.filter((r) => !BATCH_OPERATIONS.includes(r.operation)),
  {
    method: 'GET',
    segments: ['service', 'get', 'list'],
    operation: 'service_get_list_api',
    apiPath: '/service/get/list',
  },
];

function matchRoute(routes: Route[], rest: string[]): Route[] {
  // One trailing slash is tolerated (Authlete's own curl samples use `/get/list/?...`).
  const segs = rest.length > 1 && rest[rest.length - 1] === '' ? rest.slice(0, -1) : rest;
  const matching = routes.filter(
    (r) => r.segments.length === segs.length && r.segments.every((s, i) => s === '*' || s === segs[i]),
  );
  // A literal segment wins over a parameter: `client/get/list` is the list, not a client named "list".
  const parameters = (r: Route) => r.params?.length ?? 0;
  const fewest = Math.min(...matching.map(parameters));
  return matching.filter((r) => parameters(r) === fewest);
}

/** `Authorization: Basic base64(key:secret)` (RFC 7617), or null when it is anything else. */
function basicCredentials(authorization: string): { key: string; secret: string } | null {
  const encoded = /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization)?.[1];
  if (!encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? null : { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Host names every emulator answers for. */
const LOOPBACK_HOST_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * The host name of a `Host` header (or of an EMULATOR_ALLOWED_HOSTS entry): lower-case, without
 * port or trailing dot, IPv6 in brackets; null when it is missing or malformed.
 */
export function hostNameOf(host: string | undefined): string | null {
  const match = /^(\[[0-9a-f:.]+\]|[^[\]:]+?)\.?(?::\d{1,5})?$/i.exec(host?.trim() ?? '');
  return match ? match[1]!.toLowerCase() : null;
}

/** True for content types that name JSON (`application/json`, with or without parameters). */
function isJsonContentType(value: string | undefined): boolean {
  return value?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

class Stats {
  private counts = new Map<string, number>();
  private total = 0;
  count(operation: string) {
    this.total++;
    this.counts.set(operation, (this.counts.get(operation) ?? 0) + 1);
  }
  reset() {
    this.counts.clear();
    this.total = 0;
  }
  toJSON() {
    return {
      total: this.total,
      operations: Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b))),
    };
  }
}

/** Writes the reply; returns the body text sent, if any. */
function send(res: ServerResponse, reply: Reply): string | undefined {
  if (res.writableEnded || res.destroyed) return undefined;
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...reply.headers };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return undefined;
  }
  const text = toJson(reply.body);
  res
    .writeHead(reply.status, {
      ...headers,
      'content-type': 'application/json;charset=UTF-8',
      'content-length': Buffer.byteLength(text),
    })
    .end(text);
  return text;
}

function errorReply(e: AuthleteError, apiPath: string): Reply {
  return {
    status: e.status,
    body: {
      resultCode: e.resultCode,
      resultMessage: resultMessage(e.resultCode, apiPath, e.detail),
      ...(e.action ? { action: e.action } : {}),
    },
  };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const { host = '127.0.0.1', port = 0, dataDir, log } = options;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await openDatabase(dataDir);
  const seeded = await seedDatabase(db, { ...options.seed, onProgress: options.onSeedProgress }, () =>
    ensureSchema(db),
  );
  await seedServices(
    db,
    [...(options.seed?.environments ? DEMO_ENVIRONMENT_SERVICES : []), ...(options.services ?? [])],
    { demo: options.seed?.demo },
  );
  const faults = new FaultState(options.faults ?? {});
  const stats = new Stats();
  const clock = new Clock();
  const batches = createBatches({ db, failElement: () => faults.failBatchElement(), now: clock.now });
  const hanging = new Set<ServerResponse>();
  // DNS rebinding: a web page whose own name resolves to this machine reaches the emulator with
  // its name in Host, and could then read and change everything with the published demo token.
  const allowedHosts = new Set(
    [...LOOPBACK_HOST_NAMES, host.includes(':') ? `[${host}]` : host, ...(options.allowedHosts ?? [])]
      .map(hostNameOf)
      .filter((name) => name !== null),
  );

  /**
   * Control endpoints under /__emulator/. Protection: they answer only requests from a loopback
   * address, or requests carrying a valid service access token of this emulator, so an emulator
   * bound to a wider interface cannot be reconfigured by anyone on the network.
   */
  async function handleControl(req: IncomingMessage, path: string): Promise<Reply> {
    const fromLoopback = LOOPBACK.has(req.socket.remoteAddress ?? '');
    if (!fromLoopback) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const service = bearer ? await findServiceByAccessTokenHash(db, tokenHash(bearer)) : null;
      if (!service)
        throw new AuthleteError(
          403,
          'A001216',
          'Emulator control endpoints need a loopback client or a service access token.',
        );
    }
    // JSON only: a cross-site page can send text/plain or form bodies (and bodiless POSTs) without
    // asking first, but not application/json.
    if (req.method === 'POST' && !isJsonContentType(req.headers['content-type'])) {
      throw new AuthleteError(415, 'A001224', 'Emulator control endpoints accept only Content-Type: application/json.');
    }
    const key = `${req.method} ${path}`;
    switch (key) {
      case 'GET /__emulator/health':
        return { status: 200, body: { status: 'ok', serviceId: DEMO_SERVICE_ID } };
      case 'GET /__emulator/faults':
        return { status: 200, body: faults.get() };
      case 'POST /__emulator/faults': {
        const parsed = faultsSchema.safeParse(JSON.parse(toJson(parseJson(await readBody(req)))));
        if (!parsed.success) {
          throw new AuthleteError(
            400,
            'A001217',
            `Invalid faults: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ')}`,
          );
        }
        return { status: 200, body: faults.set(parsed.data) };
      }
      case 'GET /__emulator/stats':
        return { status: 200, body: stats.toJSON() };
      case 'POST /__emulator/stats/reset':
        stats.reset();
        return { status: 200, body: stats.toJSON() };
      case 'GET /__emulator/clock':
      case 'POST /__emulator/clock':
      case 'POST /__emulator/sweep':
        return handleClockControl(req, key, clock, db);
      default:
        throw new AuthleteError(404, 'A001210', `There is no emulator control endpoint ${key}.`);
    }
  }

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    segments: string[],
    query: URLSearchParams,
  ): Promise<Reply | null> {
    // 3.x: ['', 'api', serviceId, ...rest]; 2.x (and 3.x's service list): ['', 'api', ...rest].
    const unscoped = matchRoute(V2_ROUTES, segments.slice(2));
    const first = unscoped.length > 0 ? 2 : 3;
    const candidates = first === 2 ? unscoped : matchRoute(ROUTES, segments.slice(3));
    if (candidates.length === 0) {
      stats.count('unknown');
      throw new AuthleteError(404, 'A001210', 'The requested API does not exist.');
    }
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      stats.count('unknown');
      const allowed = candidates.map((r) => r.method);
      // RFC 9110 §15.5.6: a 405 names the methods the resource does accept in Allow.
      return {
        ...errorReply(
          new AuthleteError(
            405,
            'A001211',
            `The API does not accept the ${req.method} method; use ${allowed.join(' or ')}.`,
          ),
          candidates[0]!.apiPath,
        ),
        headers: { allow: allowed.join(', ') },
      };
    }
    stats.count(route.operation);
    const authorization = req.headers.authorization;
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    // 3.x's service list is the one path without a service id that takes a Bearer token.
    const authlete2x = first === 2 && !(route.operation === 'service_get_list_api' && bearer !== undefined);
    const fail = (e: AuthleteError): Reply => ({ ...errorReply(e, route.apiPath), authlete2x });

    const latency = faults.latencyFor(route.operation);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const fault = faults.decide(route.operation);
    if (fault.kind === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return null;
    }
    if (fault.kind === 'rateLimit') {
      const r = fail(new AuthleteError(429, 'A001218', 'Too many requests (emulator fault injection).'));
      return { ...r, headers: { 'retry-after': String(fault.retryAfterSeconds) }, injected: true };
    }
    if (fault.kind === 'error') {
      return {
        ...fail(new AuthleteError(fault.status, 'A001101', 'Authlete Server error (emulator fault injection).')),
        injected: true,
      };
    }

    if (!authorization) return fail(new AuthleteError(401, 'A001202', 'Authorization header is missing.'));
    let caller: Service;
    if (route.operation === 'service_get_list_api') {
      if (authlete2x) {
        // 2.x's service list takes the service owner's key and secret; the emulator has no owners.
        return fail(new AuthleteError(401, 'A001204', 'The credentials are not those of a service owner.'));
      }
      return { ...(await listServices(bearer!, query)), authlete2x };
    } else if (first === 2) {
      const credentials = basicCredentials(authorization);
      if (!credentials)
        return fail(
          new AuthleteError(401, 'A001203', 'The Authorization header is not HTTP Basic with an API key and secret.'),
        );
      const service = await findServiceByApiCredentials(db, credentials.key, credentials.secret);
      if (!service) return fail(new AuthleteError(401, 'A001204', 'The API key and API secret are invalid.'));
      caller = service;
    } else {
      // The service id is taken literally: digits only, never decoded.
      const rawServiceId = segments[2]!;
      if (!/^\d{1,19}$/.test(rawServiceId) || BigInt(rawServiceId) > 9223372036854775807n) {
        return fail(new AuthleteError(400, 'A001205', 'The service ID in the path is malformed.'));
      }
      if (!bearer)
        return fail(
          new AuthleteError(401, 'A001203', 'The Authorization header is not a Bearer service access token.'),
        );
      const service = await findServiceByAccessTokenHash(db, tokenHash(bearer));
      if (!service) return fail(new AuthleteError(401, 'A001204', 'The service access token is invalid.'));
      if (service.serviceId !== BigInt(rawServiceId)) {
        // A 2.x service is not a 3.x service: on a 3.x path it does not exist.
        const target = await findService(db, BigInt(rawServiceId));
        return target
          ? fail(
              new AuthleteError(
                403,
                'A001219',
                `The access token does not have permission for the service (API Key = ${rawServiceId}).`,
              ),
            )
          : fail(new AuthleteError(403, 'A001206', `The service (API Key = ${rawServiceId}) does not exist.`));
      }
      caller = service;
    }

    const pathParams: string[] = [];
    const wildcards = route.segments.flatMap((s, i) => (s === '*' ? [i] : []));
    for (const [n, param] of (route.params ?? []).entries()) {
      const raw = segments[first + wildcards[n]!]!;
      let value: string;
      try {
        value = decodeURIComponent(raw);
      } catch {
        return fail(new AuthleteError(400, 'A001207', `The ${param.name} in the path is not valid percent-encoding.`));
      }
      if (value.length > param.maxLength) {
        return fail(
          new AuthleteError(
            400,
            'A001208',
            `The ${param.name} in the path is too long (at most ${param.maxLength} characters).`,
          ),
        );
      }
      if (!param.valid(value))
        return fail(new AuthleteError(400, 'A001209', `The ${param.name} in the path is malformed.`));
      pathParams.push(value);
    }

    const ctx: Ctx = { db, service: caller, apiPath: route.apiPath, req, query, pathParams, now: clock.now };
    const reply = await dispatch(route, ctx, fail);
    return { ...reply, authlete2x };
  }

  /**
   * GET /api/service/get/list (3.x): an organization's token lists the organization's 3.x
   * services; a service access token lists the one service it can view (the OpenAPI: "all
   * services that the access token can view").
   */
  async function listServices(bearer: string, query: URLSearchParams): Promise<Reply> {
    const fail = (e: AuthleteError) => errorReply(e, '/service/get/list');
    try {
      const start = queryIndex(query, 'start', 0, 'A182201');
      const end = queryIndex(query, 'end', 5, 'A182201');
      if (end < start)
        throw new AuthleteError(400, 'A182202', `'end' (${end}) must not be less than 'start' (${start}).`);
      const hash = tokenHash(bearer);
      let found = await findOrganizationServices(db, hash, start, end);
      if (!found) {
        const own = await findServiceByAccessTokenHash(db, hash);
        if (!own) throw new AuthleteError(401, 'A001204', 'The access token is invalid.');
        found = { services: start === 0 && end > 0 ? [own] : [], totalCount: 1 };
      }
      return {
        status: 200,
        body: { start, end, totalCount: found.totalCount, services: found.services.map(serviceToWire) },
      };
    } catch (e) {
      if (e instanceof AuthleteError) return fail(e);
      throw e;
    }
  }

  async function dispatch(route: Route, ctx: Ctx, fail: (e: AuthleteError) => Reply): Promise<Reply> {
    try {
      switch (route.operation) {
        case 'auth_token_get_list_api':
          return await handleList(ctx);
        case 'auth_token_create_api':
          return await handleCreate(ctx);
        case 'auth_token_create_batch_api':
          return await batches.handleCreateBatch(ctx);
        case 'auth_token_create_batch_status_api':
          return await batches.handleStatus(ctx);
        case 'auth_token_update_api':
          return await handleUpdate(ctx);
        case 'auth_token_revoke_api':
          return await handleRevoke(ctx);
        case 'auth_token_delete_api':
          return await handleDelete(ctx);
        case 'auth_introspection_api':
          return await handleIntrospection(ctx);
        case 'client_get_list_api':
          return await handleClientList(ctx);
        case 'client_get_api':
          return await handleClientGet(ctx);
        case 'client_flag_update_api':
          return await handleLockFlagUpdate(ctx);
        case 'client_authorization_get_list_api':
        case 'client_authorization_get_list_api_post':
        case 'client_authorization_get_list_by_subject_api':
          return await handleAuthorizationList(ctx);
        case 'client_authorization_update_api':
          return await handleAuthorizationUpdate(ctx);
        case 'client_authorization_delete_api':
        case 'client_authorization_delete_api_post':
        case 'client_authorization_delete_by_subject_api':
          return await handleAuthorizationDelete(ctx);
        case 'client_granted_scopes_get_api':
        case 'client_granted_scopes_get_api_post':
        case 'client_granted_scopes_get_by_subject_api':
          return await handleGrantedScopesGet(ctx);
        case 'client_granted_scopes_delete_api':
        case 'client_granted_scopes_delete_by_subject_api':
          return await handleGrantedScopesDelete(ctx);
        case 'service_get_api':
          return await handleServiceGet(ctx);
        case 'service_get_list_api':
          throw new Error('The service list is answered by listServices.');
      }
    } catch (e) {
      if (e instanceof AuthleteError) return fail(e);
      throw e;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<number | 'hang'> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    // Routing works on the raw path: an encoded '/' (%2F) or '..' stays inside its segment.
    const segments = path.split('/');
    const apiPath = path.startsWith('/api/') ? path.replace(/^\/api\/[^/]*/, '') : path;
    let reply: Reply | null;
    try {
      if (!allowedHosts.has(hostNameOf(req.headers.host) ?? '')) {
        // The emulator's own guard (DNS rebinding), not Authlete's behaviour: marked like a fault.
        const refusal = new AuthleteError(
          421,
          'A001223',
          'This emulator answers only for loopback host names (127.0.0.1, localhost, [::1]) and EMULATOR_ALLOWED_HOSTS.',
        );
        reply = { ...errorReply(refusal, apiPath), injected: true };
      } else if (segments[1] === '__emulator') reply = await handleControl(req, path);
      else if (segments[1] === 'api' && segments.length >= 4) reply = await handleApi(req, res, segments, query);
      else {
        stats.count('unknown');
        throw new AuthleteError(404, 'A001210', 'The requested API does not exist.');
      }
    } catch (e) {
      if (e instanceof AuthleteError) reply = errorReply(e, apiPath);
      else {
        log?.(`emulator error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        reply = errorReply(new AuthleteError(500, 'A001101', 'Authlete Server error.'), path);
      }
    }
    if (reply === null) return 'hang';
    const text = send(res, reply);
    if (options.onExchange && segments[1] === 'api') {
      options.onExchange({
        method: req.method ?? 'GET',
        url,
        requestContentType: req.headers['content-type'],
        requestBody: bodyRead(req),
        status: reply.status,
        responseBody: text,
        injected: reply.injected === true,
        ...(reply.authlete2x ? { authlete2x: true } : {}),
      });
    }
    return reply.status;
  }

  /** Request paths for the log, with token values (delete identifiers) replaced. */
  function redact(url: string): string {
    return url.replace(/(\/auth\/token\/delete\/)[^/?]*/, '$1{accessTokenIdentifier}');
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    void handle(req, res).then((status) => {
      log?.(
        `${req.method} ${redact(req.url ?? '')} ${status === 'hang' ? 'HANG (fault)' : status} ${(performance.now() - started).toFixed(1)}ms`,
      );
    });
  });
  // Idle keep-alive sockets stay open longer than any client keeps them (Token Desk's keeps them 30 s),
  // as a load balancer in front of Authlete does: a server that closes first races the client's next
  // request on that socket, which then fails with ECONNRESET (a POST is not retried). close() ends
  // every connection itself, so this does not keep it waiting.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    serviceId: DEMO_SERVICE_ID,
    serviceAccessToken: DEMO_SERVICE_ACCESS_TOKEN,
    seeded,
    close() {
      closing ??= (async () => {
        for (const res of hanging) res.destroy();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await batches.stop();
        await db.close();
      })();
      return closing;
    },
  };
}
