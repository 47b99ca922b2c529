import { shortHash } from '@/lib/format';
import { expect, expectAccessible, expectNoSidewaysScroll, test, uniqueSubject } from './tokens-fixtures';

const WEB_BANKING = '26888344961664';

test('a support person opens a token from the list: its fields, history and a pasted value inspected; then revokes it', async ({
  page,
  signIn,
  adminApi,
}) => {
  const subject = uniqueSubject('detail');
  const created = await adminApi.createToken({ subject, clientId: WEB_BANKING, scopes: ['openid', 'accounts.read'] });
  const other = await adminApi.createToken({ subject, clientId: WEB_BANKING, scopes: ['openid'] });
  const hash = created.token.accessTokenHash;

  await signIn('support');
  await page.goto(`/tokens?subject=${encodeURIComponent(subject)}`);
  await page.getByRole('link', { name: `Open token ${shortHash(hash)}` }).click();
  await expect(page.getByRole('heading', { name: `Token ${shortHash(hash)}`, level: 1 })).toBeVisible();

  // Every field: the full hash, the user, the client by name, the scopes.
  await expect(page.getByTestId('token-hash')).toHaveText(hash);
  await expect(page.getByRole('link', { name: subject })).toBeVisible();
  await expect(page.getByText('Web Banking')).toBeVisible();
  await expect(page.getByText('accounts.read', { exact: true }).first()).toBeVisible();
  await page.getByRole('button', { name: 'Copy Access token hash', exact: true }).click();
  await expect(page.getByText('Copied').first()).toBeVisible();

  // Its history: the admin who created it.
  const history = page.getByTestId('token-history-entries');
  await expect(history).toContainText('token created');
  await expect(history).toContainText('admin');
  await expectAccessible(page, 'the token page');

  // Inspect: nothing is sent before the side effect is acknowledged.
  const inspect = page.getByRole('region', { name: 'Inspect a pasted token value' });
  await expect(inspect).toContainText('Authlete deletes it when it is inspected');
  await inspect.getByLabel('Access token value').fill(other.accessToken);
  const button = inspect.getByRole('button', { name: 'Inspect' });
  await expect(button).toBeDisabled();
  await inspect.getByLabel('I understand that an expired token is deleted').check();
  await button.click();
  await expect(inspect.getByRole('status')).toHaveText(
    `This value belongs to another token (${shortHash(other.token.accessTokenHash)}), not to this one.`,
  );
  await expect(inspect.getByLabel('Access token value')).toHaveValue('');
  await inspect.getByLabel('Access token value').fill(created.accessToken);
  await inspect.getByLabel('I understand that an expired token is deleted').check();
  await inspect.getByRole('button', { name: 'Inspect' }).click();
  await expect(inspect.getByRole('status')).toHaveText('This value is this token’s, and it is active.');

  // A 360 px phone: the page fits.
  await page.setViewportSize({ width: 360, height: 740 });
  await expectNoSidewaysScroll(page, 'the token page');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Support may revoke (not edit or delete); revoking leads back to the person.
  await expect(page.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Revoke' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/^Reason/).fill('e2e: customer asked');
  await dialog.getByRole('button', { name: /Revoke/ }).click();
  await expect(page.getByRole('heading', { name: subject, level: 1 })).toBeVisible();
});
