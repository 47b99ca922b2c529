import { expect, expectAccessible, test } from './tokens-fixtures';

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
