import { expect, expectAccessible, test, uniqueSubject } from './tokens-fixtures';

const WEB_BANKING = '26888344961664';
const IOS_APP = '1734526871';

test('a support person finds a user, sees their apps, revokes one; the timeline and the audit log show it', async ({
  page,
  context,
  signIn,
  adminApi,
}) => {
  const subject = uniqueSubject('apps');
  await adminApi.createToken({ subject, clientId: WEB_BANKING, scopes: ['openid', 'accounts.read'] });
  await adminApi.createToken({ subject, clientId: WEB_BANKING, scopes: ['openid'] });
  await adminApi.createToken({ subject, clientId: IOS_APP, scopes: ['openid'] });

  await signIn('support');
  await page.goto(`/tokens?subject=${encodeURIComponent(subject)}`);
  await page.getByRole('link', { name: subject }).first().click();
  await expect(page.getByRole('heading', { name: subject, level: 1 })).toBeVisible();

  const apps = page.getByRole('region', { name: 'Authorized apps' });
  const web = apps.getByTestId(`app-${WEB_BANKING}`);
  await expect(web).toContainText('Web Banking');
  await expect(web).toContainText('2 valid tokens');
  await expect(web).toContainText('accounts.read');
  await expect(apps.getByTestId(`app-${IOS_APP}`)).toContainText('1 valid token');
  // Support may revoke, not narrow or forget (those need the permission of editing a token).
  await expect(web.getByRole('button', { name: 'Narrow scopes' })).toHaveCount(0);
  await expectAccessible(page, 'the subject view with authorized apps');

  await web.getByRole('button', { name: 'Revoke app' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`This deletes every token of ${subject} for Web Banking`);
  const confirm = dialog.getByRole('button', { name: 'Revoke app' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Reason (required, kept in the audit log)').fill('e2e: lost phone, ticket 42');
  await confirm.click();
  await expect(dialog.getByRole('status')).toHaveText('Authlete reports 2 tokens deleted for Web Banking.');
  await expectAccessible(page, 'the revoke-app report');
  await dialog.getByRole('button', { name: 'Done' }).click();

  await expect(apps.getByTestId(`app-${WEB_BANKING}`)).toHaveCount(0);
  const activity = page.getByTestId('activity');
  await expect(activity).toContainText('app revoked (all its tokens of a user)');
  await expect(activity).toContainText('e2e: lost phone, ticket 42');
  await expect(activity).toContainText(`client ${WEB_BANKING}`);

  // A 360 px phone: the page does not scroll sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  await expect(apps.getByTestId(`app-${IOS_APP}`)).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // The audit log (admins) has the entry with subject, client, count and reason.
  await context.clearCookies();
  await signIn('admin');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`/audit?subject=${encodeURIComponent(subject)}&action=app.revoke`);
  const table = page.getByRole('table', { name: 'Audit log entries, newest first' });
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText('app.revoke');
  await expect(table).toContainText('e2e: lost phone, ticket 42');
});
