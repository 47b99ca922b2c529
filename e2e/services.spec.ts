/**
 * Several services in one deployment: the demo configures the emulator's production and staging
 * 3.x services (and a 2.x one). The service is in every address, a switcher moves between them, and
 * a band in the environment's colour, naming it in words, runs across every page of a service.
 */
import type { APIRequestContext, Page } from '@playwright/test';
import type { Client } from '@/lib/schemas';
import { expect, expectAccessible, test, uniqueSubject } from './tokens-fixtures';

async function createIn(request: APIRequestContext, service: string, subject: string): Promise<void> {
  const { clients } = (await (await request.get(`/api/s/${service}/clients`)).json()) as { clients: Client[] };
  const response = await request.post(`/api/s/${service}/tokens`, {
    data: { grantType: 'AUTHORIZATION_CODE', clientId: clients[0]!.clientId, subject, scopes: [] },
  });
  expect(response.status(), await response.text()).toBe(201);
}

async function countIn(request: APIRequestContext, service: string, subject: string): Promise<number> {
  const response = await request.get(`/api/s/${service}/tokens?subject=${encodeURIComponent(subject)}&status=all`);
  expect(response.ok()).toBe(true);
  return ((await response.json()) as { totalCount: number }).totalCount;
}

async function expectWidthFits(page: Page, what: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${what}: the page is ${width} px wide`).toBeLessThanOrEqual(page.viewportSize()!.width);
}

const band = (page: Page) => page.locator('[data-environment]');

test('the environment is named, in its colour, on every page of a service', async ({ page, signIn, adminApi }) => {
  test.slow();
  const subject = uniqueSubject('band');
  await adminApi.createToken({ subject });
  await signIn('admin');
  const pages = ['/tokens', `/subjects/${subject}`, '/tokens/new', '/audit', '/batches', '/batches/new'];
  const environments = [
    ['production', 'Production: Demo production'],
    ['staging', 'Staging: Demo staging'],
  ] as const;
  const colours = new Map<string, Set<string>>();
  for (const [service, text] of environments) {
    for (const path of pages) {
      await page.goto(`/s/${service}${path}`);
      await expect(page.locator('main h1')).toBeVisible();
      await expect(band(page)).toHaveText(text);
      await expect(band(page)).toHaveAttribute('data-environment', service);
      const colour = await band(page).evaluate((element) => getComputedStyle(element).backgroundColor);
      expect(colour).not.toBe('rgba(0, 0, 0, 0)');
      colours.set(service, (colours.get(service) ?? new Set()).add(colour));
      await expectWidthFits(page, `${service}${path}`);
    }
  }
  // One colour per environment on every page, and not the same for production and staging.
  expect([...colours.values()].map((set) => set.size)).toEqual([1, 1]);
  expect(colours.get('production')).not.toEqual(colours.get('staging'));
  await expectAccessible(page, 'a staging page with its band and switcher');
});

test('the switcher moves to the same section of another service; links stay in the service', async ({
  page,
  signIn,
}) => {
  await signIn('admin');
  await page.goto('/s/production/audit');
  await page.getByRole('button', { name: /Switch service/ }).click();
  const list = page.getByRole('list', { name: 'Services' });
  await expect(list.getByRole('link')).toHaveCount(3);
  await expect(list.getByRole('link', { name: /Demo production/ })).toHaveAttribute('aria-current', 'true');
  await expectAccessible(page, 'the open service switcher');
  await list.getByRole('link', { name: /Demo staging/ }).click();
  await expect(page).toHaveURL(/\/s\/staging\/audit$/);
  await expect(band(page)).toHaveText('Staging: Demo staging');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tokens' }).click();
  await expect(page).toHaveURL(/\/s\/staging\/tokens$/);
});

test('revoking in staging leaves production untouched', async ({ page, signIn, adminApi }) => {
  const subject = uniqueSubject('staging-revoke');
  await createIn(adminApi.request, 'production', subject);
  await createIn(adminApi.request, 'staging', subject);
  await createIn(adminApi.request, 'staging', subject);
  await signIn('admin');
  await page.goto(`/s/staging/subjects/${subject}`);
  await expect(band(page)).toHaveText('Staging: Demo staging');
  await page.getByRole('button', { name: 'Revoke all for this user' }).click();
  const dialog = page.getByRole('dialog', { name: `Revoke all tokens of ${subject}?` });
  await dialog.getByLabel(/Reason/).fill('e2e: staging clean-up');
  await dialog.getByLabel(/Type the subject/).fill(subject);
  await dialog.getByRole('button', { name: 'Revoke 2 tokens' }).click();
  const done = page.getByRole('dialog', { name: 'Tokens revoked' });
  await expect(done.getByRole('status')).toHaveText(`Authlete reports 2 tokens revoked for ${subject}.`);
  await done.getByRole('button', { name: 'Done' }).click();

  expect(await countIn(adminApi.request, 'staging', subject)).toBe(0);
  expect(await countIn(adminApi.request, 'production', subject)).toBe(1);
  await page.goto(`/s/production/subjects/${subject}`);
  await expect(page.getByText(/^1 token across 1 client/)).toBeVisible();
});

test('old addresses lead to the default service; an unknown service is not found', async ({ page, signIn }) => {
  await signIn('support');
  await page.goto('/tokens?status=all');
  await expect(page).toHaveURL(/\/s\/production\/tokens\?status=all$/);
  const response = await page.goto('/s/no-such-service/tokens');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'No such service' })).toBeVisible();
  expect((await page.request.get('/api/s/no-such-service/tokens')).status()).toBe(404);
});

test('an admin discovers a service with the organization token, tests and adds it; it joins the switcher', async ({
  page,
  signIn,
}) => {
  test.slow();
  const emulatorUrl = `http://127.0.0.1:${process.env.E2E_EMULATOR_PORT ?? 4110}`;
  await signIn('admin');
  await page.goto('/s/production/services');
  const manage = page.getByRole('region', { name: 'Manage services' });
  await expect(manage.getByRole('row', { name: /Demo production/ })).toContainText('from configuration');

  await manage.getByRole('button', { name: 'Discover services' }).click();
  const discover = page.getByRole('dialog', { name: 'Discover services' });
  await discover.getByLabel('Base URL').fill(emulatorUrl);
  await discover.getByLabel('Organization token').fill('demo-organization-token-not-a-secret');
  await discover.getByRole('button', { name: 'List services' }).click();
  await expect(discover.getByText('already here as production')).toBeVisible();
  await discover.getByRole('button', { name: 'Add Token Desk Sandbox' }).click();

  const form = page.getByRole('dialog', { name: 'Add a service' });
  await expect(form.getByLabel('Display name')).toHaveValue('Token Desk Sandbox');
  await expect(form.getByLabel('Id in addresses')).toHaveValue('token-desk-sandbox');
  await form.getByLabel('Environment').selectOption('development');
  await form.getByLabel('Service access token', { exact: true }).fill('sandbox-service-access-token-not-a-secret');
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('status')).toContainText('Connected');
  await expectAccessible(page, 'the add-service form');
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(form).toBeHidden();
  await expect(manage.getByRole('row', { name: /Token Desk Sandbox/ })).toContainText('stored in the app');

  await page.getByRole('button', { name: /Switch service/ }).click();
  const list = page.getByRole('list', { name: 'Services' });
  await expect(list.getByRole('link')).toHaveCount(4);
  await list.getByRole('link', { name: /Token Desk Sandbox/ }).click();
  await expect(page).toHaveURL(/\/s\/token-desk-sandbox\/services$/);
  await expect(band(page)).toHaveText('Development: Token Desk Sandbox');

  // Removed again, so the other specs see the demo's three services.
  await page.goto('/s/production/services');
  const row = page.getByRole('region', { name: 'Manage services' }).getByRole('row', { name: /Token Desk Sandbox/ });
  await row.getByRole('button', { name: 'Delete Token Desk Sandbox' }).click();
  await page
    .getByRole('dialog', { name: 'Delete Token Desk Sandbox?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(row).toBeHidden();
  await page.getByRole('button', { name: /Switch service/ }).click();
  await expect(page.getByRole('list', { name: 'Services' }).getByRole('link')).toHaveCount(3);
});
