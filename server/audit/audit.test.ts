import { inArray, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { auditListQuerySchema } from '@/lib/schemas/audit';
import { config } from '@/server/config';
import { serviceSecrets } from '@/server/config/services';
import { closeDb, getDb } from '@/server/db';
import { auditLog } from '@/server/db/schema';
import { AuditGuardError, AuditWriteError, auditRequestContext, listAudit, recordAudit } from './index';
import { PEER_ADDRESS_HEADER } from '@/server/core/peer-address';

const HASH = 'h'.repeat(43);
const admin = { id: 'u-admin', email: 'Ada@Desk.test', role: 'admin' as const, method: 'password' as const };
const support = { id: 'u-support', email: 'sam@desk.test', role: 'support' as const, method: 'oidc' as const };

// Opening and migrating the database is the slow part on a busy machine: done once, under the hook timeout.
beforeAll(async () => {
  await getDb();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await (await getDb()).delete(auditLog);
});
afterAll(closeDb);

describe('recordAudit', () => {
  it('stores every field of an update, with before/after and the request context', async () => {
    const request = auditRequestContext(
      new Headers({ [PEER_ADDRESS_HEADER]: '203.0.113.9', 'user-agent': 'Firefox', 'x-request-id': 'req-1' }),
    );
    await recordAudit({
      action: 'token.update',
      outcome: 'success',
      actor: admin,
      request,
      target: { tokenHash: HASH, clientId: '9223372036854775807', subject: 'alice' },
      upstream: { status: 200, resultCode: 'A135001' },
      reason: 'customer asked',
      before: { scopes: ['openid'] },
      after: { scopes: ['openid', 'email'], accessToken: 'must-not-be-kept' },
    });
    const { entries, totalCount } = await listAudit(auditListQuerySchema.parse({}));
    expect(totalCount).toBe(1);
    expect(entries[0]).toMatchObject({
      action: 'token.update',
      outcome: 'success',
      actor: { id: 'u-admin', email: 'ada@desk.test', role: 'admin', method: 'password' },
      ip: '203.0.113.9',
      userAgent: 'Firefox',
      requestId: 'req-1',
      target: { tokenHash: HASH, clientId: '9223372036854775807', subject: 'alice', batchRequestId: null },
      upstream: { status: 200, resultCode: 'A135001' },
      reason: 'customer asked',
      details: { before: { scopes: ['openid'] }, after: { scopes: ['openid', 'email'], accessToken: '[redacted]' } },
    });
    expect(entries[0]?.occurredAt).toBeGreaterThan(Date.now() - 60_000);
  });

  it('stores an entry whose text carries the Authlete bearer with the bearer cut out', async () => {
    await recordAudit({
      action: 'token.revoke',
      outcome: 'failure',
      actor: admin,
      reason: `oops ${serviceSecrets(config.authlete.services)[0]}`,
    });
    const [entry] = (await listAudit(auditListQuerySchema.parse({}))).entries;
    expect(entry?.reason).toBe('oops [redacted]');
  });

  it('refuses a token value where a token hash belongs, logs it loudly and stores nothing', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(
      recordAudit({
        action: 'token.revoke',
        outcome: 'success',
        actor: admin,
        target: { tokenHash: 'a-raw-token-value' },
      }),
    ).rejects.toBeInstanceOf(AuditGuardError);
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]?.[0])).toContain('AUDIT WRITE FAILED');
    expect(String(logged.mock.calls[0]?.[0])).not.toContain('a-raw-token-value');
    expect((await listAudit(auditListQuerySchema.parse({}))).totalCount).toBe(0);
  });

  it('refuses a raw token value as the target', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await expect(
      recordAudit({
        action: 'token.delete',
        outcome: 'success',
        actor: admin,
        target: { tokenHash: 'raw-token-value' },
      }),
    ).rejects.toThrow(/never a token value/);
  });

  it('surfaces a database failure to the caller as AuditWriteError', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const db = await getDb();
    // A real failure of the database, met by the already-prepared insert: a constraint this row breaks.
    await recordAudit({ action: 'token.revoke', outcome: 'success', actor: support, count: 1 });
    await db.execute(
      sql`alter table audit_log add constraint audit_test_refuses check (action <> 'token.revoke_all') not valid`,
    );
    try {
      await expect(
        recordAudit({ action: 'token.revoke_all', outcome: 'success', actor: support, count: 3 }),
      ).rejects.toBeInstanceOf(AuditWriteError);
    } finally {
      await db.execute(sql`alter table audit_log drop constraint audit_test_refuses`);
    }
    expect(String(logged.mock.calls[0]?.[0])).toMatch(/AUDIT WRITE FAILED.*Failed query: insert into/);
  });
});

describe('recordAudit under concurrency', () => {
  it('stores every one of many records written at once, each resolving only when stored', async () => {
    const db = await getDb();
    const requestIds = Array.from({ length: 60 }, () => crypto.randomUUID());
    await Promise.all(
      requestIds.map((requestId, index) =>
        recordAudit({
          action: 'token.revoke',
          outcome: index % 2 ? 'success' : 'failure',
          actor: support,
          request: { ip: '10.0.0.1', userAgent: null, requestId },
          upstream: { status: index % 2 ? 200 : 503, resultCode: null },
          count: index,
          reason: `reason ${index}`,
          details: { route: 'POST /api/tokens/[hash]/revoke', index, nested: { quote: 'a "quoted", {braced} value' } },
        }),
      ),
    );
    const stored = await db.select().from(auditLog).where(inArray(auditLog.requestId, requestIds));
    expect(stored).toHaveLength(requestIds.length);
    for (const row of stored) {
      const index = requestIds.indexOf(row.requestId!);
      expect(row).toMatchObject({
        action: 'token.revoke',
        outcome: index % 2 ? 'success' : 'failure',
        actorEmail: 'sam@desk.test',
        ip: '10.0.0.1',
        userAgent: null,
        upstreamStatus: index % 2 ? 200 : 503,
        count: index,
        reason: `reason ${index}`,
        details: { route: 'POST /api/tokens/[hash]/revoke', index, nested: { quote: 'a "quoted", {braced} value' } },
      });
    }
  });

  it('fails only the record the database refuses, not the ones written beside it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const db = await getDb();
    await db.execute(
      sql`alter table audit_log add constraint audit_test_refuses_batch check (action <> 'token.revoke_all') not valid`,
    );
    const entries = Array.from({ length: 30 }, (_, index) => ({
      action: index === 17 ? ('token.revoke_all' as const) : ('token.revoke' as const),
      requestId: crypto.randomUUID(),
    }));
    let results: PromiseSettledResult<void>[];
    try {
      results = await Promise.allSettled(
        entries.map(({ action, requestId }) =>
          recordAudit({
            action,
            outcome: 'success',
            actor: support,
            request: { ip: null, userAgent: null, requestId },
            count: 1,
          }),
        ),
      );
    } finally {
      await db.execute(sql`alter table audit_log drop constraint audit_test_refuses_batch`);
    }
    expect(results.map((result) => result.status)).toEqual(
      entries.map((_, index) => (index === 17 ? 'rejected' : 'fulfilled')),
    );
    expect((results[17] as PromiseRejectedResult).reason).toBeInstanceOf(AuditWriteError);
    const stored = await db
      .select({ requestId: auditLog.requestId })
      .from(auditLog)
      .where(
        inArray(
          auditLog.requestId,
          entries.map((entry) => entry.requestId),
        ),
      );
    expect(stored).toHaveLength(29);
  });
});

describe('listAudit', () => {
  async function seed() {
    const db = await getDb();
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    await db.insert(auditLog).values([
      {
        occurredAt: at(50),
        action: 'auth.sign_in',
        outcome: 'success',
        actorId: 'u-admin',
        actorEmail: 'ada@desk.test',
      },
      {
        occurredAt: at(40),
        action: 'token.revoke',
        outcome: 'success',
        actorId: 'u-support',
        actorEmail: 'sam@desk.test',
        subject: 'alice',
        count: 1,
      },
      {
        occurredAt: at(30),
        action: 'token.revoke_all',
        outcome: 'success',
        actorId: 'u-support',
        actorEmail: 'sam@desk.test',
        subject: 'bob',
        count: 4,
      },
      {
        occurredAt: at(20),
        action: 'auth.denied',
        outcome: 'failure',
        actorId: 'u-viewer',
        actorEmail: 'vic@desk.test',
        errorCode: 'forbidden',
      },
      {
        occurredAt: at(10),
        action: 'token.create',
        outcome: 'success',
        actorId: 'u-admin',
        actorEmail: 'ada@desk.test',
        subject: 'alice',
      },
    ]);
    return at;
  }

  it('filters by actor email (any case) or id, action, outcome and subject, newest first', async () => {
    await seed();
    const list = async (filters: Record<string, string>) =>
      (await listAudit(auditListQuerySchema.parse(filters))).entries.map((entry) => entry.action);
    expect(await list({ actor: 'SAM@desk.test' })).toEqual(['token.revoke_all', 'token.revoke']);
    expect(await list({ actor: 'u-admin' })).toEqual(['token.create', 'auth.sign_in']);
    expect(await list({ action: 'auth.denied' })).toEqual(['auth.denied']);
    expect(await list({ outcome: 'failure' })).toEqual(['auth.denied']);
    expect(await list({ subject: 'alice' })).toEqual(['token.create', 'token.revoke']);
    expect(await list({ subject: 'alice', actor: 'sam@desk.test' })).toEqual(['token.revoke']);
  });

  it('filters by time range, from inclusive and to exclusive', async () => {
    const at = await seed();
    const result = await listAudit(
      auditListQuerySchema.parse({ from: String(at(45).getTime()), to: String(at(15).getTime()) }),
    );
    expect(result.entries.map((entry) => entry.action)).toEqual(['auth.denied', 'token.revoke_all', 'token.revoke']);
  });

  it('paginates with a total count', async () => {
    const db = await getDb();
    await db.insert(auditLog).values(
      Array.from({ length: 45 }, (_, index) => ({
        occurredAt: new Date(Date.now() - index * 1000),
        action: 'token.revoke',
        outcome: 'success',
        subject: `user-${index}`,
      })),
    );
    const second = await listAudit(auditListQuerySchema.parse({ page: '2', pageSize: '20' }));
    expect(second.totalCount).toBe(45);
    expect(second.entries.map((entry) => entry.target.subject)).toEqual(
      Array.from({ length: 20 }, (_, index) => `user-${index + 20}`),
    );
    const third = await listAudit(auditListQuerySchema.parse({ page: '3', pageSize: '20' }));
    expect(third.entries).toHaveLength(5);
  });

  it('rejects bad filters in the query schema', () => {
    expect(auditListQuerySchema.safeParse({ action: 'token.steal' }).success).toBe(false);
    expect(auditListQuerySchema.safeParse({ pageSize: '7' }).success).toBe(false);
    expect(auditListQuerySchema.safeParse({ from: '2000', to: '1000' }).success).toBe(false);
    expect(auditListQuerySchema.safeParse({ from: 'yesterday' }).success).toBe(false);
  });
});
