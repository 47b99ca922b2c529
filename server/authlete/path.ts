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

/**
 * Builds `{baseUrl}/api/{serviceId}{path}?{query}` and checks the result is still on the configured
 * origin and under the service's path: defence in depth behind `pathSegment`.
 * `path` is a constant from the client with identifiers already passed through `pathSegment`.
 */
export function upstreamUrl(
  baseUrl: string,
  serviceId: string,
  path: string,
  query: Record<string, QueryValue> = {},
): URL {
  const base = new URL(baseUrl);
  const prefix = `${base.pathname.replace(/\/+$/, '')}/api/${pathSegment(serviceId, 'service ID')}`;
  const url = new URL(base.origin);
  url.pathname = `${prefix}${path}`;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) search.set(key, String(value));
  }
  url.search = search.toString();
  if (url.origin !== base.origin || url.pathname !== `${prefix}${path}` || !url.pathname.startsWith(`${prefix}/`)) {
    throw new AuthleteError('invalid_identifier', 'Refusing to call an upstream URL outside the configured Authlete service.');
  }
  return url;
}
