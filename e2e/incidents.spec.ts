import { readFileSync } from 'node:fs';
import { expect, expectAccessible, expectNoSidewaysScroll, test, uniqueSubject } from './tokens-fixtures';

/** A demo client with no seeded tokens of its own (the revoke-job benchmark's), so no other spec counts on it. */
const KIOSK = '917364';
const WEB_BANKING = '26888344961664';

test.describe('incident response', () => {
  test('a support lead locks a client and revokes all its tokens: preview, typed count, progress, report; then unlocks it', async ({
    page,
    signIn,
    adminApi,
  }) => {
    test.slow();
    for (let i = 0; i < 5; i++) await adminApi.createToken({ subject: uniqueSubject(`kiosk-${i}`), clientId: KIOSK });
    await signIn('lead');
    await page.goto('/s/production/incidents');
    await expect(page.getByRole('heading', { name: 'Incident response', level: 1 })).toBeVisible();
    await expectAccessible(page, 'the incidents page');

    await page.getByRole('combobox', { name: 'Client', exact: true }).selectOption(KIOSK);
    await page.getByLabel('Lock the client first (kill switch: no new tokens)').check();
    await page.getByRole('button', { name: 'Preview blast radius' }).click();
    const job = page.getByRole('region', { name: /^Revocation job/ });
    await expect(job.getByRole('heading')).toHaveText('Revocation job · Previewed');
    await expect(job).toContainText(/[5-9] tokens in 1 call|\d{2,} tokens in 1 call/);
    await expect(job).toContainText('Branch Kiosk (legacy)');

    // The typed count must match the preview.
    await job.getByLabel('Type 1 to confirm').fill('1');
    await job.getByLabel('Reason').fill('e2e: kiosk credentials leaked');
    await job.getByLabel('Ticket').fill('INC-4242');
    await job.getByRole('button', { name: 'Lock client and revoke all its tokens' }).click();
    await expect(job.getByRole('heading')).toHaveText('Revocation job · Completed', { timeout: 30_000 });
    await expect(job).toContainText('1 done, 0 failed, 0 remaining');
    await expect(job.getByRole('progressbar', { name: 'Revocation progress' })).toBeVisible();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      job.getByRole('link', { name: 'Download report (CSV)' }).click(),
    ]);
    expect(readFileSync((await download.path())!, 'utf8')).toContain(KIOSK);

    // Locked: named on the page, in the client pickers; an admin cannot issue it a token.
    const locks = page.getByRole('region', { name: 'Locked clients' });
    await expect(locks).toContainText('Branch Kiosk (legacy)');
    const refused = await adminApi.request.post('/api/s/production/tokens', {
      data: { grantType: 'AUTHORIZATION_CODE', clientId: KIOSK, subject: uniqueSubject('kiosk-after'), scopes: [] },
    });
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('client_locked');
    await page.goto('/s/production/tokens');
    await expect(page.getByRole('option', { name: /Branch Kiosk \(legacy\).*\(Locked\)/ })).toHaveCount(1);

    // Unlocked with a reason, it gets tokens again.
    await page.goto('/s/production/incidents');
    await locks.getByLabel('Reason for unlocking').fill('e2e: incident closed');
    await locks.getByRole('button', { name: 'Unlock Branch Kiosk (legacy)' }).click();
    await expect(locks.getByRole('status')).toHaveText(
      'Branch Kiosk (legacy) (917364) is unlocked: it can get tokens again.',
    );
    await expect(locks).toContainText('No client of this service is locked.');
    await adminApi.createToken({ subject: uniqueSubject('kiosk-again'), clientId: KIOSK });

    // The Jobs page lists the revocation with the other jobs; it opens on the incidents page.
    await page.goto('/s/production/batches');
    const revocations = page.getByRole('table', { name: 'Incident revocations' });
    await expect(revocations.getByRole('row').nth(1)).toContainText('lead@demo.local');
    await expect(revocations.getByRole('row').nth(1)).toContainText('Completed');
    await revocations.getByRole('row').nth(1).getByRole('link').click();
    await expect(page.getByRole('region', { name: /^Revocation job/ }).getByRole('heading')).toHaveText(
      'Revocation job · Completed',
    );
  });

  test('revokes the tokens of a subject list from a CSV file read in the browser', async ({
    page,
    signIn,
    adminApi,
  }) => {
    test.slow();
    const alice = uniqueSubject('fraud-a');
    const bob = uniqueSubject('fraud-b');
    const kept = uniqueSubject('fraud-kept');
    for (const subject of [alice, bob, kept]) await adminApi.createToken({ subject, clientId: WEB_BANKING });
    await signIn('lead');
    await page.goto('/s/production/incidents');
    await page.getByLabel('Or: subjects from a CSV file').setInputFiles({
      name: 'fraud.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`subject\n${alice}\n${bob}\n${alice}\nbad,extra\n`),
    });
    const summary = page.getByTestId('subject-list-summary');
    await expect(summary).toContainText('2 subjects; 1 duplicate dropped; 1 line is not a subject.');
    await expect(summary).toContainText('Line 5: more than one value; put one subject per line.');
    // With a file, the token filters do not apply.
    await expect(page.getByLabel('Scopes (any of, space or comma separated)')).toBeDisabled();

    await page.getByRole('button', { name: 'Preview blast radius' }).click();
    const job = page.getByRole('region', { name: /^Revocation job/ });
    await expect(job.getByRole('heading')).toHaveText('Revocation job · Previewed', { timeout: 30_000 });
    await job.getByLabel('Type 2 to confirm').fill('2');
    await job.getByLabel('Reason').fill('e2e: fraud team list');
    await job.getByLabel('Ticket').fill('FRAUD-7');
    await job.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect(job.getByRole('heading')).toHaveText('Revocation job · Completed', { timeout: 30_000 });
    await expect(job).toContainText('2 done, 0 failed, 0 remaining');

    const count = async (subject: string) =>
      (
        (await (
          await adminApi.request.get(`/api/s/production/tokens?subject=${encodeURIComponent(subject)}&status=all`)
        ).json()) as { totalCount: number }
      ).totalCount;
    expect(await count(alice)).toBe(0);
    expect(await count(bob)).toBe(0);
    expect(await count(kept)).toBe(1);

    await page.setViewportSize({ width: 360, height: 740 });
    await expectNoSidewaysScroll(page, 'the incidents page');
  });
});
