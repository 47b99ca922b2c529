import type { Role } from '@/lib/roles';
import { LEGACY_SERVICE_API_KEY, LEGACY_SERVICE_API_SECRET } from '@/server/emulator/seed';
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

/** One entry of `AUTHLETE_SERVICES`; a 3.x entry without credentials gets the emulator's main service. */
export interface TestService {
  slug: string;
  name: string;
  environment: 'production' | 'staging' | 'development';
  apiVersion?: 2 | 3;
  serviceId?: string;
  accessToken?: string;
  apiKey?: string;
  apiSecret?: string;
}

/** A 3.x production service and the emulator's 2.x one, as several route tests configure them. */
export const PRODUCTION_AND_LEGACY: readonly TestService[] = [
  { slug: 'production', name: 'Production', environment: 'production' },
  {
    slug: 'legacy',
    name: 'Legacy',
    environment: 'production',
    apiVersion: 2,
    apiKey: LEGACY_SERVICE_API_KEY,
    apiSecret: LEGACY_SERVICE_API_SECRET,
  },
];

/**
 * Points the configuration at several services of `emulator`, through `AUTHLETE_SERVICES` as an
 * operator writes it (the single-service variables unset, since both together are refused).
 */
export function useTestEmulatorServices(
  emulator: TestEmulator,
  services: readonly TestService[],
  env: Record<string, string> = {},
): void {
  useTestConfig({
    ...env,
    AUTHLETE_BASE_URL: undefined,
    AUTHLETE_SERVICE_ID: undefined,
    AUTHLETE_SERVICE_ACCESS_TOKEN: undefined,
    AUTHLETE_SERVICES: JSON.stringify(
      services.map((service) => ({
        ...(service.apiVersion === 2
          ? {}
          : { serviceId: emulator.serviceId, accessToken: emulator.serviceAccessToken }),
        apiVersion: 3,
        baseUrl: emulator.url,
        ...service,
      })),
    ),
    APP_URL: TEST_APP_URL,
  });
}

/** A signed-in session cookie for each of `roles`; call after `useTestEmulatorUpstream`. */
export async function sessionCookiesFor<R extends Role>(roles: readonly R[]): Promise<Record<R, string>> {
  const cookies = {} as Record<R, string>;
  for (const role of roles) cookies[role] = await sessionCookieFor(role);
  return cookies;
}
