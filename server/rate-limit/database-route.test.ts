/**
 * The route wrapper with the counters in the app database (no REDIS_URL): a change is counted in
 * the same statement that reads the session (server/auth getActorForChange), atomically, per person.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AuditRecord } from '@/lib/schemas/audit';
import { useTestConfig } from '@/server/testing/config';
import { listAudit } from '@/server/audit';
import { getActor } from '@/server/auth';
import { closeDb, getDb } from '@/server/db';
import { rateLimitCounter } from '@/server/db/schema';
import { json, route } from '@/server/http/route';
import { getRateLimitStore, keyPrefixFor, type RequestKind } from '@/server/rate-limit';
import { defaultService, refreshServices } from '@/server/services';
import { sessionCookieFor } from '@/server/testing/session';

const LIMIT = 3;
const READ_LIMIT = 6;

beforeAll(async () => {
  useTestConfig({
    REDIS_URL: undefined,
    MUTATION_RATE_LIMIT_PER_MINUTE: String(LIMIT),
    READ_RATE_LIMIT_PER_MINUTE: String(READ_LIMIT),
  });
});
afterAll(async () => {
  await closeDb();
});

function routes() {
  return {
    change: route({
      path: '/api/test-change',
      permission: 'tokens:revoke',
      audit: 'token.revoke',
      handler: async () => json({ done: true }),
    }),
    adminChange: route({
      path: '/api/test-admin-change',
      permission: 'tokens:write',
      audit: 'token.delete',
      handler: async () => json({ done: true }),
    }),
    read: route({ path: '/api/test-read', permission: 'tokens:read', handler: async () => json({ read: true }) }),
  };
}

function send(
  handler: (request: Request) => Promise<Response>,
  cookie: string | null,
  options: { method?: string; site?: string } = {},
) {
  const headers: Record<string, string> = { 'sec-fetch-site': options.site ?? 'same-origin' };
  if (cookie) headers.cookie = cookie;
  return handler(new Request('http://desk.test/api/test', { method: options.method ?? 'POST', headers }));
}

/** The counter key of a person's changes (or reads) in the service these routes fall back to. */
async function keyOf(cookie: string, kind: RequestKind = 'change'): Promise<string> {
  const actor = await getActor(new Headers({ cookie }));
  await refreshServices();
  return `${keyPrefixFor(kind, defaultService().slug)}${actor!.id}`;
}

async function counterOf(cookie: string, kind: RequestKind = 'change'): Promise<number | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(rateLimitCounter)
    .where(eq(rateLimitCounter.key, await keyOf(cookie, kind)));
  return row?.count;
}

it('keeps the counters in the app database when REDIS_URL is not set', async () => {
  expect((await getRateLimitStore()).kind).toBe('database');
});

it(`answers 429 with Retry-After after ${LIMIT} changes a minute per person, audits it, and counts no read`, async () => {
  const { change, read } = routes();
  const cookie = await sessionCookieFor('support');
  for (let i = 0; i < LIMIT; i++) {
    expect((await send(change, cookie)).status).toBe(200);
    expect((await send(read, cookie, { method: 'GET' })).status).toBe(200);
  }
  expect(await counterOf(cookie)).toBe(LIMIT);

  const refused = await send(change, cookie);
  expect(refused.status).toBe(429);
  const retryAfter = Number(refused.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = (await refused.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error).toMatchObject({ code: 'rate_limited', requestId: refused.headers.get('x-request-id') });
  expect(body.error.message).toBe(
    `You have made ${LIMIT} changes in the last minute, the most allowed; try again in ${retryAfter} seconds.`,
  );
  const { entries } = await listAudit({ page: 1, pageSize: 5 } as never);
  expect(entries[0] as AuditRecord).toMatchObject({
    action: 'token.revoke',
    outcome: 'failure',
    errorCode: 'rate_limited',
    requestId: body.error.requestId,
  });

  // Reads go on; the person's other sessions share the limit; another person has their own.
  expect((await send(read, cookie, { method: 'GET' })).status).toBe(200);
  const otherPerson = await sessionCookieFor('support');
  expect((await send(change, otherPerson)).status).toBe(200);
  expect(await counterOf(otherPerson)).toBe(1);
});

it('counts a refused attempt by a signed-in person, but not a cross-site one or a signed-out one', async () => {
  const { change, adminChange } = routes();
  const cookie = await sessionCookieFor('support');
  // Forged from another site: refused before anything is counted against the person.
  for (let i = 0; i < LIMIT + 1; i++) expect((await send(change, cookie, { site: 'cross-site' })).status).toBe(403);
  expect(await counterOf(cookie)).toBeUndefined();
  expect((await send(change, null)).status).toBe(401);

  // Support may not delete: the attempt is theirs, so it counts.
  expect((await send(adminChange, cookie)).status).toBe(403);
  expect(await counterOf(cookie)).toBe(1);
  for (let i = 1; i < LIMIT; i++) expect((await send(change, cookie)).status).toBe(200);
  expect((await send(change, cookie)).status).toBe(429);
});

it('lets exactly the limit through when one person sends many changes at once', async () => {
  const { change } = routes();
  const cookie = await sessionCookieFor('support');
  const statuses = await Promise.all(
    Array.from({ length: 20 }, () => send(change, cookie).then((response) => response.status)),
  );
  expect(statuses.filter((status) => status === 200)).toHaveLength(LIMIT);
  expect(statuses.filter((status) => status === 429)).toHaveLength(20 - LIMIT);
  expect(await counterOf(cookie)).toBe(20);
});

it('starts a new window once the last one has ended', async () => {
  const { change } = routes();
  const cookie = await sessionCookieFor('support');
  for (let i = 0; i < LIMIT; i++) expect((await send(change, cookie)).status).toBe(200);
  expect((await send(change, cookie)).status).toBe(429);
  // End the window in the database, as a minute passing would.
  const db = await getDb();
  await db
    .update(rateLimitCounter)
    .set({ resetAt: Date.now() - 1 })
    .where(eq(rateLimitCounter.key, await keyOf(cookie)));
  expect((await send(change, cookie)).status).toBe(200);
  expect(await counterOf(cookie)).toBe(1);
});

it(`answers 429 after ${READ_LIMIT} reads a minute per person, counted with the session read, logged but not audited`, async () => {
  const { change, read } = routes();
  const cookie = await sessionCookieFor('viewer');
  for (let i = 0; i < READ_LIMIT; i++) expect((await send(read, cookie, { method: 'GET' })).status).toBe(200);
  expect(await counterOf(cookie, 'read')).toBe(READ_LIMIT);
  const before = (await listAudit({ page: 1, pageSize: 1 } as never)).totalCount;
  const refused = await send(read, cookie, { method: 'GET' });
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  const body = (await refused.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('rate_limited');
  expect(body.error.message).toMatch(new RegExp(`^You have made ${READ_LIMIT} requests in the last minute`));
  expect((await listAudit({ page: 1, pageSize: 1 } as never)).totalCount).toBe(before);
  // Changes have their own limit; another person reads on.
  expect(await counterOf(cookie)).toBeUndefined();
  expect((await send(read, await sessionCookieFor('viewer'), { method: 'GET' })).status).toBe(200);
  expect((await send(change, await sessionCookieFor('support'))).status).toBe(200);
});

it('audits no signed-out request (it is logged instead), but every signed-in denial', async () => {
  const { change, read, adminChange } = routes();
  const viewer = await sessionCookieFor('viewer');
  const before = (await listAudit({ page: 1, pageSize: 1 } as never)).totalCount;
  for (let i = 0; i < 5; i++) {
    expect((await send(read, null, { method: 'GET' })).status).toBe(401);
    expect((await send(change, null)).status).toBe(401);
  }
  expect((await listAudit({ page: 1, pageSize: 1 } as never)).totalCount).toBe(before);
  expect((await send(adminChange, viewer)).status).toBe(403);
  const { entries, totalCount } = await listAudit({ page: 1, pageSize: 1 } as never);
  expect(totalCount).toBe(before + 1);
  expect(entries[0] as AuditRecord).toMatchObject({
    action: 'auth.denied',
    errorCode: 'forbidden',
    actor: { role: 'viewer' },
  });
});
