import { expect, expectAccessible, expectNoSidewaysScroll, test, uniqueSubject } from './tokens-fixtures';

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
  await expectNoSidewaysScroll(page, 'the subject view with authorized apps');

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

test('a support person offboards a user with tokens at two clients: typed confirmation, progress, report; nothing is left', async ({
  page,
  signIn,
  adminApi,
}) => {
  const subject = uniqueSubject('offboard');
  await adminApi.createToken({ subject, clientId: WEB_BANKING, scopes: ['openid', 'accounts.read'] });
  await adminApi.createToken({ subject, clientId: WEB_BANKING, scopes: ['openid'] });
  await adminApi.createToken({ subject, clientId: IOS_APP, scopes: ['openid'] });

  await signIn('support');
  await page.goto(`/tokens?subject=${encodeURIComponent(subject)}`);
  await page.getByRole('link', { name: subject }).first().click();
  await expect(page.getByRole('heading', { name: subject, level: 1 })).toBeVisible();
  const apps = page.getByRole('region', { name: 'Authorized apps' });
  await expect(apps.getByTestId(`app-${IOS_APP}`)).toBeVisible();

  const section = page.getByRole('region', { name: 'Offboarding' });
  await section.getByRole('button', { name: 'Offboard this person' }).click();
  const dialog = page.getByRole('dialog', { name: `Offboard ${subject}?` });
  // The blast radius: tokens per client and the consent records.
  await expect(dialog).toContainText(`This deletes 3 tokens of ${subject} at 2 clients and forgets 2 consent records.`);
  const perClient = dialog.getByRole('list', { name: 'Per client' });
  await expect(perClient.getByRole('listitem').filter({ hasText: 'Web Banking' })).toContainText('2 tokens');
  await expect(perClient.getByRole('listitem').filter({ hasText: 'Mobile App (iOS)' })).toContainText('1 token');
  await expectAccessible(page, 'the offboarding confirmation');

  // A 360 px phone: the dialog fits without scrolling sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  await expect(dialog).toBeVisible();
  await expectNoSidewaysScroll(page, 'the offboarding dialog');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Keyboard: the first field has the focus; the subject typed back, a reason and a ticket, then Enter.
  const confirm = dialog.getByRole('button', { name: 'Offboard', exact: true });
  await expect(confirm).toBeDisabled();
  await page.keyboard.type(`${subject}x`);
  await dialog.getByLabel('Reason (required, kept in the audit log)').fill('e2e: left the company');
  await dialog.getByLabel('Ticket ID (optional)').fill('HR-77');
  await expect(confirm).toBeDisabled();
  const typed = dialog.getByRole('textbox', { name: /Type .* to confirm/ });
  await typed.fill(subject);
  await expect(confirm).toBeEnabled();
  await typed.press('Enter');

  // Progress, then the report: what was removed at each client.
  const report = page.getByRole('dialog', { name: `Offboarding report for ${subject}` });
  await expect(report.getByRole('status')).toHaveText(
    `Offboarding finished: every token and consent record of ${subject} was removed.`,
    { timeout: 30_000 },
  );
  await expect(report.getByTestId(`offboard-step-${WEB_BANKING}`)).toContainText('Tokens: 2 deleted');
  await expect(report.getByTestId(`offboard-step-${WEB_BANKING}`)).toContainText('Consent record: forgotten');
  await expect(report.getByTestId(`offboard-step-${IOS_APP}`)).toContainText('Tokens: 1 deleted');
  await expect(report.getByRole('button', { name: /Retry failed parts/ })).toHaveCount(0);
  await expectAccessible(page, 'the offboarding report');
  await report.getByRole('button', { name: 'Done' }).click();

  // The person has no tokens and no apps left.
  await expect(apps).toContainText(`${subject} has not authorized any app.`);
  await expect(page.getByText(`${subject} has no tokens.`)).toBeVisible();

  // After a reload the last offboarding and its report are found again.
  await page.reload();
  await expect(section).toContainText('Last offboarding: completed');
  await section.getByRole('button', { name: 'Show report' }).click();
  await expect(report.getByTestId(`offboard-step-${IOS_APP}`)).toContainText('Tokens: 1 deleted');
  await page.keyboard.press('Escape');
  await expect(report).toHaveCount(0);
  const activity = page.getByTestId('activity');
  await expect(activity).toContainText('e2e: left the company');
  await expect(activity).toContainText('Ticket HR-77');

  // The Jobs page lists the offboarding with the other jobs, linked to the person.
  await page.goto('/s/production/batches');
  const offboardings = page.getByRole('table', { name: 'Offboardings' });
  const row = offboardings.getByRole('row', { name: new RegExp(subject) });
  await expect(row).toContainText('Completed');
  await expect(row).toContainText('4 of 4');
  await row.getByRole('link', { name: subject }).click();
  await expect(page.getByRole('heading', { name: subject, level: 1 })).toBeVisible();
});
