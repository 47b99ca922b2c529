import { expect, test, tokenTable } from './tokens-fixtures';

const emulatorURL = `http://127.0.0.1:${process.env.E2E_EMULATOR_PORT ?? 4110}`;

test('an upstream failure shows the server’s message, the request id and a retry that recovers', async ({
  page,
  signIn,
  playwright,
}) => {
  const emulator = await playwright.request.newContext({ baseURL: emulatorURL });
  const setFaults = async (faults: Record<string, unknown>) =>
    expect((await emulator.post('/__emulator/faults', { data: faults })).ok()).toBe(true);
  try {
    await signIn('viewer');
    // Every list call fails (retries included) until the faults are cleared.
    await setFaults({ errorRate: 1, operations: ['auth_token_get_list_api'] });
    // The ids the server put on the failed list answers: the one the UI shows must be among them.
    const failedRequestIds: string[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/api/s/production/tokens' && response.status() >= 500) {
        failedRequestIds.push(response.headers()['x-request-id'] ?? '');
      }
    });
    await page.goto('/tokens?status=all');
    const alert = page.getByRole('alert').filter({ hasText: 'Tokens could not be loaded' });
    await expect(alert).toBeVisible({ timeout: 20_000 });
    await expect(alert).toContainText(/Request ID [0-9a-f-]{36}/);
    const shownRequestId = await alert.locator('code[data-request-id]').textContent();
    expect(failedRequestIds).toContain(shownRequestId);
    await expect(tokenTable(page)).toHaveCount(0);

    await setFaults({});
    await alert.getByRole('button', { name: 'Try again' }).click();
    await expect(tokenTable(page).locator('tbody tr').first()).toBeVisible();
  } finally {
    await emulator.post('/__emulator/faults', { data: {} });
    await emulator.dispose();
  }
});
