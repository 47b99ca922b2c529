/**
 * A list too long for the browser is exported by a job on the server: the person starts it, leaves
 * the page, comes back to the Jobs page and downloads the finished file.
 */
import { readFileSync } from 'node:fs';
import { EXPORT_IN_BROWSER_MAX_ROWS } from '@/lib/schemas/export-limits';
import { DEMO_SERVICE_ACCESS_TOKEN, DEMO_SERVICE_ID } from '@/server/config/demo';
import { expect, test, uniqueSubject } from './tokens-fixtures';

const emulatorUrl = `http://127.0.0.1:${process.env.E2E_EMULATOR_PORT ?? 4110}`;
const ROWS = EXPORT_IN_BROWSER_MAX_ROWS + 250;

test('a large token export runs on the server while the person is away, then downloads', async ({
  page,
  signIn,
  adminApi,
}) => {
  test.setTimeout(240_000);
  const subject = uniqueSubject('export');
  const { clientId } = await adminApi.namedClient();
  // Straight into the emulator's batch API (1,000 a call): far quicker than through the app.
  for (let from = 0; from < ROWS; from += 1000) {
    const count = Math.min(1000, ROWS - from);
    const element = `{"grantType":"PASSWORD","clientId":${clientId},"subject":"${subject}","scopes":["openid"]}`;
    const response = await adminApi.request.post(`${emulatorUrl}/api/${DEMO_SERVICE_ID}/auth/token/create/batch`, {
      headers: { authorization: `Bearer ${DEMO_SERVICE_ACCESS_TOKEN}`, 'content-type': 'application/json' },
      data: `[${Array(count).fill(element).join(',')}]`,
    });
    expect(response.ok(), await response.text()).toBe(true);
  }
  const list = `/api/s/production/tokens?subject=${encodeURIComponent(subject)}&status=all`;
  await expect
    .poll(async () => ((await (await adminApi.request.get(list)).json()) as { totalCount: number }).totalCount, {
      timeout: 60_000,
    })
    .toBe(ROWS);

  await signIn('admin');
  await page.goto(`/tokens?subject=${encodeURIComponent(subject)}&status=all`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(`${ROWS.toLocaleString('en-US')} tokens`, {
    timeout: 30_000,
  });
  await page.getByRole('button', { name: 'Export CSV' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Runs on the server' })).toBeVisible();

  // The person leaves (another page), then comes back to Jobs, where the export is listed.
  await page.goto('/audit');
  await page.goto('/batches');
  const exports = page.getByRole('table', { name: 'Exports' });
  const row = exports.getByRole('row').filter({ hasText: subject });
  await expect(row).toHaveCount(1);
  await expect(row.getByText('Ready')).toBeVisible({ timeout: 180_000 });
  await expect(row).toContainText(ROWS.toLocaleString('en-US'));

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    row.getByRole('link', { name: 'Download' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^tokens-\d{4}-\d\d-\d\dT\d{4}Z\.csv$/);
  const text = readFileSync((await download.path())!, 'utf8');
  expect(text.startsWith('\uFEFFaccessTokenHash,refreshTokenHash,subject,')).toBe(true);
  const lines = text.split('\r\n').filter(Boolean).slice(1);
  expect(lines).toHaveLength(ROWS);
  expect(new Set(lines.map((line) => line.split(',')[0])).size).toBe(ROWS);
  expect(lines.every((line) => line.split(',')[2] === subject)).toBe(true);
});
