import { AuthleteError } from './errors';

/**
 * Characters allowed in an identifier placed in an upstream URL path (token hash, batch request id):
 * RFC 3986 unreserved characters. `/`, `%`, `?`, `#`, `\` and whitespace can never get through, and
 * dot-only values (`.`, `..`) are refused separately, so an identifier cannot leave its path segment.
 */
const IDENTIFIER_PATTERN = /^[A-Za-z0-9._~-]+$/;
export const MAX_IDENTIFIER_LENGTH = 256;

/** Returns the identifier encoded for a path segment, or throws `invalid_identifier` (nothing is sent). */
export function pathSegment(identifier: string, what: string): string {
  if (
    identifier.length === 0 ||
    identifier.length > MAX_IDENTIFIER_LENGTH ||
    !IDENTIFIER_PATTERN.test(identifier) ||
    /^\.+$/.test(identifier)
  ) {
    throw new AuthleteError('invalid_identifier', `The ${what} is not a valid identifier.`);
  }
  // A no-op for the allowed characters; kept so a future widening of the pattern stays safe.
  return encodeURIComponent(identifier);
}

export type QueryValue = string | number | boolean | undefined;

/** Where a service's API lives: `{baseUrl}/api/{serviceId}`, split into origin and path prefix. */
export interface ServiceRoot {
  origin: string;
  prefix: string;
}

/** Where an Authlete 2.x service's API lives: `{baseUrl}/api` (the credentials name the service). */
export function apiRoot(baseUrl: string): ServiceRoot {
  const base = new URL(baseUrl);
  return { origin: base.origin, prefix: `${base.pathname.replace(/\/+$/, '')}/api` };
}

/** Checks the configured base URL and service id once (a client makes it at construction). */
export function serviceRoot(baseUrl: string, serviceId: string): ServiceRoot {
  const base = new URL(baseUrl);
  return {
    origin: base.origin,
    prefix: `${base.pathname.replace(/\/+$/, '')}/api/${pathSegment(serviceId, 'service ID')}`,
  };
}

/**
 * Builds `{root}{path}?{query}` and checks the result is still on the configured origin and under
 * the service's path: defence in depth behind `pathSegment`.
 * `path` is a constant from the client with identifiers already passed through `pathSegment`.
 */
export function upstreamUrl(root: ServiceRoot, path: string, query: Record<string, QueryValue> = {}): URL {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) search.set(key, String(value));
  }
  const pathname = `${root.prefix}${path}`;
  const url = new URL(root.origin);
  url.pathname = pathname;
  url.search = search.toString();
  if (url.origin !== root.origin || url.pathname !== pathname || !url.pathname.startsWith(`${root.prefix}/`)) {
    throw new AuthleteError(
      'invalid_identifier',
      'Refusing to call an upstream URL outside the configured Authlete service.',
    );
  }
  return url;
}
