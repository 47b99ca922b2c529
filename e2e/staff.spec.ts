import type { Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, expectAccessible, test, tokenTable, uniqueSubject } from './tokens-fixtures';

const staffPage = '/s/production/staff';

/** Signs in through the sign-in page (its own session: signing out ends only this one). */
async function signInAs(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page).toHaveURL(/\/tokens/);
}

/** The page is no wider than the viewport; the message names the elements that stick out. */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const measured = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const contained = (element: Element) => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible') return true;
      }
      return false;
    };
    const offenders = [...document.body.querySelectorAll('*')]
      .filter((element) => element.getBoundingClientRect().right > width + 0.5 && !contained(element))
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')}`);
    return { overflow: document.documentElement.scrollWidth - width, offenders };
  });
  expect(measured.overflow, `${what} sticks out: ${measured.offenders.join(', ')}`).toBeLessThanOrEqual(0);
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

test.describe('staff administration', () => {
  test('an admin adds a support person for one client, who sees only that client; the admin then disables them', async ({
    page,
    adminApi,
  }) => {
    const [mine, other] = [await adminApi.namedClient(0), await adminApi.namedClient(1)];
    const subject = uniqueSubject('staff');
    await adminApi.createToken({ subject, clientId: mine.clientId });
    await adminApi.createToken({ subject, clientId: other.clientId });
    const name = `Scoped Support ${subject.slice(-4)}`;
    const email = `${subject}@demo.local`;

    await signInAs(page, 'admin@demo.local', DEMO_PASSWORD);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
    await expect(page).toHaveURL(/\/s\/production\/staff$/);
    await expect(page.getByRole('heading', { name: 'Staff', level: 1 })).toBeVisible();
    const table = page.getByRole('table', { name: 'Staff accounts' });
    await expect(table.getByRole('row', { name: /admin@demo\.local/ })).toBeVisible();
    await expectAccessible(page, 'the staff page');

    // Add the person: support, one client only.
    await page.getByRole('button', { name: 'Add person' }).click();
    const add = page.getByRole('dialog', { name: 'Add a person' });
    await add.getByLabel('Name').fill(name);
    await add.getByLabel('Email').fill(email);
    await add.getByLabel('Role').selectOption('support');
    await add.getByRole('radio', { name: 'Only these clients' }).check();
    await add.getByRole('checkbox', { name: new RegExp(mine.clientName) }).check();
    await expectAccessible(page, 'the add person dialog');
    await add.getByRole('button', { name: 'Create account' }).click();

    // The initial password, once, with a copy button and the warning.
    const created = page.getByRole('dialog', { name: 'Account created' });
    await expect(created.getByText('This password will not be shown again.')).toBeVisible();
    await expect(created.getByRole('button', { name: 'Copy Initial password' })).toBeVisible();
    const password = await created.getByRole('textbox', { name: 'Initial password' }).inputValue();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await created.getByRole('button', { name: 'Done' }).click();
    await expect(created).toHaveCount(0);

    const row = table.getByRole('row', { name: new RegExp(email) });
    await expect(row).toContainText('Support');
    await expect(row).toContainText(mine.clientName);
    await expect(row).not.toContainText('All clients');
    await expect(row).toContainText('Never');
    await expect(row).toContainText('Active');

    // The admin cannot disable their own account: the server's refusal is shown as it is.
    await table.getByRole('button', { name: 'Disable Ada Admin' }).click();
    const own = page.getByRole('dialog', { name: 'Disable Ada Admin?' });
    await own.getByRole('button', { name: 'Disable account' }).click();
    await expect(own.getByRole('alert')).toContainText('You cannot change your own role, scope or account');
    await own.getByRole('button', { name: 'Cancel' }).click();

    // The new person signs in with the shown password and sees only their client's tokens.
    await signOut(page);
    await signInAs(page, email, password);
    await page.goto(`/s/production/tokens?subject=${encodeURIComponent(subject)}&status=all`);
    const tokens = tokenTable(page);
    await expect(tokens.getByRole('link', { name: subject })).toHaveCount(1);
    await expect(tokens).toContainText(mine.clientName);
    await expect(tokens).not.toContainText(other.clientName);
    // Staff administration is not theirs: no navigation item, and the page says so.
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' })).toHaveCount(0);
    await page.goto(staffPage);
    await expect(page.getByText('Only admins can manage staff accounts.')).toBeVisible();

    // The admin disables them: their session ends and their password no longer signs in.
    await signOut(page);
    await signInAs(page, 'admin@demo.local', DEMO_PASSWORD);
    await page.goto(staffPage);
    const person = page.getByRole('table', { name: 'Staff accounts' }).getByRole('row', { name: new RegExp(email) });
    await expect(person).toContainText('Support');
    await person.getByRole('button', { name: `Disable ${name}` }).click();
    const disable = page.getByRole('dialog', { name: `Disable ${name}?` });
    await disable.getByRole('button', { name: 'Disable account' }).click();
    await expect(disable).toHaveCount(0);
    await expect(person).toContainText('Disabled');
    await expect(person.getByRole('button', { name: `Enable ${name}` })).toBeVisible();
    const refused = await page.request.post('/api/auth/sign-in/email', {
      data: { email, password },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(refused.ok()).toBe(false);
  });

  test('at phone width the staff page has no sideways overflow; the table scrolls in its own box', async ({
    page,
    signIn,
  }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await signIn('admin');
    await page.goto(staffPage);
    const table = page.getByRole('table', { name: 'Staff accounts' });
    await expect(table.getByRole('row', { name: /admin@demo\.local/ })).toBeVisible();
    await expectNoSidewaysScroll(page, 'the staff page');
    const box = page.getByRole('region', { name: 'Staff accounts' });
    expect(await box.evaluate((element) => element.scrollWidth > element.clientWidth)).toBe(true);
    await page.getByRole('button', { name: 'Add person' }).click();
    await expect(page.getByRole('dialog', { name: 'Add a person' })).toBeVisible();
    await expectNoSidewaysScroll(page, 'the add person dialog');
    await expectAccessible(page, 'the staff page at phone width');
  });
});
