/**
 * Rate limits on changes: the two shared counter stores (the app database, and Redis for
 * REDIS_URL) against real servers, and the route wrapper answering 429 with Retry-After.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from '@/lib/schemas/audit';
import { freePort } from '@/server/testing/free-port';
import { useTestConfig } from '@/server/testing/config';
import { listAudit } from '@/server/audit';
import { closeDb, getDb } from '@/server/db';
import { rateLimitCounter } from '@/server/db/schema';
import { json, route } from '@/server/http/route';
import { consume, databaseStore, getRateLimitStore, redisStore } from '@/server/rate-limit';
import { sessionCookieFor } from '@/server/testing/session';

const LIMIT = 3;
let redisServer: ChildProcess | undefined;
let redisUrl: string;
let redis: Redis;

beforeAll(async () => {
  redisUrl = process.env.TEST_REDIS_URL ?? (await startRedis());
  redis = new Redis(redisUrl);
  await redis.ping();
  // The wrapper counts in this Redis.
  useTestConfig({ REDIS_URL: redisUrl, MUTATION_RATE_LIMIT_PER_MINUTE: String(LIMIT), APP_URL: 'http://desk.test' });
});
afterAll(async () => {
  await redis?.quit().catch(() => {});
  redisServer?.kill('SIGTERM');
  await closeDb();
});

/** A real, throw-away Redis on loopback: Debian's redis-server (scripts/ensure-deps.sh installs it). */
async function startRedis(): Promise<string> {
  const port = await freePort();
  redisServer = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  await new Promise<void>((resolve, reject) => {
    redisServer!.once('error', (error) =>
      reject(new Error(`redis-server could not start (${error.message}); install it or set TEST_REDIS_URL.`)),
    );
    redisServer!.once('spawn', () => resolve());
  });
  await untilListening(port);
  return `redis://127.0.0.1:${port}`;
}

async function untilListening(port: number): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(() => resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

describe('database counter store', () => {
  it('counts hits per key in a fixed window and starts a new window once it has ended', async () => {
    const store = databaseStore(await getDb());
    const key = `test:${crypto.randomUUID()}`;
    const t0 = 1_800_000_000_000;
    expect(await store.hit(key, 60_000, t0)).toEqual({ count: 1, resetAt: t0 + 60_000 });
    expect(await store.hit(key, 60_000, t0 + 59_999)).toEqual({ count: 2, resetAt: t0 + 60_000 });
    expect(await store.hit(`${key}:other`, 60_000, t0 + 1)).toEqual({ count: 1, resetAt: t0 + 60_001 });
    expect(await store.hit(key, 60_000, t0 + 60_000)).toEqual({ count: 1, resetAt: t0 + 120_000 });
  });

  it('loses no hit when many arrive at once', async () => {
    const store = databaseStore(await getDb());
    const key = `test:${crypto.randomUUID()}`;
    const counts = await Promise.all(Array.from({ length: 40 }, () => store.hit(key, 60_000)));
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('sweeps counters whose window ended long ago', async () => {
    const db = await getDb();
    const { eq } = await import('drizzle-orm');
    const store = databaseStore(db, 2);
    const stale = `test:${crypto.randomUUID()}`;
    await store.hit(stale, 1_000, 1_000);
    await store.hit(`test:${crypto.randomUUID()}`, 60_000);
    expect(await db.select().from(rateLimitCounter).where(eq(rateLimitCounter.key, stale))).toEqual([]);
  });

  it('decides allowed, remaining and Retry-After from the count', async () => {
    const store = databaseStore(await getDb());
    const key = `test:${crypto.randomUUID()}`;
    const rule = { limit: 2, windowMs: 60_000 };
    const t0 = 1_800_000_000_000;
    expect(await consume(store, key, rule, t0)).toEqual({
      allowed: true,
      limit: 2,
      remaining: 1,
      retryAfterSeconds: 0,
    });
    expect(await consume(store, key, rule, t0 + 1)).toEqual({
      allowed: true,
      limit: 2,
      remaining: 0,
      retryAfterSeconds: 0,
    });
    expect(await consume(store, key, rule, t0 + 30_500)).toEqual({
      allowed: false,
      limit: 2,
      remaining: 0,
      retryAfterSeconds: 30,
    });
  });
});

describe('Redis counter store (REDIS_URL)', () => {
  it('counts hits per key and expires the key with its window', async () => {
    const store = redisStore(redis, `test:${crypto.randomUUID()}:`);
    const now = Date.now();
    const first = await store.hit('actor-1', 60_000, now);
    expect(first.count).toBe(1);
    expect(first.resetAt).toBeGreaterThan(now + 59_000);
    expect(first.resetAt).toBeLessThanOrEqual(now + 60_000);
    expect((await store.hit('actor-1', 60_000, now)).count).toBe(2);
    expect((await store.hit('actor-2', 60_000, now)).count).toBe(1);

    expect((await store.hit('short', 50, Date.now())).count).toBe(1);
    // The window's key expires with it, so a later hit opens a new window.
    for (let attempt = 0; attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if ((await store.hit('short', 50, Date.now())).count === 1) return;
    }
    throw new Error('the Redis window never ended');
  });

  it('loses no hit when many arrive at once', async () => {
    const store = redisStore(redis, `test:${crypto.randomUUID()}:`);
    const counts = await Promise.all(Array.from({ length: 40 }, () => store.hit('busy', 60_000)));
    expect(counts.map((c) => c.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });
});

describe('route wrapper', () => {
  it('counts in Redis when REDIS_URL is set', async () => {
    expect((await getRateLimitStore()).kind).toBe('redis');
  });

  it(`answers 429 with Retry-After after ${LIMIT} changes a minute per person, audits it, and leaves reads and other people alone`, async () => {
    const change = route({
      path: '/api/test-change',
      permission: 'tokens:revoke',
      audit: 'token.revoke',
      handler: async () => json({ done: true }),
    });
    const read = route({
      path: '/api/test-read',
      permission: 'tokens:read',
      handler: async () => json({ read: true }),
    });
    const [first, second] = [await sessionCookieFor('support'), await sessionCookieFor('support')];
    const send = (handler: typeof change, cookie: string, method = 'POST') =>
      handler(
        new Request('http://desk.test/api/test', {
          method,
          headers: { cookie, 'sec-fetch-site': 'same-origin', 'x-request-id': `rl-test-${crypto.randomUUID()}` },
        }),
      );

    for (let i = 0; i < LIMIT; i++) expect((await send(change, first)).status).toBe(200);
    const refused = await send(change, first);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await refused.json()) as { error: { code: string; message: string; requestId: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/try again in \d+ seconds/);
    expect(body.error.requestId).toBe(refused.headers.get('x-request-id'));

    // The refused attempt is in the audit log like any failed change.
    const { entries } = await listAudit({ page: 1, pageSize: 5 } as never);
    const latest = entries[0] as AuditRecord;
    expect(latest).toMatchObject({
      action: 'token.revoke',
      outcome: 'failure',
      errorCode: 'rate_limited',
      requestId: body.error.requestId,
    });

    expect((await send(read, first, 'GET')).status).toBe(200);
    expect((await send(change, second)).status).toBe(200);
  });

  it('lets changes through, and logs it, when Redis does not answer in time', async () => {
    const change = route({
      path: '/api/test-outage',
      permission: 'tokens:revoke',
      audit: 'token.revoke',
      handler: async () => json({ done: true }),
    });
    const cookie = await sessionCookieFor('support');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    // Redis holds every write for a while, longer than the app waits for a counter.
    await redis.call('CLIENT', 'PAUSE', '3000', 'WRITE');
    let logged: string[] = [];
    try {
      for (let i = 0; i < LIMIT + 1; i++) {
        const response = await change(
          new Request('http://desk.test/api/test', {
            method: 'POST',
            headers: { cookie, 'sec-fetch-site': 'same-origin' },
          }),
        );
        expect(response.status).toBe(200);
      }
      logged = errors.mock.calls.map((call) => String(call[0]));
    } finally {
      await redis.call('CLIENT', 'UNPAUSE');
      errors.mockRestore();
    }
    expect(logged.filter((line) => line.includes('rate-limit store unavailable'))).toHaveLength(LIMIT + 1);
  });
});
