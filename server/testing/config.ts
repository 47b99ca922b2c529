import { config, replaceConfigForTests, type Config } from '@/server/config';
import { loadConfig } from '@/server/config/load';

/**
 * Runs this test file with `overrides` on top of the environment the process started with
 * (`undefined` removes a variable), checked like the real start-up. Call it before the first use of
 * what is built from the configuration (the Authlete client, the database, Better Auth), e.g. in
 * `beforeAll`; routes and server modules can be imported at the top of the file as usual. Returns
 * a function that puts back the configuration in force before.
 */
export function useTestConfig(overrides: Record<string, string | undefined>): () => void {
  const before: Config = config;
  // Tests that point at an emulator run as production would (AUTHLETE_* set), where admins must enrol a
  // second factor: that policy is off unless a test turns it on (the MFA tests do).
  const env: Record<string, string | undefined> = { MFA_REQUIRED_ROLES: 'none', ...process.env, ...overrides };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  replaceConfigForTests(loadConfig(env));
  return () => replaceConfigForTests(before);
}
