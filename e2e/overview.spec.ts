import { expect, expectAccessible, test, uniqueSubject } from './tokens-fixtures';

test('the overview charts tokens per client, with a table alternative, axe-clean in light and dark and at 360 px', async ({
  page,
  signIn,
}) => {
  await signIn('viewer');
  await page.goto('/s/production/tokens');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).first().click();
  await expect(page).toHaveURL(/\/s\/production\/overview$/);
  await expect(page.locator('main h1')).toHaveText('Tokens by client');

  // The chart draws one bar per client and status.
  const chart = page.getByTestId('overview-chart');
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();

  // The table alternative holds the same numbers, and its total matches the summary.
  await page.getByText('Show the numbers as a table').click();
  const table = page.getByRole('table', { name: 'Valid and expired tokens per client' });
  await expect(table).toBeVisible();
  const rows = table.locator('tbody tr');
  expect(await rows.count()).toBeGreaterThan(0);
  const validCells = await rows.locator('td:nth-of-type(1)').allTextContents();
  const sum = validCells.reduce((total, text) => total + Number(text), 0);
  await expect(table.locator('tfoot td').first()).toHaveText(String(sum));

  // The daily snapshot (taken when the stack started; the demo back-fills a month): estimate cards,
  // a trend line, and tables holding the same numbers.
  const trends = page.getByRole('region', { name: 'Daily snapshot' });
  await expect(trends.getByRole('term').filter({ hasText: 'Expiring within 7 days' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByTestId('trend-chart').locator('.recharts-line').first()).toBeVisible();
  await trends.getByText('Show the snapshot as tables').click();
  const daily = page.getByRole('table', { name: 'Valid and expired tokens per day' });
  expect(await daily.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
  await trends.getByLabel('Period').selectOption('90');
  await expect(trends.getByLabel('Period')).toHaveValue('90');

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await expectAccessible(page, `overview (${colorScheme})`);
  }

  // Fits a phone: nothing scrolls sideways.
  await page.setViewportSize({ width: 360, height: 740 });
  await page.reload();
  await expect(chart.locator('.recharts-bar-rectangle').first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

test('the services page lists every service with its health and links to its overview; the audit page filters by service', async ({
  page,
  signIn,
  adminApi,
}) => {
  // One audited change on the production service, so its filtered audit list has a row.
  await adminApi.createToken({ subject: uniqueSubject('overview'), scopes: [(await adminApi.listScopes())[0]!.name] });
  await signIn('admin');
  await page.goto('/s/production/overview');
  await page.getByRole('link', { name: 'All services' }).click();
  await expect(page).toHaveURL(/\/s\/production\/services$/);
  await expect(page.locator('main h1')).toHaveText('Services');
  const rows = page.locator('main tbody tr');
  // The rows come after the health checks answer.
  await expect(rows.first()).toContainText(/OK \(\d+ ms\)/);
  expect(await rows.count()).toBeGreaterThan(1);
  await expectAccessible(page, 'services');

  const staging = page.getByRole('link', { name: /^Overview of Demo staging/ });
  await staging.click();
  await expect(page).toHaveURL(/\/s\/staging\/overview$/);

  await page.goto('/s/production/audit');
  await page
    .getByRole('main')
    .getByRole('combobox', { name: /^Service/ })
    .selectOption('production');
  await expect(page).toHaveURL(/service=production/);
  await expect(page.locator('main tbody tr').first()).toBeVisible();
  // The previous (unfiltered) page stays on screen until the filtered one arrives.
  const serviceCells = page.locator('main tbody tr > td:nth-of-type(3)');
  await expect.poll(async () => [...new Set(await serviceCells.allTextContents())]).toEqual(['production']);
});
