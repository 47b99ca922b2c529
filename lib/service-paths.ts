/**
 * Every page and API address names its service: `/s/{service}/tokens`, `/api/s/{service}/tokens`.
 * The slug is checked by the server (lib/schemas/service.ts) and encoded here all the same.
 */
export function servicePath(service: string, path: `/${string}`): string {
  return `/s/${encodeURIComponent(service)}${path}`;
}

export function serviceApiPath(service: string, path: `/${string}`): string {
  return `/api/s/${encodeURIComponent(service)}${path}`;
}
