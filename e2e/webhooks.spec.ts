import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { expect, expectAccessible, test, uniqueSubject } from './tokens-fixtures';

/** What the receiver was sent: each request's headers and body, in arrival order. */
interface Received {
  id: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A receiver on loopback (allowed for this stack by WEBHOOK_ALLOWED_RANGES, as an operator would
 * allow one on their network) that fails the first attempt of every event with a 500.
 */
async function startReceiver() {
  const received: Received[] = [];
  const seen = new Set<string>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      received.push({ id, headers: req.headers as Record<string, string>, body });
      const first = !seen.has(id);
      seen.add(id);
      res.writeHead(first ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/token-desk`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test.describe('webhooks', () => {
  test('an admin adds an endpoint, a created token reaches it signed after a retry, and the admin redelivers, rotates, tests and removes', async ({
    page,
    signIn,
    adminApi,
  }) => {
    const receiver = await startReceiver();
    try {
      await signIn('admin');
      await page.goto('/s/production/tokens');
      // Reached from the other administration pages (the header has room for Staff only).
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Staff' }).click();
      await page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'Webhooks' }).click();
      await expect(page).toHaveURL(/\/s\/production\/webhooks$/);
      await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible();
      await expectAccessible(page, 'the webhooks page');

      // A private address is refused at save time, with the reason under the field.
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      const add = page.getByRole('dialog', { name: 'Add a webhook endpoint' });
      const description = `SOC ${uniqueSubject('hook').slice(-6)}`;
      await add.getByLabel('Receiver address').fill('http://10.1.2.3/hook');
      await add.getByLabel('Description (optional)').fill(description);
      await add.getByRole('checkbox', { name: /^Token created/ }).check();
      await add.getByRole('button', { name: 'Add endpoint' }).click();
      await expect(add.getByText(/10\.1\.2\.3 resolves to 10\.1\.2\.3, a loopback, private/)).toBeVisible();
      await expect(add.getByLabel('Receiver address')).toHaveAttribute('aria-invalid', 'true');
      await expectAccessible(page, 'the add endpoint dialog with an error');

      await add.getByLabel('Receiver address').fill(receiver.url);
      await add.getByRole('button', { name: 'Add endpoint' }).click();
      const created = page.getByRole('dialog', { name: 'Endpoint added' });
      await expect(created.getByText('Copy it now: it is never shown again.', { exact: false })).toBeVisible();
      const secret = await created.getByRole('textbox', { name: 'Signing secret' }).inputValue();
      expect(secret).toMatch(/^whsec_/);
      await created.getByRole('button', { name: 'Done' }).click();

      const card = page.getByRole('listitem').filter({ hasText: description });
      await expect(card).toContainText(receiver.url);
      await expect(card).toContainText('Token created');
      await expect(card).toContainText('On');

      // A token created through the desk: the first attempt gets a 500, the retry (seconds later here) a 204.
      const subject = uniqueSubject('hook');
      await adminApi.createToken({ subject });
      await expect
        .poll(() => receiver.received.filter((one) => one.body.includes(subject)).length, { timeout: 30_000 })
        .toBe(2);
      const [first, retry] = receiver.received.filter((one) => one.body.includes(subject));
      expect(retry!.id).toBe(first!.id);
      const event = new Webhook(secret).verify(retry!.body, retry!.headers) as {
        type: string;
        data: Record<string, unknown>;
      };
      expect(event).toMatchObject({ type: 'token.created', data: { service: 'production', subject } });
      expect(JSON.stringify(event)).not.toMatch(/accessToken"/);

      // The delivery log: delivered on the second attempt, both answers shown.
      await card.getByRole('button', { name: 'Deliveries' }).click();
      const log = card.getByRole('region', { name: 'Deliveries' });
      const row = log.getByRole('row', { name: new RegExp(first!.id) });
      await expect(row).toContainText('Delivered');
      await expect(row).toContainText('204');
      await expect(row).toContainText('500');
      await expectAccessible(page, 'the delivery log');

      await row.getByRole('button', { name: 'Send again' }).click();
      await expect
        .poll(() => receiver.received.filter((one) => one.id === first!.id).length, { timeout: 30_000 })
        .toBe(3);

      // A new secret: the old one no longer verifies what is sent next.
      await card.getByRole('button', { name: `Replace the signing secret of ${description}` }).click();
      const rotate = page.getByRole('dialog', { name: 'Replace the signing secret?' });
      await rotate.getByRole('button', { name: 'Replace secret' }).click();
      const rotated = page.getByRole('dialog', { name: 'New signing secret' });
      const newSecret = await rotated.getByRole('textbox', { name: 'Signing secret' }).inputValue();
      expect(newSecret).not.toBe(secret);
      await rotated.getByRole('button', { name: 'Done' }).click();

      const before = receiver.received.length;
      await card.getByRole('button', { name: `Send a test event to ${description}` }).click();
      await expect.poll(() => receiver.received.length, { timeout: 30_000 }).toBeGreaterThan(before);
      const test = receiver.received[before]!;
      expect(new Webhook(newSecret).verify(test.body, test.headers)).toMatchObject({ type: 'webhook.test' });
      expect(() => new Webhook(secret).verify(test.body, test.headers)).toThrow();
      await expect(log.getByRole('row', { name: /Test event/ })).toBeVisible();

      await card.getByRole('button', { name: `Remove ${description}` }).click();
      const remove = page.getByRole('dialog', { name: 'Remove this endpoint?' });
      await remove.getByRole('button', { name: 'Remove endpoint' }).click();
      await expect(page.getByRole('listitem').filter({ hasText: description })).toHaveCount(0);
    } finally {
      await receiver.close();
    }
  });

  test('support has no webhooks page and no nav link to it', async ({ page, signIn }) => {
    await signIn('support');
    await page.goto('/s/production/webhooks');
    await expect(page.getByText('Only administrators manage webhooks.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Webhooks' })).toHaveCount(0);
  });
});
