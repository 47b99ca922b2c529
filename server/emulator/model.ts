import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db';

/** base64url SHA-256, 43 characters: how Authlete identifies a token without its value. */
export function tokenHash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** A fresh token value: 256 random bits, base64url (43 characters), like Authlete's. */
export function newTokenValue(): string {
  return randomBytes(32).toString('base64url');
}

export const GRANT_TYPES = [
  'AUTHORIZATION_CODE',
  'IMPLICIT',
  'PASSWORD',
  'CLIENT_CREDENTIALS',
  'REFRESH_TOKEN',
  'CIBA',
  'DEVICE_CODE',
  'TOKEN_EXCHANGE',
  'JWT_BEARER',
  'PRE_AUTHORIZED_CODE',
] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export interface Scope {
  name: string;
  description?: string;
  defaultEntry?: boolean;
  attributes?: { key: string; value: string }[];
}

export interface Property {
  key: string;
  value: string;
  hidden?: boolean;
}

export interface Service {
  serviceId: bigint;
  number: number;
  serviceName: string;
  issuer: string;
  accessTokenDuration: bigint;
  refreshTokenDuration: bigint;
  supportedScopes: Scope[];
  supportedGrantTypes: string[];
  createdAt: bigint;
  modifiedAt: bigint;
  /** 3 = service access token and `/api/{serviceId}/...`; 2 = HTTP Basic and paths without the id. */
  apiVersion: 2 | 3;
}

export interface Client {
  clientId: bigint;
  serviceId: bigint;
  number: number;
  clientIdAlias: string | null;
  clientName: string;
  description: string | null;
  clientType: string;
  developer: string;
  grantTypes: string[];
  createdAt: bigint;
  modifiedAt: bigint;
  locked: boolean;
  /** null = every scope of the service. */
  requestableScopes: string[] | null;
}

interface ServiceRow {
  service_id: bigint;
  number: number;
  service_name: string;
  issuer: string;
  access_token_duration: bigint;
  refresh_token_duration: bigint;
  supported_scopes: Scope[];
  supported_grant_types: string[];
  created_at: bigint;
  modified_at: bigint;
  api_version: number;
}

export interface ClientRow {
  client_id: bigint;
  service_id: bigint;
  number: number;
  client_id_alias: string | null;
  client_name: string;
  description: string | null;
  client_type: string;
  developer: string;
  grant_types: string[];
  created_at: bigint;
  modified_at: bigint;
  locked: boolean;
  requestable_scopes: string[] | null;
}

function toService(r: ServiceRow): Service {
  return {
    serviceId: r.service_id,
    number: r.number,
    serviceName: r.service_name,
    issuer: r.issuer,
    accessTokenDuration: r.access_token_duration,
    refreshTokenDuration: r.refresh_token_duration,
    supportedScopes: r.supported_scopes,
    supportedGrantTypes: r.supported_grant_types,
    createdAt: r.created_at,
    modifiedAt: r.modified_at,
    apiVersion: r.api_version === 2 ? 2 : 3,
  };
}

export function toClient(r: ClientRow): Client {
  return {
    clientId: r.client_id,
    serviceId: r.service_id,
    number: r.number,
    clientIdAlias: r.client_id_alias,
    clientName: r.client_name,
    description: r.description,
    clientType: r.client_type,
    developer: r.developer,
    grantTypes: r.grant_types,
    createdAt: r.created_at,
    modifiedAt: r.modified_at,
    locked: r.locked,
    requestableScopes: r.requestable_scopes,
  };
}

export async function findService(db: Db, serviceId: bigint, apiVersion: 2 | 3 = 3): Promise<Service | null> {
  const r = await db.query<ServiceRow>('SELECT * FROM services WHERE service_id = $1 AND api_version = $2', [
    serviceId.toString(),
    apiVersion,
  ]);
  return r.rows[0] ? toService(r.rows[0]) : null;
}

/** The 2.x service whose API key and secret these are (HTTP Basic), or null. */
export async function findServiceByApiCredentials(db: Db, apiKey: string, apiSecret: string): Promise<Service | null> {
  if (!/^\d{1,19}$/.test(apiKey) || BigInt(apiKey) > 9223372036854775807n) return null;
  const r = await db.query<ServiceRow>(
    'SELECT * FROM services WHERE service_id = $1 AND api_version = 2 AND api_secret_hash = $2',
    [apiKey, tokenHash(apiSecret)],
  );
  return r.rows[0] ? toService(r.rows[0]) : null;
}

/** The 3.x services of the organization whose access token has this hash; null for an unknown token. */
export async function findOrganizationServices(
  db: Db,
  hash: string,
  start: number,
  end: number,
): Promise<{ services: Service[]; totalCount: number } | null> {
  const org = await db.query<{ organization_id: bigint }>(
    'SELECT organization_id FROM organizations WHERE access_token_hash = $1',
    [hash],
  );
  const id = org.rows[0]?.organization_id;
  if (id === undefined) return null;
  const where = 'organization_id = $1 AND api_version = 3';
  const rows = await db.query<ServiceRow>(
    `SELECT * FROM services WHERE ${where} ORDER BY number LIMIT ${end - start} OFFSET ${start}`,
    [id.toString()],
  );
  const count = await db.query<{ n: bigint }>(`SELECT count(*) AS n FROM services WHERE ${where}`, [id.toString()]);
  return { services: rows.rows.map(toService), totalCount: Number(count.rows[0]?.n ?? 0n) };
}

export async function findServiceByAccessTokenHash(db: Db, hash: string): Promise<Service | null> {
  const r = await db.query<ServiceRow>('SELECT * FROM services WHERE access_token_hash = $1', [hash]);
  return r.rows[0] ? toService(r.rows[0]) : null;
}

/** A client of the service by numeric id, or else by alias (Authlete's "client identifier"). */
export async function findClient(db: Db, serviceId: bigint, identifier: string): Promise<Client | null> {
  if (/^\d{1,19}$/.test(identifier) && BigInt(identifier) <= 9223372036854775807n) {
    const byId = await db.query<ClientRow>('SELECT * FROM clients WHERE service_id = $1 AND client_id = $2', [
      serviceId.toString(),
      identifier,
    ]);
    if (byId.rows[0]) return toClient(byId.rows[0]);
  }
  const byAlias = await db.query<ClientRow>('SELECT * FROM clients WHERE service_id = $1 AND client_id_alias = $2', [
    serviceId.toString(),
    identifier,
  ]);
  return byAlias.rows[0] ? toClient(byAlias.rows[0]) : null;
}

/**
 * The service owning a client id, when it is not `serviceId`: Authlete refuses such a client with
 * `action: FORBIDDEN` rather than reporting that it does not exist.
 */
export async function clientIsForeign(db: Db, serviceId: bigint, identifier: string): Promise<boolean> {
  if (!/^\d{1,19}$/.test(identifier) || BigInt(identifier) > 9223372036854775807n) return false;
  const r = await db.query('SELECT 1 FROM clients WHERE client_id = $1 AND service_id <> $2', [
    identifier,
    serviceId.toString(),
  ]);
  return r.rows.length > 0;
}

/** The limited client view Authlete embeds in a token list filtered by client. */
export function clientLimited(c: Client) {
  return {
    number: c.number,
    clientName: c.clientName,
    ...(c.description ? { description: c.description } : {}),
    clientId: c.clientId,
    ...(c.clientIdAlias ? { clientIdAlias: c.clientIdAlias } : {}),
    clientIdAliasEnabled: c.clientIdAlias !== null,
    clientType: c.clientType,
  };
}
