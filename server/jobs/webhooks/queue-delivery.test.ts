import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { recordAudit } from '@/server/audit';
import { closeDb, getDb } from '@/server/db';
import { webhookDelivery } from '@/server/db/schema';
import { createEndpoint } from '@/server/webhooks/endpoints';
import { stopJobWorkers } from '@/server/jobs';
import { startWebhookWorkers } from './deliver';

// The test receiver is on loopback, allowed through configuration; retries a few ms apart.
vi.hoisted(() => {
  Object.assign(process.env, {
    WEBHOOK_ALLOWED_RANGES: '127.0.0.1/32',
    WEBHOOK_ALLOW_HTTP: 'true',
    WEBHOOK_RETRY_BASE_MS: '20',
  });
});

const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
let failuresLeft = 2;
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(failuresLeft-- > 0 ? 503 : 204).end();
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await getDb();
}, 120_000);
afterAll(async () => {
  await stopJobWorkers();
  server.close();
  await closeDb();
});

it('delivers an audited revocation through the pg-boss queue, retrying a failing receiver', async () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const { secret } = await createEndpoint({ service: 'default', url, createdBy: 'u-admin' });
  await startWebhookWorkers(1);
  await recordAudit({
    action: 'token.revoke',
    outcome: 'success',
    actor: { id: 'u-admin', email: 'ada@desk.test', role: 'admin', method: 'password' },
    service: 'default',
    target: { tokenHash: 'h'.repeat(43), clientId: '42', subject: 'alice' },
  });
  await vi.waitFor(
    async () => {
      const [delivery] = await (await getDb()).select().from(webhookDelivery);
      expect(delivery).toMatchObject({ state: 'delivered', attempts: 3 });
    },
    { timeout: 30_000, interval: 200 },
  );
  expect(received).toHaveLength(3);
  expect(new Set(received.map((entry) => entry.headers['webhook-id'])).size).toBe(1);
  const last = received.at(-1)!;
  expect(new Webhook(secret).verify(last.body, last.headers as Record<string, string>)).toMatchObject({
    type: 'token.revoked',
  });
}, 60_000);
