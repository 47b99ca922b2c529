/**
 * The "phone" project (playwright.config.ts) runs this file only: every page, for every role, with data
 * on it, must fit a 360 px screen without the page itself scrolling sideways (wide tables scroll inside
 * their own box), and the navigation collapses behind a keyboard-operable menu button.
 */
import type { Role } from '@/lib/roles';
import {
  expect,
  expectAccessible,
  expectNoSidewaysScroll,
  test,
  uniqueSubject,
  type AdminApi,
} from './tokens-fixtures';

/** A draft job recorded through the API (file facts only), so the jobs list and a job page have data. */
async function createDraftJob(adminApi: AdminApi): Promise<string> {
  const response = await adminApi.request.post('/api/s/production/jobs', {
    data: {
      fileName: 'phone-widths-with-a-rather-long-file-name-for-the-heading.csv',
      fileSha256: 'a'.repeat(64),
      fileBytes: 1200,
      fileRows: 12,
      rowCount: 12,
      excludedRows: 0,
      generatedRows: 12,
      chunkSize: 5,
      chunks: [
        { rowFrom: 0, rowTo: 5, firstLine: 2, lastLine: 6 },
        { rowFrom: 5, rowTo: 10, firstLine: 7, lastLine: 11 },
        { rowFrom: 10, rowTo: 12, firstLine: 12, lastLine: 13 },
      ],
    },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { job: { id: string } }).job.id;
}

const roles: readonly Role[] = ['admin', 'support', 'viewer'];

let pages: ReadonlyArray<readonly [name: string, path: string]> = [];

test.beforeAll(async ({ adminApi }) => {
  const subject = uniqueSubject('phone');
  const scopes = (await adminApi.listScopes()).map((scope) => scope.name);
  const client = await adminApi.namedClient();
  const created = await adminApi.createToken({ subject, clientId: client.clientId, scopes: scopes.slice(0, 6) });
  await adminApi.createToken({ subject, clientId: client.clientId, scopes: scopes.slice(0, 1) });
  const jobId = await createDraftJob(adminApi);
  pages = [
    ['token list', '/tokens?status=all'],
    ['token list filtered by subject', `/tokens?subject=${subject}`],
    ['subject view', `/subjects/${subject}`],
    ['create form', '/tokens/new'],
    ['edit form', `/tokens/${created.token.accessTokenHash}/edit?subject=${subject}&clientId=${client.clientId}`],
    ['jobs list', '/batches'],
    ['job page', `/batches/${jobId}`],
    ['new job', '/batches/new'],
    ['audit', '/audit'],
    [
      'token page',
      `/s/production/tokens/${created.token.accessTokenHash}?subject=${subject}&clientId=${client.clientId}`,
    ],
    ['overview', '/s/production/overview'],
    ['services', '/s/production/services'],
    ['incidents', '/s/production/incidents'],
    ['approvals', '/s/production/approvals'],
    ['staff', '/s/production/staff'],
    ['webhooks', '/s/production/webhooks'],
    ['account security', '/account/security'],
  ];
});

test('the sign-in page fits a phone screen', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in to Token Desk' })).toBeVisible();
  await expectNoSidewaysScroll(page, 'sign-in');
});

for (const role of roles) {
  test(`every page fits a phone screen for ${role}, with data on it`, async ({ page, signIn }) => {
    test.setTimeout(120_000);
    await signIn(role);
    for (const [name, path] of pages) {
      await page.goto(path);
      await expect(page.locator('main h1').first()).toBeVisible();
      await page.waitForLoadState('networkidle');
      // Measured with the data in place, not a loading skeleton.
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      await expectNoSidewaysScroll(page, `${name} as ${role}`);
    }
    // Sign out stays on screen: the header never outgrows the phone.
    const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
    expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(page.viewportSize()!.width);
  });
}

test('on a phone the navigation collapses behind a menu button that the keyboard opens and closes', async ({
  page,
  signIn,
}) => {
  await signIn('admin');
  await page.goto('/tokens');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const menu = nav.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav.getByRole('link', { name: 'Audit' })).toBeHidden();

  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link', { name: 'Tokens' })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page, 'open phone menu');
  await page.keyboard.press('Escape');
  await expect(nav.getByRole('link', { name: 'Audit' })).toBeHidden();
  await expect(menu).toBeFocused();

  // Touch: tap open, tap a link, and the menu is closed on the new page.
  await menu.tap();
  await nav.getByRole('link', { name: 'Audit' }).tap();
  await expect(page).toHaveURL(/\/audit$/);
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await expect(nav.getByRole('link', { name: 'Tokens' })).toBeHidden();
});
