import { createHash } from 'node:crypto';
import { shortHash } from '@/lib/format';
import type { TokenCreated } from '@/lib/schemas';
import { expect, expectAccessible, test, tokenTable, uniqueSubject } from './tokens-fixtures';

test.describe('token list', () => {
  test('browse and page: page size, next, last, and back/forward through the URL', async ({ page, signIn }) => {
    await signIn('viewer');
    await page.goto('/tokens');
    await expect(page.getByRole('heading', { name: /^Tokens/ })).toBeVisible();
    const table = tokenTable(page);
    await expect(table.locator('tbody tr')).toHaveCount(20);
    const summary = page.getByRole('navigation', { name: 'Pagination' });
    await expect(summary).toContainText(/^1–20 of [\d,]+ tokens/);
    await expectAccessible(page, 'the token list');

    const firstPageHashes = await table.locator('tbody tr code').allTextContents();
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect(page).toHaveURL(/[?&]page=2(&|$)/);
    await expect(table).toHaveAccessibleName(/^Tokens, page 2 of \d+/);
    await expect(summary).toContainText(/^21–40 of/);
    // The caption follows the URL at once; the rows follow when page 2 arrives (page 1 stays dimmed till then).
    await expect.poll(() => table.locator('tbody tr code').allTextContents()).not.toEqual(firstPageHashes);

    await page.getByLabel('Rows per page').selectOption('50');
    await expect(page).toHaveURL(/pageSize=50/);
    await expect(page).not.toHaveURL(/[?&]page=/);
    await expect(table.locator('tbody tr')).toHaveCount(50);

    await page.getByRole('button', { name: 'Last page' }).click();
    const total = Number((await summary.textContent())?.match(/of ([\d,]+) tokens/)?.[1]?.replace(/,/g, ''));
    const lastPage = Math.ceil(total / 50);
    await expect(page).toHaveURL(new RegExp(`page=${lastPage}`));
    await expect(page.getByRole('button', { name: 'Next page' })).toBeDisabled();

    await page.goBack();
    await expect(page).not.toHaveURL(/[?&]page=/);
    await expect(table.locator('tbody tr')).toHaveCount(50);
    await page.goBack();
    await expect(page).toHaveURL(/[?&]page=2(&|$)/);
    await expect(table).toHaveAccessibleName(/^Tokens, page 2 of/);
    await page.goForward();
    await expect(page).toHaveURL(/pageSize=50/);
  });

  test('filters live in the URL: a pasted link opens the same view, and back undoes a filter', async ({
    page,
    signIn,
    adminApi,
  }) => {
    const subject = uniqueSubject('filter');
    const [first, second] = [await adminApi.namedClient(0), await adminApi.namedClient(1)];
    await adminApi.createToken({ subject, clientId: first.clientId });
    await adminApi.createToken({ subject, clientId: first.clientId });
    await adminApi.createToken({ subject, clientId: second.clientId });

    await signIn('viewer');
    await page.goto(`/tokens?subject=${subject}&status=all`);
    const table = tokenTable(page);
    await expect(table.locator('tbody tr')).toHaveCount(3);
    await expect(page.getByRole('searchbox', { name: 'Subject' })).toHaveValue(subject);
    await expect(page.getByLabel('Status')).toHaveValue('all');
    await expect(table.getByRole('link', { name: subject })).toHaveCount(3);

    await page.getByLabel('Client').selectOption(second.clientId);
    await expect(page).toHaveURL(new RegExp(`clientId=${second.clientId}`));
    await expect(table.locator('tbody tr')).toHaveCount(1);
    await expect(table).toContainText(second.clientName);

    await page.goBack();
    await expect(table.locator('tbody tr')).toHaveCount(3);
    await expect(page.getByLabel('Client')).toHaveValue('');

    // A filter that matches nothing says so and offers the way out.
    await page.goto(`/tokens?subject=${subject}-nobody`);
    await expect(page.getByText('No tokens match these filters.')).toBeVisible();
    await page.getByRole('button', { name: 'clear the filters' }).click();
    await expect(page).toHaveURL(/\/tokens$/);
  });

  test('the order is stated and a column sort reorders this page only; every scope and the full hash are reachable without hover', async ({
    page,
    context,
    signIn,
    adminApi,
  }) => {
    const subject = uniqueSubject('sort');
    const scopes = (await adminApi.listScopes()).map((scope) => scope.name).slice(0, 5);
    const created: TokenCreated[] = [];
    for (const i of [0, 1, 2]) created.push(await adminApi.createToken({ subject, scopes: i === 0 ? scopes : [] }));
    const short = (i: number) => shortHash(created[i]!.token.accessTokenHash);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signIn('viewer');
    await page.goto(`/tokens?subject=${subject}`);
    const table = tokenTable(page);
    await expect(table.locator('tbody tr')).toHaveCount(3);

    // Newest first by default, and the page says the sort covers this page, not the whole list.
    await expect(
      page.getByText('Sorted by created, newest first. Only the rows on this page are sorted'),
    ).toBeVisible();
    await expect(table.getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'descending');
    await expect(table.locator('tbody tr code')).toHaveText([short(2), short(1), short(0)]);
    await table.getByRole('button', { name: 'Created' }).click();
    await expect(page).toHaveURL(/sort=createdAt&order=asc/);
    await expect(table.getByRole('columnheader', { name: 'Created' })).toHaveAttribute('aria-sort', 'ascending');
    await expect(
      page.getByText('Sorted by created, oldest first. Only the rows on this page are sorted'),
    ).toBeVisible();
    await expect(table.locator('tbody tr code')).toHaveText([short(0), short(1), short(2)]);

    // The scopes past the first two open from a disclosure button (keyboard here; a tap is a click).
    const oldest = table.locator('tbody tr').first();
    const more = oldest.getByRole('button', { name: `+${scopes.length - 2} more scopes` });
    await expect(more).toHaveAttribute('aria-expanded', 'false');
    await more.focus();
    await page.keyboard.press('Enter');
    for (const scope of scopes) await expect(oldest).toContainText(scope);
    await expect(oldest.getByRole('button', { name: 'fewer scopes' })).toHaveAttribute('aria-expanded', 'true');

    // The full hash is one button away.
    await oldest.getByRole('button', { name: `Copy Hash of token ${short(0)}` }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(created[0]!.token.accessTokenHash);
    await expectAccessible(page, 'a sorted list with scopes open');
  });

  test('look up by raw value: sent once in a POST body for introspection, never in a URL', async ({
    page,
    signIn,
    adminApi,
  }) => {
    const subject = uniqueSubject('lookup');
    const created = await adminApi.createToken({ subject });
    const raw = created.accessToken;
    const sent: { url: string; method: string; body: string }[] = [];
    page.on('request', (request) =>
      sent.push({ url: request.url(), method: request.method(), body: request.postData() ?? '' }),
    );

    await signIn('support');
    // No filter needed: introspection finds the token whatever the size of the service.
    await page.goto('/tokens');
    await expect(page.getByText('if the token has expired, Authlete deletes it when it is looked up')).toBeVisible();
    const input = page.getByRole('textbox', { name: 'Look up a token by its value' });
    await input.fill(raw);
    await page.getByRole('button', { name: 'Look up' }).click();
    const found = page.getByRole('table', { name: 'Token found by value' });
    await expect(found).toBeVisible();
    await expect(found.getByRole('link', { name: subject })).toBeVisible();
    await expect(input).toHaveValue('');

    expect(createHash('sha256').update(raw).digest('base64url')).toBe(created.token.accessTokenHash);
    const carrying = sent.filter((request) => request.url.includes(raw) || request.body.includes(raw));
    expect(carrying).toEqual([
      {
        url: expect.stringMatching(/\/api\/s\/[^/]+\/tokens\/lookup$/),
        method: 'POST',
        body: JSON.stringify({ token: raw }),
      },
    ]);
    expect(page.url()).not.toContain(raw);

    await input.fill('not-a-real-token-value');
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect(page.getByText('No token found.')).toBeVisible();
    await expectAccessible(page, 'the lookup result');
  });
});

test.describe('roles', () => {
  test('a viewer sees tokens but no action, and no admin pages', async ({ page, signIn }) => {
    await signIn('viewer');
    await page.goto('/tokens');
    const table = tokenTable(page);
    await expect(table.locator('tbody tr').first()).toBeVisible();
    await expect(table.getByRole('button', { name: /^Revoke/ })).toHaveCount(0);
    await expect(table.getByRole('link', { name: /^Edit/ })).toHaveCount(0);
    await expect(table.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
    await expect(table.getByRole('checkbox')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'New token' })).toHaveCount(0);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link')).toHaveText(['Tokens', 'Overview', 'Jobs']);

    await page.goto('/tokens/new');
    await expect(page.getByRole('heading', { name: 'Not available for your role' })).toBeVisible();
    await page.goto('/audit');
    await expect(page.getByRole('heading', { name: 'Not available for your role' })).toBeVisible();
    // The server refuses too, whatever the UI shows.
    const refused = await page.request.post('/api/s/production/revocations', {
      data: { subject: 'anyone', reason: 'e2e' },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(refused.status()).toBe(403);
  });

  test('support may revoke, but not create, edit or delete', async ({ page, signIn }) => {
    await signIn('support');
    await page.goto('/tokens');
    const table = tokenTable(page);
    await expect(table.getByRole('button', { name: /^Revoke/ }).first()).toBeVisible();
    await expect(table.getByRole('checkbox').first()).toBeVisible();
    await expect(table.getByRole('link', { name: /^Edit/ })).toHaveCount(0);
    await expect(table.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'New token' })).toHaveCount(0);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link')).toHaveText([
      'Tokens',
      'Overview',
      'Jobs',
      'Approvals',
    ]);
  });
});
