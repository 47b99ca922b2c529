import { createHmac } from 'node:crypto';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { shortHash } from '@/lib/format';
import type { RunningStack } from '../scripts/run-stack';
import { startOwnStack, type OwnStack } from './own-stack';
import { DEMO_PASSWORD, expect, expectAccessible, test, tokenTable, uniqueSubject } from './tokens-fixtures';

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

/** How long a proof lets dangerous actions through on this spec's own stack (the shortest allowed). */
const WINDOW_SECONDS = 30;
const WEB_BANKING = '26888344961664';

/**
 * Its own emulator and dashboard with a short step-up window and four-eyes on small offboardings,
 * so the step-up dialog and the approval are met for real (the shared e2e stack keeps a sign-in
 * fresh all run long). Its own data folder: the demo admin it enrols touches no other spec.
 */
let own: OwnStack;
let stack: RunningStack;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  own = await startOwnStack('mfa', () => ({
    STEP_UP_WINDOW_SECONDS: String(WINDOW_SECONDS),
    APPROVAL_OFFBOARDING_OVER: '1',
  }));
  stack = own.stack;
});

test.afterAll(async () => {
  await own?.close();
});

async function signedIn(
  browser: Browser,
  email: string,
  password: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: stack.appUrl });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  return { context, page };
}

/** A change through the API as the page's person (same-origin, as the browser would send it). */
function send(page: Page, method: 'POST' | 'DELETE', url: string, data?: unknown) {
  return page.request.fetch(url, { method, data, headers: { origin: stack.appUrl } });
}

test.describe('second factor, step-up and four-eyes', () => {
  test('enrol TOTP, sign in with a code, step up with a code and with a password, and approve as a second admin', async ({
    browser,
  }) => {
    test.setTimeout(240_000);
    const subject = uniqueSubject('mfa');

    // Ada (the demo admin) enrols an authenticator app.
    const ada = await signedIn(browser, 'admin@demo.local', DEMO_PASSWORD);
    const page = ada.page;
    await expect(page).toHaveURL(/\/tokens/);
    await page.getByRole('link', { name: 'Security' }).click();
    await expect(page.getByTestId('second-factor-status')).toHaveText('No second factor is set up for your account.');
    await expectAccessible(page, 'the account security page');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);
    await page.getByLabel('Code from the app').fill(totp(secret));
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await expect(page.getByRole('heading', { name: 'Recovery codes' })).toBeVisible();
    await expect(page.getByTestId('recovery-codes').locator('li')).toHaveCount(10);
    await page.getByRole('link', { name: 'Done' }).click();

    // Signing in again now takes the password and then a code.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/sign-in/);
    await page.getByLabel('Email').fill('admin@demo.local');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByLabel('Authentication code').fill(totp(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page).toHaveURL(/\/tokens/);
    await page.goto('/account/security');
    await expect(page.getByTestId('second-factor-status')).toHaveText(
      'A second factor (authenticator app) is set up for your account.',
    );

    // Ada adds Bo, a second admin (his initial password is answered once), and a token to delete.
    const added = await send(page, 'POST', '/api/s/production/staff', {
      email: `bo-${subject}@desk.test`,
      name: 'Bo Second',
      role: 'admin',
      scope: { kind: 'all' },
    });
    expect(added.status(), await added.text()).toBe(201);
    const { initialPassword } = (await added.json()) as { initialPassword: string };
    const bo = await signedIn(browser, `bo-${subject}@desk.test`, initialPassword);
    await expect(bo.page).toHaveURL(/\/tokens/);
    const created = await send(page, 'POST', '/api/s/production/tokens', {
      grantType: 'AUTHORIZATION_CODE',
      clientId: WEB_BANKING,
      subject,
      scopes: ['openid'],
    });
    expect(created.status(), await created.text()).toBe(201);
    const { token } = (await created.json()) as { token: { accessTokenHash: string } };
    for (const scopes of [['openid'], ['openid', 'accounts.read']]) {
      const more = await send(page, 'POST', '/api/s/production/tokens', {
        grantType: 'AUTHORIZATION_CODE',
        clientId: WEB_BANKING,
        subject: `${subject}-leaver`,
        scopes,
      });
      expect(more.status()).toBe(201);
    }

    // Past the window, a delete asks Ada for a code, refuses a wrong one and retries with the right one.
    await page.waitForTimeout((WINDOW_SECONDS + 2) * 1000);
    await page.goto(`/tokens?subject=${subject}`);
    await tokenTable(page)
      .getByRole('button', { name: `Delete token ${shortHash(token.accessTokenHash)} of ${subject}` })
      .click();
    const confirm = page.getByRole('dialog', { name: 'Delete this token?' });
    await confirm.getByLabel(/^Reason/).fill('Issued by mistake');
    await confirm.getByRole('button', { name: 'Delete token' }).click();
    const stepUp = page.getByRole('dialog', { name: 'Confirm it is you' });
    await expect(stepUp).toBeVisible();
    await expectAccessible(page, 'the step-up dialog');
    const current = totp(secret);
    await stepUp.getByLabel('Code from the app').fill(current === '000000' ? '111111' : '000000');
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    await expect(stepUp.getByRole('alert')).toHaveText('That code or password is not right.');
    await stepUp.getByLabel('Code from the app').fill(totp(secret));
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    await expect(stepUp).toHaveCount(0);
    await expect(page.getByText(`Token ${shortHash(token.accessTokenHash)} deleted.`)).toBeVisible();

    // Offboarding two tokens is over this stack's four-eyes threshold (1): Ada asks, Bo approves.
    await page.goto(`/subjects/${encodeURIComponent(`${subject}-leaver`)}`);
    await page
      .getByRole('region', { name: 'Offboarding' })
      .getByRole('button', { name: 'Offboard this person' })
      .click();
    const offboard = page.getByRole('dialog', { name: `Offboard ${subject}-leaver?` });
    await offboard.getByLabel('Reason (required, kept in the audit log)').fill('e2e: left the company');
    await offboard.getByRole('textbox', { name: /Type .* to confirm/ }).fill(`${subject}-leaver`);
    await offboard.getByRole('button', { name: 'Offboard', exact: true }).click();
    const asking = page.getByRole('dialog', { name: 'Request approval' });
    await expect(asking).toBeVisible();
    await expectAccessible(page, 'the approval request dialog');
    await asking.getByLabel('Justification').fill('The person left; HR ticket attached');
    await asking.getByLabel('Ticket (optional)').fill('HR-9');
    await asking.getByRole('button', { name: 'Send for approval' }).click();
    await expect(page.getByText('Sent for approval. Another administrator decides.')).toBeVisible();
    await expect(offboard).toHaveCount(0);

    // Bo sees one pending request in the navigation, and approves it.
    await bo.page.reload();
    const approvalsLink = bo.page.getByRole('link', { name: /Approvals/ });
    await expect(approvalsLink).toContainText('1');
    await approvalsLink.click();
    await expectAccessible(bo.page, 'the approvals page');
    // Bo signed in before the wait: deciding asks him for his password (he has no second factor).
    await bo.page.getByRole('button', { name: `Approve the request of admin@demo.local` }).click();
    const boStepUp = bo.page.getByRole('dialog', { name: 'Confirm it is you' });
    await expect(boStepUp).toContainText('Enter your password.');
    await boStepUp.getByLabel('Password').fill(initialPassword);
    await boStepUp.getByRole('button', { name: 'Confirm' }).click();
    await expect(bo.page.getByText('Request approved.')).toBeVisible();

    // Past the window again, Ada offboards again: a fresh code, then the approved action runs as previewed.
    await page.waitForTimeout((WINDOW_SECONDS + 2) * 1000);
    await page
      .getByRole('region', { name: 'Offboarding' })
      .getByRole('button', { name: 'Offboard this person' })
      .click();
    await offboard.getByLabel('Reason (required, kept in the audit log)').fill('e2e: left the company');
    await offboard.getByRole('textbox', { name: /Type .* to confirm/ }).fill(`${subject}-leaver`);
    await offboard.getByRole('button', { name: 'Offboard', exact: true }).click();
    await stepUp.getByLabel('Code from the app').fill(totp(secret));
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    await expect(
      page.getByRole('dialog', { name: `Offboarding report for ${subject}-leaver` }).getByRole('status'),
    ).toHaveText(`Offboarding finished: every token and consent record of ${subject}-leaver was removed.`, {
      timeout: 30_000,
    });

    // Bo resets Ada's lost authenticator from the Staff page, proving it is him with his password again
    // (his last proof is older than the window by now).
    await bo.page.goto('/s/production/staff');
    const adaRow = bo.page.getByRole('row', { name: /Ada Admin/ });
    await expect(adaRow).toContainText('Authenticator app');
    await adaRow.getByRole('button', { name: 'Reset the second factor of Ada Admin' }).click();
    await bo.page
      .getByRole('dialog', { name: 'Reset the second factor of Ada Admin?' })
      .getByRole('button', { name: 'Reset second factor' })
      .click();
    await boStepUp.getByLabel('Password').fill(initialPassword);
    await boStepUp.getByRole('button', { name: 'Confirm' }).click();
    await expect(bo.page.getByText('The second factor of Ada Admin was reset.')).toBeVisible();
    await expect(adaRow).toContainText('None');

    await ada.context.close();
    await bo.context.close();
  });
});
