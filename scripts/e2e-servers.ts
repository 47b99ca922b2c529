/** Playwright's web server: a fresh emulator and dashboard on test ports, in a throw-away data folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startTestOidcProvider } from '../server/auth/test-oidc-provider';
import { E2E_OIDC, e2eOidcPeople } from '../e2e/oidc-fixtures';
import { e2eEncryptionKey, e2eSessionSecret } from '../e2e/stack-secrets';
import { runStack } from './run-stack';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'token-desk-e2e-'));
// The throw-away data goes with the process, however it ends.
process.once('exit', () => rmSync(dataDir, { recursive: true, force: true }));
const appPort = Number(process.env.E2E_APP_PORT ?? 3100);
// A local OpenID provider, so single sign-on is tested in the browser (e2e/auth.spec.ts).
const oidc = await startTestOidcProvider({
  port: E2E_OIDC.port,
  clientId: E2E_OIDC.clientId,
  clientSecret: E2E_OIDC.clientSecret,
  redirectUris: [`http://127.0.0.1:${appPort}/api/auth/callback/oidc`],
  people: e2eOidcPeople,
});
process.once('exit', () => void oidc.close());
// An audit sink receiver: /ok takes every batch, /down answers 503, so the audit page shows one
// sink keeping up and one failing (e2e/tokens-audit.spec.ts).
const sinkReceiver = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(request.url === '/ok' ? 204 : 503).end());
});
await new Promise<void>((resolve) => sinkReceiver.listen(0, '127.0.0.1', resolve));
process.once('exit', () => void sinkReceiver.close());
const sinkUrl = `http://127.0.0.1:${(sinkReceiver.address() as AddressInfo).port}`;
const stack = await runStack({
  appPort,
  emulatorPort: Number(process.env.E2E_EMULATOR_PORT ?? 4110),
  dataDir,
  env: {
    OIDC_ISSUER: oidc.issuer,
    OIDC_CLIENT_ID: E2E_OIDC.clientId,
    OIDC_CLIENT_SECRET: E2E_OIDC.clientSecret,
    OIDC_DISPLAY_NAME: E2E_OIDC.displayName,
    OIDC_SCOPES: 'openid email profile groups',
    OIDC_ROLE_CLAIM: 'groups',
    OIDC_ROLE_MAP: 'desk-admins=admin,helpdesk=support',
    // Every spec signs in from 127.0.0.1; the limit itself is tested in server/auth.
    SIGN_IN_RATE_LIMIT_PER_MINUTE: '1000',
    // Specs sign in once and act for the whole run: a sign-in stays a fresh proof for the longest window allowed (an hour).
    // e2e/mfa.spec.ts runs its own stack with a short window to meet the step-up dialog for real.
    STEP_UP_WINDOW_SECONDS: '3600',
    // Four-eyes on whole-client revocations is met in e2e/mfa.spec.ts; here a lead revokes alone.
    APPROVAL_REVOKE_ALL_CLIENT: 'false',
    // e2e/webhooks.spec.ts runs its receiver on loopback over plain http, as an operator allows a
    // receiver on their own network; retries come seconds (not minutes) apart so it sees one.
    WEBHOOK_ALLOWED_RANGES: '127.0.0.1/32',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_RETRY_BASE_MS: '2000',
    // Known to e2e/bundle-secrets.spec.ts, which proves it never reaches the browser.
    BETTER_AUTH_SECRET: e2eSessionSecret(),
    AUDIT_SINKS: JSON.stringify([
      { name: 'e2e-soc', type: 'http', url: `${sinkUrl}/ok` },
      { name: 'e2e-down', type: 'http', url: `${sinkUrl}/down` },
    ]),
    // Admins may store services in the app (e2e/services.spec.ts adds one); a fresh key per run.
    ENCRYPTION_KEY: e2eEncryptionKey(),
  },
});
console.log(`e2e stack: dashboard ${stack.appUrl}, emulator ${stack.emulatorUrl}, data ${dataDir}`);
