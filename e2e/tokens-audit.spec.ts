import { readFile } from 'node:fs/promises';
import { expect, expectAccessible, test, uniqueSubject } from './tokens-fixtures';

test('the audit page shows each token action with its reason, filters, and exports', async ({
  page,
  signIn,
  adminApi,
}) => {
  const start = Date.now() - 1000;
  const subject = uniqueSubject('audit');
  const api = adminApi.request;
  const [edited, revoked, deleted] = [
    await adminApi.createToken({ subject }),
    await adminApi.createToken({ subject }),
    await adminApi.createToken({ subject }),
  ];
  await adminApi.createToken({ subject });
  const scope = (await adminApi.listScopes())[0]!.name;
  expect(
    (
      await api.patch(`/api/s/production/tokens/${edited.token.accessTokenHash}?subject=${subject}`, {
        data: { scopes: [scope] },
      })
    ).ok(),
  ).toBe(true);
  const hint = (token: { clientId: string }) => `subject=${subject}&clientId=${token.clientId}`;
  expect(
    (
      await api.post(`/api/s/production/tokens/${revoked.token.accessTokenHash}/revoke?${hint(revoked.token)}`, {
        data: { reason: 'e2e single revoke' },
      })
    ).ok(),
  ).toBe(true);
  expect(
    (
      await api.delete(`/api/s/production/tokens/${deleted.token.accessTokenHash}?${hint(deleted.token)}`, {
        data: { reason: 'e2e delete' },
      })
    ).status(),
  ).toBe(204);
  expect((await api.post('/api/s/production/revocations', { data: { subject, reason: 'e2e revoke all' } })).ok()).toBe(
    true,
  );

  await signIn('admin');
  await page.goto(`/audit?from=${start}&actor=admin@demo.local`);
  await expect(page.getByRole('heading', { name: /^Audit log/ })).toBeVisible();
  const table = page.getByRole('table', { name: 'Audit log entries, newest first' });
  for (const action of ['token.create', 'token.update', 'token.revoke', 'token.delete', 'token.revoke_all']) {
    await expect(table.getByText(action, { exact: true }).first()).toBeVisible();
  }
  await expect(table).toContainText('e2e single revoke');
  await expect(table).toContainText('e2e delete');
  await expect(table).toContainText('e2e revoke all');
  // The hash chain over every record written so far verifies, and says so.
  const chain = page.getByRole('region', { name: 'Tamper evidence (hash chain)' });
  await expect(chain.getByRole('status')).toContainText(/^Intact: [\d,]+ records? checked/);
  // The audit sinks of the e2e stack (scripts/e2e-servers.ts): one takes every record, one answers 503.
  await expect(chain.getByRole('listitem').filter({ hasText: 'e2e-soc' })).toContainText('HTTP (JSON lines)');
  // Its first failure comes a few seconds after the stack starts: verify again until it shows.
  await expect(async () => {
    await chain.getByRole('button', { name: 'Verify chain' }).click();
    await expect(chain.getByRole('listitem').filter({ hasText: 'e2e-down' })).toContainText(
      /Failing since .*: HTTP 503/,
      { timeout: 2_000 },
    );
  }).toPass({ timeout: 20_000 });
  await expectAccessible(page, 'the audit page');

  // The update's before/after is in its details.
  await page.getByLabel('Action').selectOption('token.update');
  await expect(page).toHaveURL(/action=token\.update/);
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await table.locator('tbody summary', { hasText: 'Details' }).click();
  await expect(table).toContainText('scopes');

  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await readFile((await (await downloadPromise).path())!, 'utf8');
  const lines = csv
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0]?.startsWith('occurredAt,action,outcome,actorEmail')).toBe(true);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('token.update');
  // Raw token values never reach the audit log.
  for (const { accessToken } of [edited, revoked, deleted]) expect(csv).not.toContain(accessToken);
});
