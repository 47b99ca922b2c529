/**
 * Next's digest of an error thrown while rendering on the server. The server's log line for that
 * error carries the same digest, so quoting it finds the cause; errors thrown in the browser have none.
 */
export function errorDigest(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const digest = (error as { digest?: unknown }).digest;
  return typeof digest === 'string' && digest !== '' ? digest : undefined;
}
