import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordAudit } from '@/server/audit';
import { closeDb, getDb } from '@/server/db';
import { auditLog, webhookAttempt, webhookDelivery, webhookEndpoint } from '@/server/db/schema';
import { createEndpoint, rotateEndpointSecret, WebhookError } from '@/server/webhooks/endpoints';
import {
  attemptDelivery as attemptNow,
  deliverDueWebhooks,
  queueDueDeliveries,
  redeliver,
  retryDelayMs,
  WEBHOOK_ATTEMPTS,
} from './deliver';

// The test receiver is on loopback: allowed through configuration (read at import), as an operator would.
vi.hoisted(() => {
  Object.assign(process.env, { WEBHOOK_ALLOWED_RANGES: '127.0.0.1/32', WEBHOOK_ALLOW_HTTP: 'true' });
});

// The queue itself is covered in server/jobs/core/queue.test.ts; here only what is queued, and when.
const queued = vi.hoisted(() => [] as { id: string; afterMs: number }[]);
vi.mock('@/server/jobs/core/queue', async (original) => ({
  ...(await original<typeof import('@/server/jobs/core/queue')>()),
  enqueueStep: async (_type: string, id: string, afterMs = 0) => {
    queued.push({ id, afterMs });
  },
}));

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}
const received: Received[] = [];
/** What the receiver answers next (then 204 once the list is empty). */
const answers: number[] = [];
let base = '';
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(answers.shift() ?? 204).end();
  });
});
const admin = { id: 'u-admin', email: 'ada@desk.test', role: 'admin' as const, method: 'password' as const };
const HASH = 'h'.repeat(43);

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await getDb();
});
afterEach(async () => {
  received.length = 0;
  answers.length = 0;
  queued.length = 0;
  const db = await getDb();
  await db.delete(webhookEndpoint);
  await db.delete(auditLog);
});
afterAll(async () => {
  server.close();
  await closeDb();
});

async function revokeToken(service = 'default') {
  await recordAudit({
    action: 'token.revoke',
    outcome: 'success',
    actor: admin,
    service,
    target: { tokenHash: HASH, clientId: '42', subject: 'alice' },
  });
}

/** One attempt, as the queue would make it once the retry delay has passed. */
async function attemptDelivery(id: string) {
  await (
    await getDb()
  )
    .update(webhookDelivery)
    .set({ nextAttemptAt: new Date(0) })
    .where(eq(webhookDelivery.id, id));
  return attemptNow(id);
}

async function deliveries() {
  return (await getDb()).select().from(webhookDelivery);
}

describe('webhooks', () => {
  it('refuses a private or loopback address at save time unless configuration allows it', async () => {
    await expect(
      createEndpoint({ service: 'default', url: 'http://10.0.0.5/hook', createdBy: admin.id }),
    ).rejects.toBeInstanceOf(WebhookError);
    await expect(
      createEndpoint({ service: 'default', url: 'http://169.254.169.254/latest', createdBy: admin.id }),
    ).rejects.toBeInstanceOf(WebhookError);
  });

  it('turns an audited revocation into one signed delivery per subscribed endpoint, verified by the library', async () => {
    const { id, secret } = await createEndpoint({ service: 'default', url: `${base}/hook`, createdBy: admin.id });
    await createEndpoint({
      service: 'default',
      url: `${base}/other`,
      eventTypes: ['client.locked'],
      createdBy: admin.id,
    });
    await createEndpoint({ service: 'elsewhere', url: `${base}/other`, createdBy: admin.id });
    await revokeToken();
    await recordAudit({ action: 'token.lookup', outcome: 'success', actor: admin, service: 'default', target: {} });
    await recordAudit({ action: 'token.revoke', outcome: 'failure', actor: admin, service: 'default', target: {} });

    const rows = await deliveries();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ endpointId: id, eventType: 'token.revoked', state: 'pending' });

    expect(await attemptDelivery(rows[0]!.id)).toBe('delivered');
    expect(received).toHaveLength(1);
    const payload = new Webhook(secret).verify(received[0]!.body, received[0]!.headers as Record<string, string>);
    expect(payload).toMatchObject({
      type: 'token.revoked',
      data: { service: 'default', subject: 'alice', clientId: '42', tokenHash: HASH, actor: admin.email },
    });
    expect(received[0]!.headers['webhook-id']).toBe(rows[0]!.id);
    expect(received[0]!.body).not.toContain('accessToken');
    const [delivered] = await deliveries();
    expect(delivered).toMatchObject({ state: 'delivered', attempts: 1, lastStatus: 204 });
  });

  it('retries a failing receiver with growing delays under the same webhook-id until it answers 2xx', async () => {
    await createEndpoint({ service: 'default', url: `${base}/hook`, createdBy: admin.id });
    await revokeToken();
    const [row] = await deliveries();
    queued.length = 0;
    answers.push(500, 503, 502);
    expect(await attemptDelivery(row!.id)).toBe('retry');
    expect(await attemptDelivery(row!.id)).toBe('retry');
    expect(await attemptDelivery(row!.id)).toBe('retry');
    expect(await attemptDelivery(row!.id)).toBe('delivered');
    expect(new Set(received.map((entry) => entry.headers['webhook-id']))).toEqual(new Set([row!.id]));
    expect(queued).toHaveLength(3);
    const attempts = await (await getDb()).select().from(webhookAttempt).where(eq(webhookAttempt.deliveryId, row!.id));
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 503, 502, 204]);
  });

  it('keeps a delivery to a receiver that is down, and delivers it once it is up (state in the database survives a restart)', async () => {
    const { id } = await createEndpoint({ service: 'default', url: `${base}/hook`, createdBy: admin.id });
    await revokeToken();
    const [row] = await deliveries();
    await (
      await getDb()
    )
      .update(webhookEndpoint)
      .set({ url: 'http://127.0.0.1:9/down' })
      .where(eq(webhookEndpoint.id, id));
    expect(await attemptDelivery(row!.id)).toBe('retry');
    const [afterDown] = await deliveries();
    expect(afterDown).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null });
    const [attempt] = await (await getDb()).select().from(webhookAttempt);
    expect(attempt!.error).toBeTruthy();

    // "Restart": nothing in memory; the sweep finds the pending delivery once it is due.
    queued.length = 0;
    expect(await queueDueDeliveries()).toBe(0);
    await (
      await getDb()
    )
      .update(webhookEndpoint)
      .set({ url: `${base}/hook` })
      .where(eq(webhookEndpoint.id, id));
    expect(await queueDueDeliveries(new Date(Date.now() + 3_600_000))).toBe(1);
    expect(queued.map((entry) => entry.id)).toEqual([row!.id]);
    expect(await attemptDelivery(row!.id)).toBe('delivered');
  });

  it('sends a delivery once when two workers pick it up together, and resumes one whose worker died mid-attempt', async () => {
    await createEndpoint({ service: 'default', url: `${base}/hook`, createdBy: admin.id });
    await revokeToken();
    const [row] = await deliveries();
    const outcomes = await Promise.all([attemptNow(row!.id), attemptNow(row!.id)]);
    expect(outcomes.sort()).toEqual(['delivered', 'skipped']);
    expect(received).toHaveLength(1);

    await revokeToken();
    const second = (await deliveries()).find((delivery) => delivery.state === 'pending')!;
    // A worker claimed it and its process stopped before answering: the lease holds it, then it is due again.
    await (
      await getDb()
    )
      .update(webhookDelivery)
      .set({ nextAttemptAt: new Date(Date.now() + 5 * 60_000) })
      .where(eq(webhookDelivery.id, second.id));
    expect(await queueDueDeliveries()).toBe(0);
    expect(await attemptNow(second.id)).toBe('skipped');
    expect(await queueDueDeliveries(new Date(Date.now() + 6 * 60_000))).toBe(1);
    expect(await attemptDelivery(second.id)).toBe('delivered');
    expect(received).toHaveLength(2);
  });

  it('gives up after the last attempt; a redelivery sends it again under the same webhook-id', async () => {
    await createEndpoint({ service: 'default', url: `${base}/hook`, createdBy: admin.id });
    await revokeToken();
    const [row] = await deliveries();
    answers.push(...Array<number>(WEBHOOK_ATTEMPTS).fill(500));
    for (let attempt = 1; attempt < WEBHOOK_ATTEMPTS; attempt += 1)
      expect(await attemptDelivery(row!.id)).toBe('retry');
    expect(await attemptDelivery(row!.id)).toBe('failed');
    expect(await attemptDelivery(row!.id)).toBe('skipped');
    expect(await queueDueDeliveries(new Date(Date.now() + 86_400_000))).toBe(0);

    await redeliver(row!.id);
    expect(await attemptDelivery(row!.id)).toBe('delivered');
    expect(received.at(-1)!.headers['webhook-id']).toBe(row!.id);
  });

  it('disables the endpoint when the receiver answers 410 Gone', async () => {
    const { id } = await createEndpoint({ service: 'default', url: `${base}/hook`, createdBy: admin.id });
    await revokeToken();
    const [row] = await deliveries();
    answers.push(410);
    expect(await attemptDelivery(row!.id)).toBe('failed');
    const [endpoint] = await (await getDb()).select().from(webhookEndpoint).where(eq(webhookEndpoint.id, id));
    expect(endpoint).toMatchObject({ enabled: false, disabledReason: 'gone' });
    await revokeToken();
    expect(await deliveries()).toHaveLength(1);
  });

  it('signs with the rotated secret after a rotation', async () => {
    const { id, secret } = await createEndpoint({ service: 'default', url: `${base}/hook`, createdBy: admin.id });
    const rotated = await rotateEndpointSecret('default', id);
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await expect(rotateEndpointSecret('elsewhere', id)).rejects.toMatchObject({ kind: 'not_found' });
    await revokeToken();
    const [row] = await deliveries();
    await attemptDelivery(row!.id);
    const headers = received[0]!.headers as Record<string, string>;
    expect(() => new Webhook(secret).verify(received[0]!.body, headers)).toThrow();
    expect(new Webhook(rotated!).verify(received[0]!.body, headers)).toMatchObject({ type: 'token.revoked' });
  });

  it('spreads ten attempts over more than eight hours with the default base delay', () => {
    const total = Array.from({ length: WEBHOOK_ATTEMPTS - 1 }, (_, index) =>
      retryDelayMs(index + 1, 60_000, () => 0.5),
    );
    expect(total.reduce((sum, delay) => sum + delay, 0)).toBeGreaterThan(8 * 3_600_000);
    expect(retryDelayMs(1, 60_000, () => 0)).toBe(45_000);
    expect(retryDelayMs(1, 60_000, () => 1)).toBe(75_000);
  });

  it("notifies job.finished whatever the job's outcome, with its kind, and never a failed change", async () => {
    const { id } = await createEndpoint({
      service: 'default',
      url: `${base}/hook`,
      eventTypes: ['job.finished', 'token.revoked'],
      createdBy: admin.id,
    });
    await recordAudit({
      action: 'subject.offboard_finish',
      outcome: 'failure',
      actor: admin,
      service: 'default',
      target: { subject: 'alice' },
      count: 3,
      details: { jobId: 'job-1' },
    });
    await recordAudit({
      action: 'token.revoke',
      outcome: 'failure',
      actor: admin,
      service: 'default',
      target: { tokenHash: HASH, clientId: '42', subject: 'alice' },
    });
    const rows = await deliveries();
    expect(rows.filter((row) => row.endpointId === id)).toMatchObject([
      {
        eventType: 'job.finished',
        data: { jobId: 'job-1', jobKind: 'offboarding', outcome: 'failure', subject: 'alice', count: 3 },
      },
    ]);
  });

  it('delivers what is due from the cron pass, where no worker runs, each delivery once', async () => {
    const { secret } = await createEndpoint({ service: 'default', url: `${base}/hook`, createdBy: admin.id });
    await revokeToken();
    await revokeToken();
    answers.push(503);
    const first = await deliverDueWebhooks(5_000);
    expect(first.attempts).toBe(2);
    expect(received).toHaveLength(2);
    // One failed and is due a minute later: not in this pass again, nor in the next before then.
    expect((await deliverDueWebhooks(1_000)).attempts).toBe(0);
    expect(received.every((one) => new Webhook(secret).verify(one.body, one.headers as Record<string, string>))).toBe(
      true,
    );
    expect((await deliveries()).map((row) => row.state).sort()).toEqual(['delivered', 'pending']);
  });
});
