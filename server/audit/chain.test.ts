import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, getDb } from '@/server/db';
import { auditChainHead, auditLog } from '@/server/db/schema';
import { chainHash, GENESIS_HASH, verifyAuditChain } from './chain';
import { recordAudit } from './index';

// Opening and migrating the database is the slow part on a busy machine: done once, under the hook timeout.
beforeAll(async () => {
  await getDb();
});
afterAll(closeDb);

beforeEach(async () => {
  const db = await getDb();
  await db.delete(auditLog);
  await db.delete(auditChainHead);
});

async function writeRecords(count: number) {
  for (let index = 0; index < count; index += 1) {
    await recordAudit({
      action: 'token.revoke',
      outcome: 'success',
      actor: { id: 'u-1', email: 'sam@desk.test', role: 'support', method: 'password' },
      target: { subject: `subject-${index}`, clientId: '42' },
      reason: `reason ${index}`,
      details: { route: 'POST /api/tokens/[hash]/revoke', nested: { index, list: [1, 'two'] } },
    });
  }
  const db = await getDb();
  return db.select().from(auditLog).orderBy(asc(auditLog.seq));
}

describe('the audit hash chain', () => {
  it('links every record to the one before it, in order, and verifies clean', async () => {
    const rows = await writeRecords(5);
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    for (let index = 1; index < rows.length; index += 1) expect(rows[index]!.prevHash).toBe(rows[index - 1]!.hash);
    for (const row of rows) expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
    const report = await verifyAuditChain(await getDb());
    expect(report).toMatchObject({ ok: true, records: 5, headSeq: 5, headHash: rows[4]!.hash, problemCount: 0 });
  });

  it('keeps one chain when many records are written at once', async () => {
    await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        recordAudit({ action: 'token.lookup', outcome: 'success', details: { index } }),
      ),
    );
    const report = await verifyAuditChain(await getDb());
    expect(report).toMatchObject({ ok: true, records: 40, headSeq: 40, problemCount: 0 });
  });

  it('finds a changed field and names the record', async () => {
    const rows = await writeRecords(5);
    const db = await getDb();
    await db.update(auditLog).set({ reason: 'nothing to see' }).where(eq(auditLog.id, rows[2]!.id));
    const report = await verifyAuditChain(db);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ kind: 'altered', seq: 3, id: String(rows[2]!.id) }]);
  });

  it('finds a change inside the details, whatever the key order', async () => {
    const rows = await writeRecords(3);
    const db = await getDb();
    await db.execute(
      sql`update audit_log set details = jsonb_set(details, '{nested,index}', '7') where id = ${rows[0]!.id}`,
    );
    expect((await verifyAuditChain(db)).problems).toEqual([{ kind: 'altered', seq: 1, id: String(rows[0]!.id) }]);
  });

  it('finds a record rewritten with a fresh hash at the link after it', async () => {
    const rows = await writeRecords(4);
    const db = await getDb();
    const forged = { ...rows[1]!, actorEmail: 'someone-else@desk.test' };
    await db
      .update(auditLog)
      .set({ actorEmail: forged.actorEmail, hash: chainHash(forged) })
      .where(eq(auditLog.id, rows[1]!.id));
    expect((await verifyAuditChain(db)).problems).toEqual([{ kind: 'broken_link', seq: 3, id: String(rows[2]!.id) }]);
  });

  it('finds a deleted record in the middle and at the end', async () => {
    const rows = await writeRecords(5);
    const db = await getDb();
    await db.delete(auditLog).where(eq(auditLog.id, rows[1]!.id));
    await db.delete(auditLog).where(eq(auditLog.id, rows[4]!.id));
    const report = await verifyAuditChain(db);
    expect(report.problems).toEqual([
      { kind: 'missing', seq: 2, id: null },
      { kind: 'missing', seq: 5, id: null },
    ]);
    expect(report.records).toBe(3);
  });

  it('finds a record slipped into the table around the app', async () => {
    await writeRecords(2);
    const db = await getDb();
    const [slipped] = await db.insert(auditLog).values({ action: 'token.create', outcome: 'success' }).returning();
    expect((await verifyAuditChain(db)).problems).toEqual([{ kind: 'unchained', seq: null, id: String(slipped!.id) }]);
  });

  it('chains the records written before the chain existed, in id order, at the first write', async () => {
    const db = await getDb();
    await db.insert(auditLog).values([
      { action: 'auth.sign_in', outcome: 'success', actorEmail: 'old@desk.test', details: { b: 1, a: 2 } },
      { action: 'auth.sign_out', outcome: 'success', actorEmail: 'old@desk.test' },
    ]);
    await recordAudit({ action: 'token.revoke', outcome: 'success' });
    const rows = await db.select().from(auditLog).orderBy(asc(auditLog.seq));
    expect(rows.map((row) => [row.seq, row.action])).toEqual([
      [1, 'auth.sign_in'],
      [2, 'auth.sign_out'],
      [3, 'token.revoke'],
    ]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, records: 3, headSeq: 3 });
  });

  it('reports an empty log as sound, with no head yet', async () => {
    expect(await verifyAuditChain(await getDb())).toMatchObject({
      ok: true,
      records: 0,
      headSeq: null,
      headHash: null,
    });
  });
});
