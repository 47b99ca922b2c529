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

export async function findService(db: Db, serviceId: bigint): Promise<Service | null> {
  const r = await db.query<ServiceRow>('SELECT * FROM services WHERE service_id = $1', [serviceId.toString()]);
  return r.rows[0] ? toService(r.rows[0]) : null;
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
