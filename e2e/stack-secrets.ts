import { createHash } from 'node:crypto';

/**
 * The e2e stack's session-signing key, known to the tests so they can prove it never reaches a
 * browser. `npm test` exports a fresh random BETTER_AUTH_SECRET before the build and the end-to-end
 * run; this constant is only the fallback when Playwright is run on its own.
 */
export const E2E_SESSION_SECRET_FALLBACK = 'e2e-session-secret-must-never-reach-the-browser-7f3a9c';

export function e2eSessionSecret(): string {
  return process.env.BETTER_AUTH_SECRET || E2E_SESSION_SECRET_FALLBACK;
}

/** The stack's ENCRYPTION_KEY (stored services): derived from the session secret, so it is fresh each run and known here. */
export function e2eEncryptionKey(): string {
  return createHash('sha256').update(`${e2eSessionSecret()} encryption key`).digest('base64');
}
