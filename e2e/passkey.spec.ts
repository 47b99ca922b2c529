import type { CDPSession, Page } from '@playwright/test';
import { shortHash } from '@/lib/format';
import { startOwnStack, type OwnStack } from './own-stack';
import { DEMO_PASSWORD, expect, expectAccessible, test, tokenTable, uniqueSubject } from './tokens-fixtures';

/** How long a proof lets dangerous actions through on this spec's own stack (the shortest allowed). */
const WINDOW_SECONDS = 30;
const WEB_BANKING = '26888344961664';

/**
 * Its own stack with a short step-up window, served as http://localhost: a passkey's relying party
 * is a host name (browsers refuse an IP address), and localhost is a secure context over http.
 */
let own: OwnStack;
let appUrl: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  own = await startOwnStack('passkey', (appPort) => ({
    STEP_UP_WINDOW_SECONDS: String(WINDOW_SECONDS),
    APP_URL: `http://localhost:${appPort}`,
  }));
  appUrl = `http://localhost:${own.appPort}`;
});

test.afterAll(async () => {
  await own?.close();
});

/** Chromium's virtual authenticator: a platform passkey store that checks it is the person. */
async function virtualAuthenticator(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  return cdp;
}

test('add a passkey, sign in with it, and step up with it before deleting a token', async ({ browser }) => {
  test.setTimeout(180_000);
  const subject = uniqueSubject('passkey');
  const context = await browser.newContext({ baseURL: appUrl });
  const page = await context.newPage();
  await virtualAuthenticator(page);

  // Ada signs in with her password and adds a passkey (her sign-in is fresh: no step-up yet).
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill('admin@demo.local');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/tokens/);
  await page.goto('/account/security');
  const passkeys = page.getByRole('region', { name: 'Passkeys' });
  await expect(passkeys).toContainText('You have no passkeys yet.');
  await passkeys.getByLabel('Name for a new passkey').fill('Work laptop');
  await passkeys.getByRole('button', { name: 'Add a passkey' }).click();
  await expect(page.getByText('Passkey Work laptop added.')).toBeVisible();
  await expect(passkeys.getByRole('listitem')).toHaveCount(1);
  await expect(passkeys.getByRole('listitem')).toContainText('Work laptop');
  await expect(page.getByTestId('second-factor-status')).toHaveText(
    'Your second factor is a passkey: sign in with it.',
  );
  await expectAccessible(page, 'the account security page with a passkey');

  // Signed out, the password alone no longer signs her in; the passkey does.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel('Email').fill('admin@demo.local');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByText(/This account signs in with a passkey/)).toBeVisible();
  await expectAccessible(page, 'the sign-in page');
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page).toHaveURL(/\/tokens/);

  // A token to delete, then past the window: deleting it asks for the passkey, which answers.
  const created = await page.request.post('/api/s/production/tokens', {
    data: { grantType: 'AUTHORIZATION_CODE', clientId: WEB_BANKING, subject, scopes: ['openid'] },
    headers: { origin: appUrl },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { token } = (await created.json()) as { token: { accessTokenHash: string } };
  await page.waitForTimeout((WINDOW_SECONDS + 2) * 1000);
  await page.goto(`/tokens?subject=${subject}`);
  await tokenTable(page)
    .getByRole('button', { name: `Delete token ${shortHash(token.accessTokenHash)} of ${subject}` })
    .click();
  const confirm = page.getByRole('dialog', { name: 'Delete this token?' });
  await confirm.getByLabel(/^Reason/).fill('Issued by mistake');
  await confirm.getByRole('button', { name: 'Delete token' }).click();
  const stepUp = page.getByRole('dialog', { name: 'Confirm it is you' });
  await expect(stepUp).toContainText('use your passkey');
  await expectAccessible(page, 'the step-up dialog with a passkey');
  await stepUp.getByRole('button', { name: 'Use a passkey' }).click();
  await expect(stepUp).toHaveCount(0);
  await expect(page.getByText(`Token ${shortHash(token.accessTokenHash)} deleted.`)).toBeVisible();

  // The step-up window is open again: removing the passkey goes straight through.
  await page.goto('/account/security');
  await page.getByRole('button', { name: 'Remove the passkey Work laptop' }).click();
  await expect(page.getByText('Passkey Work laptop removed.')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Passkeys' })).toContainText('You have no passkeys yet.');
  await context.close();
});
