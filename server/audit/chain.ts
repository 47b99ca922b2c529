import 'server-only';
import { createHash } from 'node:crypto';
import { asc, count, eq, gt, isNull, sql } from 'drizzle-orm';
import stableStringify from 'fast-json-stable-stringify';
import type { AuditChainProblemKind, AuditChainReport } from '@/lib/schemas/audit';
import type { Database } from '@/server/db';
import { auditChainHead, auditLog } from '@/server/db/schema';

/**
 * The audit log's hash chain. Every record gets the next place in commit order (`seq`), the hash of
 * the record before it (`prevHash`, 64 zeros for the first) and its own hash: SHA-256 over
 * `prevHash`, a newline and the canonical JSON (sorted keys) of its place and every stored field.
 * Changing any field, deleting or re-ordering records, or adding one straight into the table breaks
 * the chain at that place, and `verifyAuditChain` names it.
 *
 * Places are handed out under a transaction-scoped advisory lock, in the transaction that writes the
 * record, so two instances writing at once still make one unbroken chain, and a write that fails
 * rolls its place back with it.
 */

export const GENESIS_HASH = '0'.repeat(64);
const CHAIN = 'audit';
/** Arbitrary constant: the advisory lock key that serialises audit chain writes across instances. */
const CHAIN_LOCK_KEY = 7_294_301_517;
const VERIFY_PAGE = 1_000;
const MAX_PROBLEMS = 20;

type AuditRowValues = typeof auditLog.$inferSelect;
/** Every stored field the hash covers (everything but the id, which the database hands out, and the hash itself). */
type Chained = Omit<AuditRowValues, 'id' | 'hash'>;

/** The text a record's hash is taken over. Stable across versions: a change here breaks every old chain. */
function canonical(record: Chained): string {
  return stableStringify({
    v: 1,
    seq: record.seq,
    occurredAt: record.occurredAt.getTime(),
    action: record.action,
    outcome: record.outcome,
    actorId: record.actorId,
    actorEmail: record.actorEmail,
    actorRole: record.actorRole,
    actorMethod: record.actorMethod,
    ip: record.ip,
    userAgent: record.userAgent,
    requestId: record.requestId,
    service: record.service,
    tokenHash: record.tokenHash,
    clientId: record.clientId,
    subject: record.subject,
    batchRequestId: record.batchRequestId,
    upstreamStatus: record.upstreamStatus,
    resultCode: record.resultCode,
    errorCode: record.errorCode,
    count: record.count,
    reason: record.reason,
    details: record.details,
  });
}

export function chainHash(record: Chained): string {
  return createHash('sha256')
    .update(`${record.prevHash ?? ''}\n${canonical(record)}`)
    .digest('hex');
}

export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
type NewRecord = Omit<typeof auditLog.$inferInsert, 'id' | 'occurredAt' | 'seq' | 'prevHash' | 'hash'>;

/**
 * Writes one record as the next link of the chain. Resolves once it is committed. `alongside` runs
 * in the same transaction with the new record's id (the webhook outbox), so both or neither are kept.
 */
export async function insertChained(
  db: Database,
  values: NewRecord,
  alongside?: (tx: Transaction, auditId: number) => Promise<void>,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`);
    const head = (await readHead(tx)) ?? (await chainEarlierRecords(tx));
    const record = normalise({ ...values, occurredAt: new Date(), seq: head.seq + 1, prevHash: head.hash });
    const hash = chainHash(record);
    const [inserted] = await tx
      .insert(auditLog)
      .values({ ...record, hash })
      .returning({ id: auditLog.id });
    await writeHead(tx, record.seq!, hash);
    if (alongside && inserted) await alongside(tx, inserted.id);
  });
}

/** The fields as the database gives them back (null, not undefined), so the hash reads the same later. */
function normalise(values: NewRecord & Pick<Chained, 'occurredAt' | 'seq' | 'prevHash'>): Chained {
  return {
    occurredAt: values.occurredAt,
    seq: values.seq,
    prevHash: values.prevHash,
    action: values.action,
    outcome: values.outcome,
    actorId: values.actorId ?? null,
    actorEmail: values.actorEmail ?? null,
    actorRole: values.actorRole ?? null,
    actorMethod: values.actorMethod ?? null,
    ip: values.ip ?? null,
    userAgent: values.userAgent ?? null,
    requestId: values.requestId ?? null,
    service: values.service ?? null,
    tokenHash: values.tokenHash ?? null,
    clientId: values.clientId ?? null,
    subject: values.subject ?? null,
    batchRequestId: values.batchRequestId ?? null,
    upstreamStatus: values.upstreamStatus ?? null,
    resultCode: values.resultCode ?? null,
    errorCode: values.errorCode ?? null,
    count: values.count ?? null,
    reason: values.reason ?? null,
    details: values.details ?? {},
  };
}

async function readHead(tx: Transaction | Database): Promise<{ seq: number; hash: string } | undefined> {
  const [head] = await tx
    .select({ seq: auditChainHead.seq, hash: auditChainHead.hash })
    .from(auditChainHead)
    .where(eq(auditChainHead.chain, CHAIN));
  return head;
}

async function writeHead(tx: Transaction, seq: number, hash: string): Promise<void> {
  await tx
    .insert(auditChainHead)
    .values({ chain: CHAIN, seq, hash })
    .onConflictDoUpdate({ target: auditChainHead.chain, set: { seq, hash, updatedAt: new Date() } });
}

/**
 * The first chained write after the upgrade: records written before the chain existed are chained
 * in id order, so they are covered too. Runs once per database (afterwards there is a head).
 */
async function chainEarlierRecords(tx: Transaction): Promise<{ seq: number; hash: string }> {
  let head = { seq: 0, hash: GENESIS_HASH };
  for (;;) {
    const rows = await tx.select().from(auditLog).where(isNull(auditLog.seq)).orderBy(asc(auditLog.id)).limit(500);
    if (rows.length === 0) break;
    for (const row of rows) {
      const record = { ...row, seq: head.seq + 1, prevHash: head.hash };
      const hash = chainHash(record);
      await tx
        .update(auditLog)
        .set({ seq: record.seq, prevHash: record.prevHash, hash })
        .where(eq(auditLog.id, row.id));
      head = { seq: record.seq, hash };
    }
  }
  if (head.seq > 0) await writeHead(tx, head.seq, head.hash);
  return head;
}

/**
 * Reads the whole log in chain order and checks every link. Reads by keyset in pages, so memory
 * stays flat however long the log is; records written meanwhile are checked if they are reached.
 */
export async function verifyAuditChain(db: Database): Promise<AuditChainReport> {
  const problems: AuditChainReport['problems'] = [];
  let problemCount = 0;
  const problem = (kind: AuditChainProblemKind, seq: number | null, id: number | null) => {
    problemCount += 1;
    if (problems.length < MAX_PROBLEMS) problems.push({ kind, seq, id: id === null ? null : String(id) });
  };

  const head = await readHead(db);
  let expectedSeq = 1;
  let previousHash = GENESIS_HASH;
  let records = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, expectedSeq - 1))
      .orderBy(asc(auditLog.seq))
      .limit(VERIFY_PAGE);
    if (rows.length === 0) break;
    for (const row of rows) {
      const seq = row.seq!;
      if (seq !== expectedSeq) {
        problem('missing', expectedSeq, null);
        // The link after a gap cannot match; the gap is the one problem there.
        previousHash = row.prevHash ?? '';
      }
      if (row.prevHash !== previousHash) problem('broken_link', seq, row.id);
      if (chainHash(row) !== row.hash) problem('altered', seq, row.id);
      records += 1;
      previousHash = row.hash ?? '';
      expectedSeq = seq + 1;
    }
  }
  // Records deleted from the end: the head names a place past the last record.
  if (head && head.seq >= expectedSeq) problem('missing', expectedSeq, null);
  else if (head && head.seq === expectedSeq - 1 && head.hash !== previousHash) problem('altered', head.seq, null);

  const unchained = await db.select({ id: auditLog.id }).from(auditLog).where(isNull(auditLog.seq)).limit(MAX_PROBLEMS);
  if (head && unchained.length > 0) {
    const [unchainedCount] = await db.select({ total: count() }).from(auditLog).where(isNull(auditLog.seq));
    for (const row of unchained) problem('unchained', null, row.id);
    problemCount += Number(unchainedCount?.total ?? 0) - unchained.length;
  }

  return {
    ok: problemCount === 0,
    records,
    headSeq: head?.seq ?? null,
    headHash: head?.hash ?? null,
    problems,
    problemCount,
    checkedAt: Date.now(),
  };
}
