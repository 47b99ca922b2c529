import { readFile } from 'node:fs/promises';
import { shortHash } from '@/lib/format';
import { expect, expectAccessible, test, tokenTable, uniqueSubject } from './tokens-fixtures';

test.describe('admin token actions', () => {
  test('create a token, see its values once, and copy them', async ({ page, context, signIn, adminApi }) => {
    const subject = uniqueSubject('create');
    const client = await adminApi.namedClient();
    const scope = (await adminApi.listScopes())[0]!.name;
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn('admin');
    await page.goto('/tokens');
    await page.getByRole('link', { name: 'New token' }).click();
    await expect(page.getByRole('heading', { name: 'New token' })).toBeVisible();

    // The shared schema's messages show before anything is sent.
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(
      page.getByText(
        'Subject is required unless the grant type is client credentials (no subject) or jwt bearer (optional).',
      ),
    ).toBeVisible();
    // No client chosen yet: the form asks for one, and names grant types as its own select does.
    await expect(page.getByText('Choose a client: a client ID is required.')).toBeVisible();
    await expect(page.locator('main')).not.toContainText('digits only');
    await expect(page.locator('main')).not.toContainText('CLIENT_CREDENTIALS');
    await page.getByLabel('Subject').fill('jöhn');
    await page.getByLabel('Subject').blur();
    await expect(
      page.getByText('Subject must contain only printable ASCII characters (an Authlete limit).'),
    ).toBeVisible();

    await page.getByLabel('Client').selectOption(client.clientId);
    await page.getByLabel('Subject').fill(subject);
    const scopeInput = page.getByRole('combobox', { name: 'Scopes' });
    await scopeInput.fill('made-up-scope');
    await scopeInput.press('Enter');
    await expect(
      page.getByRole('alert').filter({ hasText: '“made-up-scope” is not a scope this service supports' }),
    ).toBeVisible();
    await scopeInput.fill(scope);
    await scopeInput.press('Enter');
    await expect(page.getByRole('list', { name: 'Chosen scopes' })).toContainText(scope);
    await page.getByRole('button', { name: 'Add property' }).click();
    await page.getByLabel('Property 1 key').fill('ticket');
    await page.getByLabel('Property 1 value').fill('E2E-1');
    await expectAccessible(page, 'the create form');

    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.getByRole('heading', { name: 'Token created' })).toBeVisible();
    await expect(page.getByText('you will not see them again')).toBeVisible();
    // The summary says which client the token is for and when it expires.
    const summary = page.getByRole('region', { name: 'Token created' });
    await expect(summary.getByRole('definition').filter({ hasText: client.clientId })).toContainText(client.clientName);
    await expect(summary.getByText('Access token expires', { exact: true })).toBeVisible();
    const accessToken = await page.getByLabel('Access token', { exact: true }).inputValue();
    expect(accessToken.length).toBeGreaterThan(20);
    await page.getByRole('button', { name: 'Copy Access token' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(accessToken);
    await expectAccessible(page, 'the created-token panel');

    // The value is gone once the panel is left: the subject view lists only the hash.
    page.on('dialog', (dialog) => void dialog.accept());
    await page.getByRole('link', { name: `View ${subject}’s tokens` }).click();
    await expect(page.getByRole('heading', { name: subject })).toBeVisible();
    await expect(page.getByText(`1 token across 1 client`)).toBeVisible();
    await expect(page.locator('body')).not.toContainText(accessToken);
  });

  test('edit scopes and expiry: the diff is shown before saving, and the subject view shows the new values at once', async ({
    page,
    signIn,
    adminApi,
  }) => {
    const subject = uniqueSubject('edit');
    const [keep, drop] = (await adminApi.listScopes()).map((scope) => scope.name);
    const created = await adminApi.createToken({ subject, scopes: [keep!, drop!] });
    await signIn('admin');
    await page.goto(`/subjects/${subject}`);
    const table = page.getByRole('table', { name: new RegExp(`Tokens of ${subject}`) });
    await expect(table).toContainText(drop!);
    await page
      .getByRole('link', { name: `Edit token ${shortHash(created.token.accessTokenHash)} of ${subject}` })
      .click();
    await expect(page.getByRole('heading', { name: 'Edit token' })).toBeVisible();
    await page.getByRole('button', { name: `Remove scope ${drop}` }).click();
    await page.getByLabel('Never expires').check();
    await page.getByRole('button', { name: 'Review changes' }).click();

    const dialog = page.getByRole('dialog', { name: 'Save these changes?' });
    await expect(dialog).toBeVisible();
    const row = dialog.getByRole('row', { name: /Scopes/ });
    await expect(row.getByRole('cell').nth(0)).toHaveText(`${keep} ${drop}`);
    await expect(row.getByRole('cell').nth(1)).toHaveText(keep!);
    await expectAccessible(page, 'the edit diff dialog');

    // From here the subject view's own refetch is held back: what shows first is what the cache holds.
    let releaseLists!: () => void;
    const listsHeld = new Promise<void>((resolve) => (releaseLists = resolve));
    await page.route(/\/api\/tokens\?/, async (route) => {
      await listsHeld;
      await route.continue();
    });
    await dialog.getByRole('button', { name: 'Save changes' }).click();

    await expect(page).toHaveURL(new RegExp(`/subjects/${subject}$`));
    await expect(page.getByText(`Token ${shortHash(created.token.accessTokenHash)} updated.`)).toBeVisible();
    const expiresColumn = (await table.getByRole('columnheader').allTextContents()).findIndex((text) =>
      text.startsWith('Expires'),
    );
    await expect(table.locator('tbody tr').first().getByRole('cell').nth(expiresColumn)).toHaveText('never', {
      timeout: 1000,
    });
    await expect(table).not.toContainText(drop!, { timeout: 1000 });
    await expect(table).toContainText(keep!);
    releaseLists();
    await expect(table).not.toContainText(drop!);
  });

  test('revoke one token from the table, with a confirmation that explains revoke versus delete', async ({
    page,
    signIn,
    adminApi,
  }) => {
    const subject = uniqueSubject('revoke');
    const target = await adminApi.createToken({ subject });
    await adminApi.createToken({ subject });
    await signIn('admin');
    await page.goto(`/tokens?subject=${subject}`);
    const table = tokenTable(page);
    await expect(table.locator('tbody tr')).toHaveCount(2);

    await table
      .getByRole('button', { name: `Revoke token ${shortHash(target.token.accessTokenHash)} of ${subject}` })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Revoke 1 token?' });
    await expect(dialog).toContainText('will stop working immediately');
    await expect(dialog).toContainText('Delete is an admin clean-up');
    await expectAccessible(page, 'the revoke dialog');
    // Esc closes without doing anything.
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(table.locator('tbody tr')).toHaveCount(2);

    await table
      .getByRole('button', { name: `Revoke token ${shortHash(target.token.accessTokenHash)} of ${subject}` })
      .click();
    await dialog.getByLabel(/Reason/).fill('e2e: lost device');
    await dialog.getByRole('button', { name: 'Revoke 1 token' }).click();
    await expect(page.getByText('Authlete revoked 1 token.')).toBeVisible();
    await expect(table.locator('tbody tr')).toHaveCount(1);
    await expect(table).not.toContainText(shortHash(target.token.accessTokenHash));
  });

  test('bulk revoke: selected rows, then all of a subject’s tokens with blast radius and typed confirmation', async ({
    page,
    signIn,
    adminApi,
  }) => {
    const subject = uniqueSubject('bulk');
    const [first, second] = [await adminApi.namedClient(0), await adminApi.namedClient(1)];
    for (const clientId of [first.clientId, first.clientId, first.clientId, second.clientId, second.clientId]) {
      await adminApi.createToken({ subject, clientId });
    }
    await signIn('support');

    // Two rows chosen in the table.
    await page.goto(`/tokens?subject=${subject}`);
    const table = tokenTable(page);
    await expect(table.locator('tbody tr')).toHaveCount(5);
    // One row of each client, whatever order the list is in: 2 + 1 tokens stay, across both clients.
    for (const client of [first, second]) {
      await table
        .locator('tbody tr')
        .filter({ hasText: client.clientName })
        .first()
        .getByRole('checkbox', { name: /^Select token/ })
        .check();
    }
    await page.getByRole('button', { name: 'Revoke selected' }).click();
    const selected = page.getByRole('dialog', { name: 'Revoke 2 tokens?' });
    await selected.getByRole('button', { name: 'Revoke 2 tokens' }).click();
    await expect(page.getByText('Authlete revoked 2 tokens.')).toBeVisible();
    await expect(table.locator('tbody tr')).toHaveCount(3);

    // Everything left for the user, from the support view.
    await page.getByRole('link', { name: `Open the support view for ${subject} →` }).click();
    await expect(page.getByText(/^3 tokens across 2 clients/)).toBeVisible();
    await page.getByRole('button', { name: 'Revoke all for this user' }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke all tokens of ${subject}?` });
    await expect(dialog).toContainText('This revokes 3 tokens across 2 clients');
    const confirm = dialog.getByRole('button', { name: 'Revoke 3 tokens' });
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel(/Reason/).fill('e2e: account compromised');
    await dialog.getByLabel(/Type the subject/).fill(`${subject}x`);
    await expect(confirm).toBeDisabled();
    await dialog.getByLabel(/Type the subject/).fill(subject);
    await expectAccessible(page, 'the revoke-all dialog');
    await confirm.click();

    const done = page.getByRole('dialog', { name: 'Tokens revoked' });
    await expect(done.getByRole('status')).toHaveText(`Authlete reports 3 tokens revoked for ${subject}.`);
    await done.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByText(`${subject} has no tokens.`)).toBeVisible();
  });

  test('after saving, the edit page names the scopes Authlete dropped', async ({ page, signIn, adminApi }) => {
    const subject = uniqueSubject('dropped');
    // The legacy kiosk client may request openid, profile and accounts.read only; the service also supports email.
    const created = await adminApi.createToken({
      subject,
      clientId: '917364',
      grantType: 'PASSWORD',
      scopes: ['openid'],
    });
    await signIn('admin');
    await page.goto(`/subjects/${subject}`);
    await page
      .getByRole('link', { name: `Edit token ${shortHash(created.token.accessTokenHash)} of ${subject}` })
      .click();
    const scopeInput = page.getByRole('combobox', { name: 'Scopes' });
    for (const scope of ['email', 'profile']) {
      await scopeInput.fill(scope);
      await scopeInput.press('Enter');
    }
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page
      .getByRole('dialog', { name: 'Save these changes?' })
      .getByRole('button', { name: 'Save changes' })
      .click();

    const saved = page.getByRole('dialog', { name: 'Saved, with fewer scopes' });
    await expect(saved.getByRole('status')).toHaveText(
      'Authlete dropped: email — the client may not request it (or the service does not support it).',
    );
    await saved.getByRole('button', { name: 'Done' }).click();
    await expect(page).toHaveURL(new RegExp(`/subjects/${subject}$`));
    const table = page.getByRole('table', { name: new RegExp(`Tokens of ${subject}`) });
    await expect(table).toContainText('profile');
    await expect(table).not.toContainText('email');
  });

  test('rotate a token’s value: confirm with a reason, see the new value once, copy it', async ({
    page,
    context,
    signIn,
    adminApi,
  }) => {
    const subject = uniqueSubject('rotate');
    const created = await adminApi.createToken({ subject });
    const oldShort = shortHash(created.token.accessTokenHash);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn('admin');
    await page.goto(`/subjects/${subject}`);
    await page.getByRole('link', { name: `Edit token ${oldShort} of ${subject}` }).click();
    await page.getByRole('button', { name: 'Rotate value' }).click();

    const confirm = page.getByRole('dialog', { name: 'Rotate this token’s value?' });
    await expect(confirm).toContainText('the current value stops working at once');
    await confirm.getByRole('button', { name: 'Rotate value' }).click();
    await expect(confirm.getByRole('alert')).toHaveText('Give a reason; it is kept in the audit log.');
    await confirm.getByLabel(/^Reason/).fill('Value leaked in a log');
    await confirm.getByRole('button', { name: 'Rotate value' }).click();

    const shown = page.getByRole('dialog', { name: 'New token value' });
    await expect(shown.getByText('you will not see it again')).toBeVisible();
    const value = await shown.getByLabel('New access token', { exact: true }).inputValue();
    expect(value.length).toBeGreaterThan(20);
    expect(value).not.toBe(created.accessToken);
    await shown.getByRole('button', { name: 'Copy New access token' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
    await expectAccessible(page, 'the rotated-value dialog');

    // Done forgets the value; the subject view lists the token under its new hash only.
    await shown.getByRole('button', { name: 'Done' }).click();
    await expect(page).toHaveURL(new RegExp(`/subjects/${subject}$`));
    const table = page.getByRole('table', { name: new RegExp(`Tokens of ${subject}`) });
    await expect(table.locator('tbody tr')).toHaveCount(1);
    await expect(table).not.toContainText(oldShort);
    await expect(page.locator('body')).not.toContainText(value);
  });

  test('the create form has no subject for client credentials', async ({ page, signIn }) => {
    await signIn('admin');
    await page.goto('/tokens/new');
    await page.getByLabel('Subject').fill('typed-before-switching');
    await page.getByLabel('Grant type').selectOption('CLIENT_CREDENTIALS');
    await expect(page.getByLabel('Subject')).toHaveCount(0);
    await expect(
      page.getByText('No subject: a client credentials token belongs to the client, not a user.'),
    ).toBeVisible();
  });

  test('delete a token', async ({ page, signIn, adminApi }) => {
    const subject = uniqueSubject('delete');
    const created = await adminApi.createToken({ subject });
    await signIn('admin');
    await page.goto(`/tokens?subject=${subject}`);
    const table = tokenTable(page);
    await table
      .getByRole('button', { name: `Delete token ${shortHash(created.token.accessTokenHash)} of ${subject}` })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Delete this token?' });
    await expect(dialog).toContainText('erased from Authlete');
    await expect(dialog).toContainText('Revoke is the support action');
    await dialog.getByLabel(/^Reason/).fill('Test token issued by mistake');
    await dialog.getByRole('button', { name: 'Delete token' }).click();
    await expect(page.getByText(`Token ${shortHash(created.token.accessTokenHash)} deleted.`)).toBeVisible();
    await expect(page.getByText('No tokens match these filters.')).toBeVisible();
  });

  test('export the filtered list across pages as CSV (hashes only)', async ({ page, signIn, adminApi }) => {
    const subject = uniqueSubject('export');
    const created = [];
    for (let i = 0; i < 12; i++) created.push(await adminApi.createToken({ subject }));
    await signIn('viewer');
    // Page size 10: the export still covers both pages.
    await page.goto(`/tokens?subject=${subject}&pageSize=10`);
    await expect(tokenTable(page).locator('tbody tr')).toHaveCount(10);
    const downloadPromise = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const download = await downloadPromise;
    expect(download.suggestedFilename()).toMatch(/^tokens-\d{4}-\d{2}-\d{2}T\d{4}Z\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'accessTokenHash,refreshTokenHash,subject,clientId,clientName,grantType,scopes,createdAt,accessTokenExpiresAt,lastRefreshedAt,refreshTokenExpiresAt',
    );
    expect(lines).toHaveLength(13);
    expect(new Set(lines.slice(1).map((line) => line.split(',')[0]))).toEqual(
      new Set(created.map((c) => c.token.accessTokenHash)),
    );
    for (const { accessToken, refreshToken } of created) {
      expect(csv).not.toContain(accessToken);
      if (refreshToken) expect(csv).not.toContain(refreshToken);
    }
    await expect(page.getByText('Exported 12 tokens (hashes only).')).toBeVisible();
  });
});
