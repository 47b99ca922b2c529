/**
 * `npm run bench -- webhooks [--events 10000] [--fail 0.2]` (needs `next build` first). Webhook
 * fan-out: `events` events go to one endpoint whose receiver (in this process, on loopback) fails
 * the first attempt of a `fail` share of them with a 503. Side by side in the same run:
 * - a bare sender: this process signs the same envelopes with the `standardwebhooks` package and
 *   POSTs them at the dashboard's delivery concurrency, retrying a failure at once;
 * - the dashboard: events queued through its API (the endpoint's test event: the same outbox row,
 *   queue step, SSRF-guarded connection and signature as any other event), delivered by its
 *   workers with their retry schedule (WEBHOOK_RETRY_BASE_MS is 1 s here, not a minute).
 * Reports each path's time, the ratio, and checks that the receiver got every event, each with a
 * valid signature, and that the dashboard shows none pending or failed.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pMap from 'p-map';
import { Webhook } from 'standardwebhooks';
import type { WebhookEndpoint } from '../../lib/schemas/webhook';
import { freePort } from '../../server/testing/free-port';
import { runStack } from '../run-stack';
import { waitForUrl } from './bare-next';
import { signIn } from './export';

/** Deliveries the dashboard attempts at once per process (server/jobs/webhooks/deliver.ts). */
const DELIVERY_CONCURRENCY = 8;
/** Test events queued through the API at once. */
const QUEUE_CONCURRENCY = 8;
const SERVICE_SLUG = 'production';

/** Whether the receiver fails this event's first attempt: a stable share of ids, the same on both paths. */
function failsFirst(id: string, share: number): boolean {
  return createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32 < share;
}

interface Receiver {
  url: string;
  /** Events answered 2xx, with their signatures checked. */
  delivered: Set<string>;
  attempts: number;
  badSignatures: number;
  setSecret(secret: string): void;
  reset(): void;
  close(): Promise<void>;
}

async function startReceiver(share: number): Promise<Receiver> {
  const seen = new Set<string>();
  const delivered = new Set<string>();
  let verifier: Webhook | null = null;
  const receiver: Receiver = {
    url: '',
    delivered,
    attempts: 0,
    badSignatures: 0,
    setSecret: (secret) => (verifier = new Webhook(secret)),
    reset: () => {
      seen.clear();
      delivered.clear();
      receiver.attempts = 0;
      receiver.badSignatures = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      receiver.attempts += 1;
      const id = String(req.headers['webhook-id']);
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        verifier?.verify(body, req.headers as Record<string, string>);
      } catch {
        receiver.badSignatures += 1;
      }
      const first = !seen.has(id);
      seen.add(id);
      if (first && failsFirst(id, share)) return void res.writeHead(503).end();
      delivered.add(id);
      res.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

/** The bare sender: sign and POST each event, retrying a failure at once, `DELIVERY_CONCURRENCY` at a time. */
async function bareSender(receiver: Receiver, secret: string, events: number): Promise<number> {
  const signer = new Webhook(secret);
  const started = performance.now();
  await pMap(
    Array.from({ length: events }, (_, i) => `msg_bare_${i}`),
    async (id) => {
      for (;;) {
        const now = new Date();
        const body = JSON.stringify({ type: 'webhook.test', timestamp: now.toISOString(), data: { service: 'bench' } });
        const response = await fetch(receiver.url, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': signer.sign(id, now, body),
          },
        });
        await response.arrayBuffer();
        if (response.ok) return;
      }
    },
    { concurrency: DELIVERY_CONCURRENCY },
  );
  return (performance.now() - started) / 1000;
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { events: { type: 'string', default: '10000' }, fail: { type: 'string', default: '0.2' } },
  });
  const events = Math.max(Number(values.events), 100);
  const share = Math.min(Math.max(Number(values.fail), 0), 0.9);
  const receiver = await startReceiver(share);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'token-desk-webhooks-bench-'));
  const stack = await runStack({
    appPort: await freePort(),
    emulatorPort: await freePort(),
    dataDir,
    env: {
      WEBHOOK_ALLOWED_RANGES: '127.0.0.1/32',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_RETRY_BASE_MS: '1000',
      MUTATION_RATE_LIMIT_PER_MINUTE: '100000',
      READ_RATE_LIMIT_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
    },
  });
  try {
    await waitForUrl(`${stack.appUrl}/api/health`);
    const cookie = await signIn(stack.appUrl);
    const headers = { cookie, origin: stack.appUrl, 'content-type': 'application/json' };
    const base = `${stack.appUrl}/api/s/${SERVICE_SLUG}/webhooks`;
    const created = await fetch(base, {
      method: 'POST',
      headers,
      body: JSON.stringify({ url: receiver.url, description: 'bench' }),
    });
    if (created.status !== 201) throw new Error(`endpoint: ${created.status} ${await created.text()}`);
    const { id, secret } = (await created.json()) as { id: string; secret: string };
    receiver.setSecret(secret);

    console.log(`${events.toLocaleString('en-US')} events, ${Math.round(share * 100)} % of first attempts fail`);
    const bareSeconds = await bareSender(receiver, secret, events);
    const bareAttempts = receiver.attempts;
    const bareOk = receiver.delivered.size === events && receiver.badSignatures === 0;
    receiver.reset();

    const started = performance.now();
    await pMap(
      Array.from({ length: events }),
      async () => {
        const response = await fetch(`${base}/${id}/test`, { method: 'POST', headers });
        if (response.status !== 202) throw new Error(`test event: ${response.status} ${await response.text()}`);
      },
      { concurrency: QUEUE_CONCURRENCY },
    );
    const queuedSeconds = (performance.now() - started) / 1000;
    let last = 0;
    while (receiver.delivered.size < events) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      if (receiver.delivered.size - last >= events / 10 || receiver.delivered.size === events) {
        last = receiver.delivered.size;
        process.stderr.write(`  ${last.toLocaleString('en-US')} / ${events.toLocaleString('en-US')} delivered\n`);
      }
      if (performance.now() - started > 30 * 60_000) throw new Error('not all delivered within 30 minutes');
    }
    const deskSeconds = (performance.now() - started) / 1000;
    // The last attempts' outcomes are recorded just after the receiver answered.
    let endpoint: WebhookEndpoint | undefined;
    for (let tries = 0; tries < 40; tries++) {
      const listed = (await (await fetch(base, { headers: { cookie } })).json()) as { endpoints: WebhookEndpoint[] };
      endpoint = listed.endpoints.find((one) => one.id === id);
      if (endpoint?.pending === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    console.log(`  bare sender: ${bareSeconds.toFixed(1)} s, ${bareAttempts.toLocaleString('en-US')} attempts`);
    console.log(
      `  Token Desk (queue through the API, ${queuedSeconds.toFixed(1)} s of it; deliver with retries): ${deskSeconds.toFixed(1)} s, ${receiver.attempts.toLocaleString('en-US')} attempts`,
    );
    console.log(
      `  delivered ${(deskSeconds - queuedSeconds).toFixed(1)} s after the last event was queued; Token Desk ÷ bare sender time: ${(deskSeconds / bareSeconds).toFixed(2)}×`,
    );
    const deskOk =
      receiver.delivered.size === events &&
      receiver.badSignatures === 0 &&
      endpoint?.pending === 0 &&
      endpoint.failed === 0;
    console.log(
      `  all delivered, every signature valid, none pending or failed: bare ${bareOk ? 'yes' : 'NO'}, Token Desk ${deskOk ? 'yes' : 'NO'}`,
    );
    if (!bareOk || !deskOk) process.exitCode = 1;
  } finally {
    await stack.stop();
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
