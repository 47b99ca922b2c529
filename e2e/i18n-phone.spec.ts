/** Japanese at a 360 px phone width (the "phone" project): no sideways scroll, no clipped text, axe clean. */
import { expectNoClippedText, saveScreenshot } from './i18n-fixtures';
import { expect, expectAccessible, test, uniqueSubject } from './tokens-fixtures';

test.use({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });

test('every page fits a phone in Japanese, with no clipped buttons or headers', async ({ page, signIn, adminApi }) => {
  test.setTimeout(240_000);
  const subject = uniqueSubject('ja-phone');
  const created = await adminApi.createToken({ subject, scopes: [(await adminApi.listScopes())[0]!.name] });
  await signIn('admin');
  const pages = [
    ['token list', `/tokens?subject=${subject}`],
    ['subject view', `/subjects/${subject}`],
    ['create form', '/tokens/new'],
    ['edit form', `/tokens/${created.token.accessTokenHash}/edit?subject=${subject}`],
    ['jobs list', '/batches'],
    ['new job', '/batches/new'],
    ['audit', '/audit'],
    ['token page', `/s/production/tokens/${created.token.accessTokenHash}?subject=${subject}`],
    ['overview', '/s/production/overview'],
    ['services', '/s/production/services'],
    ['incidents', '/s/production/incidents'],
    ['approvals', '/s/production/approvals'],
    ['staff', '/s/production/staff'],
    ['webhooks', '/s/production/webhooks'],
    ['account security', '/account/security'],
  ] as const;
  for (const [name, path] of pages) {
    await page.goto(path);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.locator('main h1').first()).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
    const width = page.viewportSize()!.width;
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
      `${name}: sideways scroll`,
    ).toBeLessThanOrEqual(width);
    await expectNoClippedText(page, `${name} on a phone`);
    await expectAccessible(page, `${name} in Japanese on a phone`);
    if (name === 'token list') await saveScreenshot(page, 'tokens-ja-phone');
  }
});
