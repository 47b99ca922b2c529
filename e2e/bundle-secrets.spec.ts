/**
 * Neither the Authlete bearer nor the session-signing secret reaches a browser: not in any file of
 * the client bundles (`.next/static`, built by `next build` before this run) and not in any page or
 * API response the e2e stack serves, signed out or signed in as an admin.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from '../server/auth/demo-accounts';
import { DEMO_SERVICE_ACCESS_TOKEN } from '../server/config/demo';
import { e2eEncryptionKey, e2eSessionSecret } from './stack-secrets';

const staticDir = path.resolve(import.meta.dirname, '../.next/static');

/** The stack runs on the demo emulator, so its bearer is the demo service's token. */
const secrets = (): Record<string, string> => ({
  'Authlete bearer': DEMO_SERVICE_ACCESS_TOKEN,
  'session secret': e2eSessionSecret(),
  'encryption key': e2eEncryptionKey(),
});

/** A secret as it might appear: verbatim, or base64 / base64url encoded (e.g. inside a Basic header). */
function forms(secret: string): string[] {
  const buffer = Buffer.from(secret);
  return [secret, buffer.toString('base64').replace(/=+$/, ''), buffer.toString('base64url')];
}

function leaksIn(text: string): string[] {
  return Object.entries(secrets()).flatMap(([name, secret]) =>
    forms(secret).some((form) => text.includes(form)) ? [name] : [],
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

test.describe('no server secret reaches the browser', () => {
  test('the client bundles contain neither the Authlete bearer nor the session secret', () => {
    const files = filesUnder(staticDir);
    expect(files.filter((file) => file.endsWith('.js')).length, 'a built app (run next build first)').toBeGreaterThan(
      5,
    );
    const found = files.flatMap((file) =>
      leaksIn(readFileSync(file).toString('latin1')).map((name) => `${name} in ${path.relative(staticDir, file)}`),
    );
    expect(found).toEqual([]);
  });

  test('served pages and API answers contain neither, signed out or signed in as an admin', async ({
    page,
    request,
  }) => {
    const seen: string[] = [];
    page.on('response', async (response) => {
      const type = response.headers()['content-type'] ?? '';
      if (!/html|javascript|json|text/.test(type)) return;
      const body = await response.text().catch(() => '');
      for (const name of leaksIn(body)) seen.push(`${name} in ${response.url()}`);
    });

    await page.goto('/sign-in');
    const signIn = await page.request.post('/api/auth/sign-in/email', {
      data: { email: 'admin@demo.local', password: DEMO_PASSWORD },
    });
    expect(signIn.status()).toBe(200);
    for (const pathname of ['/tokens', '/tokens/new', '/audit', '/batches', '/batches/new']) {
      await page.goto(pathname);
      await page.waitForLoadState('networkidle');
    }
    for (const pathname of [
      '/api/session',
      '/api/health',
      '/api/s/production/clients',
      '/api/s/production/scopes',
      '/api/s/production/tokens?status=all&pageSize=100',
      '/api/s/production/audit',
    ]) {
      const response = await page.request.get(pathname);
      expect(response.status(), pathname).toBe(200);
      for (const name of leaksIn(await response.text())) seen.push(`${name} in ${pathname}`);
    }
    // Signed out, including error answers.
    for (const pathname of ['/sign-in', '/api/session', '/api/s/production/tokens']) {
      for (const name of leaksIn(await (await request.get(pathname)).text()))
        seen.push(`${name} in signed-out ${pathname}`);
    }
    expect(seen).toEqual([]);
  });
});
