import type { Role } from '@/lib/roles';
import { useTestConfig } from './config';
import type { TestEmulator } from './emulator';
import { sessionCookieFor } from './session';

/** A Next route handler as tests call it: a Request and a promise of the dynamic segments. */
export type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

/** The origin route tests send requests to. */
export const TEST_APP_URL = 'http://desk.test';

/**
 * Points the app's configuration at `emulator` (server/testing/config.ts). Call it before the first
 * use of the Authlete client or the database, e.g. in `beforeAll`.
 */
export function useTestEmulatorUpstream(
  emulator: TestEmulator,
  {
    timeoutMs,
    serviceId = emulator.serviceId,
    serviceAccessToken = emulator.serviceAccessToken,
    env = {},
  }: {
    timeoutMs?: number;
    serviceId?: string;
    serviceAccessToken?: string;
    /** More variables for this file's configuration (a policy, a limit). */
    env?: Record<string, string>;
  } = {},
): void {
  useTestConfig({
    ...env,
    AUTHLETE_BASE_URL: emulator.url,
    AUTHLETE_SERVICE_ID: serviceId,
    AUTHLETE_SERVICE_ACCESS_TOKEN: serviceAccessToken,
    ...(timeoutMs === undefined ? {} : { AUTHLETE_TIMEOUT_MS: String(timeoutMs) }),
    APP_URL: TEST_APP_URL,
  });
}

/** A signed-in session cookie for each of `roles`; call after `useTestEmulatorUpstream`. */
export async function sessionCookiesFor<R extends Role>(roles: readonly R[]): Promise<Record<R, string>> {
  const cookies = {} as Record<R, string>;
  for (const role of roles) cookies[role] = await sessionCookieFor(role);
  return cookies;
}
