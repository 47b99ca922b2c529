import { createHmac } from 'node:crypto';
import { shortHash } from '@/lib/format';
import { expect, expectAccessible, test, tokenTable, uniqueSubject } from './tokens-fixtures';

/** RFC 4648 base32 (the secret in an otpauth URI) to bytes. */
function base32Bytes(secret: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secret.replace(/=+$/, '').toUpperCase()) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${char}`);
    bits += index.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** The current RFC 6238 code (SHA-1, 30 s, 6 digits), as an authenticator app shows it. */
function totp(secret: string, at = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', base32Bytes(secret)).update(counter).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}

test.describe('second factor and step-up', () => {
  test('enrol TOTP, sign in with a code, and step up before a delete', async ({ page, browser, adminApi }) => {
    test.slow();
    const subject = uniqueSubject('mfa');
    const created = await adminApi.createToken({ subject });

    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Fill in the admin demo account' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/tokens/);
    const session = (await (await page.request.get('/api/session')).json()) as { actor: { id: string } };

    await page.getByRole('link', { name: 'Security' }).click();
    await expect(page.getByTestId('second-factor-status')).toHaveText('No second factor is set up for your account.');
    await expectAccessible(page, 'the account security page');
    await page.getByLabel('Password').fill('token-desk-demo');
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await page.getByLabel('Code from the app').fill(totp(secret));
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await expect(page.getByRole('heading', { name: 'Recovery codes' })).toBeVisible();
    await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
    await page.getByRole('link', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.getByRole('button', { name: 'Fill in the admin demo account' }).click();
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Authentication code').fill(totp(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page).toHaveURL(/\/tokens/);
    await page.goto('/account/security');
    await expect(page.getByTestId('second-factor-status')).toHaveText(
      'A second factor (authenticator app) is set up for your account.',
    );

    // The session has just been verified by the sign-in, so the server's window is still open: the
    // first delete is answered as the server answers once the window has passed (its own envelope).
    // The step-up itself and the retried delete go to the real server.
    let refused = false;
    await page.route('**/api/s/production/tokens/*', async (route) => {
      if (route.request().method() !== 'DELETE' || refused) return route.fallback();
      refused = true;
      await route.fulfill({
        status: 403,
        contentType: 'application/json',
        body: JSON.stringify({
          error: {
            code: 'step_up_required',
            message: 'Confirm it is you first.',
            details: { proof: 'second_factor' },
          },
        }),
      });
    });
    await page.goto(`/tokens?subject=${subject}`);
    await tokenTable(page)
      .getByRole('button', { name: `Delete token ${shortHash(created.token.accessTokenHash)} of ${subject}` })
      .click();
    const confirm = page.getByRole('dialog', { name: 'Delete this token?' });
    await confirm.getByLabel(/^Reason/).fill('Issued by mistake');
    await confirm.getByRole('button', { name: 'Delete token' }).click();

    const stepUp = page.getByRole('dialog', { name: 'Confirm it is you' });
    await expect(stepUp).toBeVisible();
    await expectAccessible(page, 'the step-up dialog');
    await stepUp.getByLabel('Code from the app').fill('000000' === totp(secret) ? '111111' : '000000');
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    await expect(stepUp.getByRole('alert')).toHaveText('That code or password is not right.');
    await stepUp.getByLabel('Code from the app').fill(totp(secret));
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    await expect(stepUp).toHaveCount(0);
    await expect(page.getByText(`Token ${shortHash(created.token.accessTokenHash)} deleted.`)).toBeVisible();
    expect(refused).toBe(true);

    // Leave the demo admin as the other specs expect it: another admin (single sign-on) resets the factor.
    const other = await browser.newContext();
    const ssoPage = await other.newPage();
    await ssoPage.goto('/sign-in');
    await ssoPage.getByRole('button', { name: 'Sign in with Corp SSO' }).click();
    await ssoPage.locator('input[name="login"]').fill('sso-admin');
    await ssoPage.locator('input[name="password"]').fill('any password');
    await ssoPage.getByRole('button', { name: 'Sign-in' }).click();
    const consent = ssoPage.getByRole('button', { name: 'Continue' });
    if (await consent.isVisible({ timeout: 5_000 }).catch(() => false)) await consent.click();
    await expect(ssoPage).toHaveURL(/\/tokens/);
    const base = test.info().project.use.baseURL!;
    const reset = await ssoPage.request.delete(`/api/staff/${session.actor.id}/second-factor`, {
      headers: { origin: base },
    });
    expect(reset.status()).toBe(204);
    await other.close();
  });
});
