import { expect, test, type Page } from '@playwright/test';

/** Signs in at the provider's own pages: its login form (any password), then consent. */
async function signInAtProvider(page: Page, login: string) {
  await page.getByRole('button', { name: 'Sign in with Corp SSO' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const consent = page.getByRole('button', { name: 'Continue' });
  // Consent is asked once per person and client.
  if (await consent.isVisible({ timeout: 5_000 }).catch(() => false)) await consent.click();
}

test.describe('staff sign-in', () => {
  test('password sign-in with a demo account, then sign-out ends the session at once', async ({ page, context }) => {
    await page.goto('/tokens');
    await expect(page).toHaveURL(/\/sign-in/);
    await page.getByRole('button', { name: 'Fill in the support demo account' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/tokens/);
    await expect(page.getByText('support@demo.local')).toBeVisible();
    // Support may revoke but not read the audit log.
    await expect(page.getByRole('link', { name: 'Audit' })).toHaveCount(0);

    const cookies = await context.cookies();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    // The old cookie is dead on the server, not merely forgotten by the browser.
    await context.addCookies(cookies);
    expect((await page.request.get('/api/session')).status()).toBe(401);
    await page.goto('/tokens');
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test('a signed-out deep link comes back to the same page after sign-in', async ({ page }) => {
    await page.goto('/tokens?status=all&pageSize=50');
    await expect(page).toHaveURL(/\/sign-in\?next=%2Ftokens%3Fstatus%3Dall%26pageSize%3D50/);
    await page.getByRole('button', { name: 'Fill in the viewer demo account' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/tokens\?status=all&pageSize=50$/);
  });

  test('signed in, a sign-in link whose next path is outside Latin-1 redirects there instead of failing', async ({
    page,
  }) => {
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Fill in the viewer demo account' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/tokens/, { timeout: 20_000 });
    const answer = await page.request.get('/sign-in?next=%2F%E3%80%80%2Fx', { maxRedirects: 0 });
    expect(answer.status()).toBe(307);
    expect(answer.headers().location).toBe('/%E3%80%80/x');
  });

  test('the audit log records the connection’s address, not one the client forwards', async ({ page }) => {
    const base = test.info().project.use.baseURL!;
    const forged = await page.request.post('/api/auth/sign-in/email', {
      data: { email: 'forwarded@demo.local', password: 'not the password' },
      headers: { origin: base, 'x-forwarded-for': '203.0.113.77', 'x-token-desk-peer-address': '203.0.113.78' },
    });
    expect(forged.status()).toBe(401);
    const signIn = await page.request.post('/api/auth/sign-in/email', {
      data: { email: 'admin@demo.local', password: 'token-desk-demo' },
      headers: { origin: base },
    });
    expect(signIn.ok()).toBe(true);
    const audit = await (
      await page.request.get('/api/s/production/audit?action=auth.sign_in_failed&actor=forwarded@demo.local')
    ).json();
    expect(audit.entries.map((entry: { ip: string | null }) => entry.ip)).toEqual(['127.0.0.1']);
  });

  test('Better Auth’s own session and account endpoints are closed', async ({ page }) => {
    const base = test.info().project.use.baseURL!;
    expect(
      (
        await page.request.post('/api/auth/sign-in/email', {
          data: { email: 'admin@demo.local', password: 'token-desk-demo' },
          headers: { origin: base },
        })
      ).ok(),
    ).toBe(true);
    for (const path of ['/api/auth/list-sessions', '/api/auth/get-session'])
      expect((await page.request.get(path)).status(), path).toBe(404);
    for (const path of ['/api/auth/change-password', '/api/auth/revoke-sessions', '/api/auth/update-user']) {
      expect((await page.request.post(path, { data: {}, headers: { origin: base } })).status(), path).toBe(404);
    }
    expect((await page.request.get('/api/session')).ok()).toBe(true);
  });

  test('a wrong password is explained and focus moves to the message', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill('viewer@demo.local');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // Next.js has its own (empty) route announcer with the alert role; ours is the one with text.
    const alert = page.getByRole('alert').filter({ hasText: 'Email or password is incorrect.' });
    await expect(alert).toBeVisible();
    await expect(alert).toBeFocused();
  });

  test('single sign-on gives the role the provider’s groups map to', async ({ page }) => {
    await page.goto('/sign-in');
    await signInAtProvider(page, 'sso-admin');
    await expect(page).toHaveURL(/\/tokens/);
    await expect(page.getByText('sso-admin@corp.test')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Audit' })).toBeVisible();
    const session = await (await page.request.get('/api/session')).json();
    expect(session.actor).toMatchObject({ email: 'sso-admin@corp.test', role: 'admin', method: 'oidc' });

    // The sign-in is in the audit log with its method.
    const audit = await (
      await page.request.get('/api/s/production/audit?action=auth.sign_in&actor=sso-admin@corp.test')
    ).json();
    expect(audit.entries[0]).toMatchObject({ outcome: 'success', actor: { role: 'admin', method: 'oidc' } });
  });

  test('single sign-on without a mapped role is refused with a reason', async ({ page }) => {
    await page.goto('/sign-in');
    await signInAtProvider(page, 'sso-sales');
    await expect(page).toHaveURL(/\/sign-in\?error=/);
    await expect(page.getByRole('alert').filter({ hasText: 'no Token Desk role' })).toBeVisible();
    expect((await page.request.get('/api/session')).status()).toBe(401);
  });
});
