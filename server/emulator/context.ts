import type { Db } from './db';
import { AuthleteError } from './errors';
import type { Service } from './model';
import { Params, readBody } from './wire';
import type { IncomingMessage } from 'node:http';

/** What an API handler gets: the authenticated service and the request, already routed. */
export interface Ctx {
  db: Db;
  service: Service;
  /** Authlete's name for the API in messages, e.g. `/auth/token/create`. */
  apiPath: string;
  req: IncomingMessage;
  query: URLSearchParams;
  /** Path parameters after the service id, already validated as literal segments. */
  pathParams: string[];
  now(): number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Produced by the emulator itself (fault injection, the Host guard), not the emulated API. */
  injected?: boolean;
  /** An answer on an Authlete 2.x path (outside the 3.x OpenAPI the conformance check uses). */
  authlete2x?: boolean;
}

export async function readParams(ctx: Ctx, code: string): Promise<Params> {
  const text = await readBody(ctx.req);
  if (text.trim() === '') throw new AuthleteError(400, code, 'The request body is empty.');
  return Params.fromRequest(ctx.req.headers['content-type'], text, code);
}

/** Query-string integer (start/end): digits only, non-negative, 32-bit like Authlete's int32. */
export function queryIndex(query: URLSearchParams, name: string, fallback: number, code: string): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,10}$/.test(raw) || Number(raw) > 2147483647) {
    throw new AuthleteError(400, code, `'${name}' must be a non-negative integer, not '${raw}'.`);
  }
  return Number(raw);
}
