import type { Role } from '@/lib/roles';
import type { TestEmulator } from './emulator';

/** A Next route handler as tests call it: a Request and a promise of the dynamic segments. */
export type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

/** The origin route tests send requests to. */
export const TEST_APP_URL = 'http://desk.test';

/**
 * Points the app's configuration at `emulator`. Config is read when first imported, so call this
 * before importing any route or server module (import those dynamically afterwards).
 */
export function useTestEmulatorUpstream(emulator: TestEmulator, { timeoutMs }: { timeoutMs?: number } = {}): void {
  process.env.AUTHLETE_BASE_URL = emulator.url;
  process.env.AUTHLETE_SERVICE_ID = emulator.serviceId;
  process.env.AUTHLETE_SERVICE_ACCESS_TOKEN = emulator.serviceAccessToken;
  if (timeoutMs !== undefined) process.env.AUTHLETE_TIMEOUT_MS = String(timeoutMs);
  process.env.APP_URL = TEST_APP_URL;
}

/** A signed-in session cookie for each of `roles`; call after `useTestEmulatorUpstream`. */
export async function sessionCookiesFor<R extends Role>(roles: readonly R[]): Promise<Record<R, string>> {
  // Imported here, not at the top: it reads the configuration this module's caller sets first.
  const { sessionCookieFor } = await import('./session');
  const cookies = {} as Record<R, string>;
  for (const role of roles) cookies[role] = await sessionCookieFor(role);
  return cookies;
}
