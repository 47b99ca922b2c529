/**
 * Cross-site request check for mutations (CSRF defence on top of SameSite cookies). Pure.
 *
 * - `Sec-Fetch-Site` (sent by every current browser) must be `same-origin`, or `none` (typed in or
 *   a bookmark). `same-site` is refused too: a sibling subdomain is not this app.
 * - Without it, an `Origin` header must equal the app's own origin.
 * - With neither, the caller is not a browser that could be tricked into sending the cookie.
 */
export function isCrossSiteRequest(headers: Headers, appOrigin: string): boolean {
  const site = headers.get('sec-fetch-site')?.trim().toLowerCase();
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = headers.get('origin')?.trim();
  if (origin === undefined || origin === '') return false;
  // `Origin: null` (sandboxed frames, some redirects) is never this app.
  return origin.toLowerCase() !== appOrigin.toLowerCase();
}

/** The app's own origin: APP_URL when configured (behind a proxy), else the origin of the request URL. */
export function appOriginFor(requestUrl: string, appUrl: string | undefined): string {
  return new URL(appUrl ?? requestUrl).origin;
}

/** True when the Content-Type is JSON (`application/json`, optionally with parameters). */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  const type = value.split(';')[0]?.trim().toLowerCase();
  return type === 'application/json';
}
