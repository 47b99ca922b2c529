/**
 * Japanese: the language follows the browser's Accept-Language, the header's switcher overrides it
 * (and the choice sticks), and the support journey reads and works in Japanese, axe-clean, with no
 * clipped text. The bulk-issue journey in Japanese is in batches.spec.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectNoClippedText, saveScreenshot } from './i18n-fixtures';
import { DEMO_PASSWORD } from '../server/auth/demo-accounts';
import { baseURL, expect, expectAccessible, test, uniqueSubject } from './tokens-fixtures';

test.describe('in Japanese (Accept-Language: ja-JP)', () => {
  test.use({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });

  test('the support journey: find a user’s tokens, revoke one, then revoke all for the user', async ({
    page,
    signIn,
    adminApi,
  }) => {
    test.slow();
    const subject = uniqueSubject('ja');
    const [first, second] = [await adminApi.namedClient(0), await adminApi.namedClient(1)];
    for (const clientId of [first.clientId, first.clientId, second.clientId]) {
      await adminApi.createToken({ subject, clientId, scopes: [(await adminApi.listScopes())[0]!.name] });
    }
    await signIn('support');

    await page.goto(`/tokens?subject=${subject}`);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(page.getByRole('heading', { level: 1, name: /トークン/ })).toBeVisible();
    await expect(page.getByText('トークン 3 件')).toBeVisible();
    // Times in Japan Standard Time, named once above the table.
    await expect(page.getByText(/時刻は Asia\/Tokyo \(GMT\+9\) で表示しています/)).toBeVisible();
    const table = page.getByRole('table');
    await expect(table.locator('tbody tr')).toHaveCount(3);
    await expect(table.getByRole('columnheader', { name: 'グラントタイプ' })).toBeVisible();
    // The wire constant stays beside its translated label.
    await expect(table.getByText('AUTHORIZATION_CODE').first()).toBeVisible();
    // A token never refreshed says so (未更新), not an expiry's "never" (無期限).
    await expect(table.locator('tbody tr').first()).toContainText('未更新');
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, 'the token list in Japanese');
    await expectNoClippedText(page, 'the token list in Japanese');
    await saveScreenshot(page, 'tokens-ja');

    // Revoke a token of the first client from the table, so one of each client is left.
    await table
      .locator('tbody tr')
      .filter({ hasText: first.clientName })
      .first()
      .getByRole('button', { name: /^.+ のトークン .+を失効$/ })
      .click();
    const one = page.getByRole('dialog', { name: '1 件のトークンを失効しますか？' });
    await expect(one).toContainText('失効はサポート担当者向けの操作です');
    await expectAccessible(page, 'the revoke dialog in Japanese');
    await expectNoClippedText(page, 'the revoke dialog in Japanese');
    await one.getByLabel(/理由/).fill('e2e: 端末の紛失');
    await one.getByRole('button', { name: '1 件を失効' }).click();
    await expect(page.getByText('Authlete が 1 件のトークンを失効しました。')).toBeVisible();
    await expect(table.locator('tbody tr')).toHaveCount(2);

    // Everything left for the user, from the support view.
    await page.getByRole('link', { name: `${subject} のサポートビューを開く →` }).click();
    await expect(page.getByText('2 個のクライアントにまたがる 2 件のトークン')).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, 'the support view in Japanese');
    await expectNoClippedText(page, 'the support view in Japanese');
    await saveScreenshot(page, 'subject-ja');
    await page.getByRole('button', { name: 'このユーザーのトークンをすべて失効' }).click();
    const dialog = page.getByRole('dialog', { name: `${subject} のトークンをすべて失効しますか？` });
    await expect(dialog).toContainText('2 個のクライアントにまたがるトークン 2 件を失効します。');
    const confirm = dialog.getByRole('button', { name: '2 件を失効' });
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel(/理由/).fill('e2e: アカウント侵害');
    // An empty required reason is refused in Japanese too.
    await dialog.getByLabel(/確認のため/).fill(subject);
    await expectAccessible(page, 'the revoke-all dialog in Japanese');
    await expectNoClippedText(page, 'the revoke-all dialog in Japanese');
    await saveScreenshot(page, 'revoke-all-ja');
    await confirm.click();

    const done = page.getByRole('dialog', { name: 'トークンを失効しました' });
    await expect(done.getByRole('status')).toHaveText(
      `Authlete の報告によると、${subject} のトークン 2 件が失効しました。`,
    );
    await done.getByRole('button', { name: '完了' }).click();
    await expect(page.getByText(`${subject} のトークンはありません。`)).toBeVisible();
  });

  test('the create form and audit log read in Japanese, and a schema message is translated', async ({
    page,
    signIn,
  }) => {
    test.slow();
    await signIn('admin');
    await page.goto('/tokens/new');
    await expect(page.getByRole('heading', { level: 1, name: '新しいトークン' })).toBeVisible();
    await page.getByRole('button', { name: 'トークンを作成' }).click();
    // The shared zod schema's English message, shown in Japanese.
    await expect(page.getByText('クライアントを選択してください。クライアント ID は必須です。')).toBeVisible();
    await expectAccessible(page, 'the create form in Japanese');
    await expectNoClippedText(page, 'the create form in Japanese');
    await saveScreenshot(page, 'create-ja');
    await page.goto('/audit');
    await expect(page.getByRole('heading', { level: 1, name: /監査ログ/ })).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, 'the audit log in Japanese');
    await expectNoClippedText(page, 'the audit log in Japanese');
    await saveScreenshot(page, 'audit-ja');
  });
});

test.describe('bulk issue in Japanese', () => {
  test.use({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo' });

  test('check a CSV file, dry-run it and submit it, reading every step in Japanese', async ({
    page,
    signIn,
    adminApi,
  }) => {
    test.slow();
    const run = uniqueSubject('ja-bulk');
    const { clientId } = await adminApi.namedClient();
    const scope = (await adminApi.listScopes())[0]!.name;
    const rows = Array.from({ length: 4 }, (_, i) => `AUTHORIZATION_CODE,${clientId},${run}-${i},${scope},3600`);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'td-ja-')), 'tokens-ja.csv');
    fs.writeFileSync(file, `grantType,clientId,subject,scopes,accessTokenDuration\r\n${rows.join('\r\n')}\r\n`);
    await signIn('admin');

    await page.goto('/batches/new');
    await expect(page.getByRole('heading', { level: 1, name: 'CSV からトークンを一括発行' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'CSV テンプレートをダウンロード' })).toBeEnabled();
    // A file Excel saved with semicolons and a misspelt column: each problem in Japanese, not English.
    const wrong = path.join(path.dirname(file), 'wrong-ja.csv');
    fs.writeFileSync(wrong, `grantType;clientId;subject\r\nAUTHORIZATION_CODE;${clientId};${run}\r\n`);
    await page.locator('input[type=file]:enabled').first().setInputFiles(wrong);
    await expect(page.getByText('このファイルは列をセミコロン（;）で区切っています。', { exact: false })).toBeVisible();
    const misspelt = path.join(path.dirname(file), 'misspelt-ja.csv');
    fs.writeFileSync(misspelt, `grantTyp,clientId,subject\r\nAUTHORIZATION_CODE,${clientId},${run}\r\n`);
    await page.locator('input[type=file]:enabled').first().setInputFiles(misspelt);
    await expect(
      page.getByText('1 列目の「grantTyp」は認識できない列です（「grantType」の誤りではありませんか）。', {
        exact: false,
      }),
    ).toBeVisible();
    await expect(page.getByText('必須の列「grantType」がヘッダー行にありません。')).toBeVisible();
    await expectAccessible(page, 'a refused file in Japanese');
    await page.locator('input[type=file]:enabled').first().setInputFiles(file);
    await page.getByRole('button', { name: '4 行をドライラン' }).click();
    await expect(page.getByText('ドライランに成功しました: Authlete は 4 行すべてを受け付けます。')).toBeVisible();
    await expectAccessible(page, 'the upload page in Japanese after the dry run');
    await expectNoClippedText(page, 'the upload page in Japanese');
    await saveScreenshot(page, 'bulk-issue-ja');

    const values = page.waitForEvent('download');
    await page.getByRole('button', { name: '値をダウンロードして 4 件のトークンを送信' }).click();
    await values;
    await expect(page).toHaveURL(/\/batches\/[0-9a-f-]{36}$/);
    await expect(page.getByText('完了しました: 4 件のトークンを作成。')).toBeVisible({ timeout: 45_000 });
    await expect(page.getByText('完了', { exact: true })).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectAccessible(page, 'the job page in Japanese');
    await expectNoClippedText(page, 'the job page in Japanese');
  });
});

test('the header’s switcher changes the language, overrides Accept-Language and is remembered', async ({
  page,
  signIn,
}) => {
  await signIn('viewer');
  await page.goto('/tokens');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ja');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByRole('navigation', { name: 'メイン' }).getByRole('link', { name: 'トークン' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'サインアウト' })).toBeVisible();
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page).toHaveTitle(/トークン/);
  await page.getByRole('combobox', { name: '言語' }).selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  // The choice was saved on the demo viewer's account: forget it, so the browser decides for the other tests.
  const reset = await page.request.put('/api/session/locale', { data: { locale: null }, headers: { origin: baseURL } });
  expect(reset.ok()).toBe(true);
});

test('the language and time zone saved on the account follow the person to another browser', async ({ browser }) => {
  const signedIn = async (options: { locale: string; timezoneId: string }) => {
    const context = await browser.newContext(options);
    const signIn = await context.request.post('/api/auth/sign-in/email', {
      data: { email: 'viewer@demo.local', password: DEMO_PASSWORD },
      headers: { origin: baseURL },
    });
    expect(signIn.ok()).toBe(true);
    return context;
  };
  const laptop = await signedIn({ locale: 'en-US', timezoneId: 'Europe/Berlin' });
  try {
    const page = await laptop.newPage();
    await page.goto('/tokens');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByText(/^Times in Europe\/Berlin/)).toBeVisible();
    await page.getByRole('combobox', { name: 'Language' }).selectOption('ja');
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
    await page.getByRole('combobox', { name: 'タイムゾーン' }).selectOption('Asia/Tokyo');
    await expect(page.getByText(/時刻は Asia\/Tokyo \(GMT\+9\) で表示しています/)).toBeVisible();

    // Another device: an English browser in New York, no language cookie; the account decides.
    const phone = await signedIn({ locale: 'en-US', timezoneId: 'America/New_York' });
    const other = await phone.newPage();
    await other.goto('/tokens');
    await expect(other.locator('html')).toHaveAttribute('lang', 'ja');
    await expect(other.getByText(/時刻は Asia\/Tokyo \(GMT\+9\) で表示しています/)).toBeVisible();
    // A table time shows in JST (the compact form of a Japanese date and time).
    await expect(other.locator('tbody time').first()).toBeVisible();
    await expectNoClippedText(other, 'the token list with a saved zone');
    await phone.close();
  } finally {
    // Back to what the demo viewer had: nothing saved (the browser decides), for the other tests.
    for (const [path, body] of [
      ['/api/session/locale', { locale: null }],
      ['/api/session/time-zone', { timeZone: null }],
    ] as const) {
      const reset = await laptop.request.put(path, { data: body, headers: { origin: baseURL } });
      expect(reset.ok(), `${path}: ${reset.status()}`).toBe(true);
    }
    await laptop.close();
  }
});

test('the sign-in page speaks the browser’s language before anyone signs in', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ja-JP' });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByRole('heading', { name: 'Token Desk にサインイン' })).toBeVisible();
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  await expect(page.getByText('メールアドレスとパスワードを入力してください。')).toHaveAttribute('role', 'alert');
  await expectAccessible(page, 'the sign-in page in Japanese');
  await context.close();
});
