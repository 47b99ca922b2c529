import { expect, expectAccessible, test, uniqueSubject } from './tokens-fixtures';

test('every page passes axe in light and dark, and the theme choice sticks without a flash', async ({
  page,
  signIn,
  adminApi,
}) => {
  // Fourteen page loads, each waiting for the network to settle and running axe: past a minute on a busy machine.
  test.slow();
  const subject = uniqueSubject('a11y');
  const created = await adminApi.createToken({ subject, scopes: [(await adminApi.listScopes())[0]!.name] });
  await signIn('admin');
  const pages = [
    ['token list', '/tokens'],
    ['subject view', `/subjects/${subject}`],
    ['create form', '/tokens/new'],
    ['edit form', `/tokens/${created.token.accessTokenHash}/edit?subject=${subject}`],
    ['audit log', '/audit'],
    ['jobs and exports', '/batches'],
    ['bulk issue', '/batches/new'],
  ] as const;
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const [name, path] of pages) {
      await page.goto(path);
      await expect(page.locator('main h1')).toBeVisible();
      await expect(page.locator('html')).toHaveClass(colorScheme === 'dark' ? /\bdark\b/ : /^(?!.*\bdark\b)/);
      await page.waitForLoadState('networkidle');
      await expectAccessible(page, `${name} (${colorScheme})`);
    }
  }

  // An explicit choice beats the system setting and is applied before first paint on the next load.
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/tokens');
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveClass(/\bdark\b/);
  await page.reload({ waitUntil: 'commit' });
  await page.waitForSelector('body', { state: 'attached' });
  expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  await expect(page.locator('html')).not.toHaveClass(/\bdark\b/);
});
