import 'server-only';
import { and, asc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { RevokePreview, RevokeQuery } from '@/lib/schemas/incident';
import { getDb } from '@/server/db';
import { revokeItems, revokeJobs } from '@/server/db/schema';
import type { Tx } from '../core/store';

/** A revoke job's own row (server/db/schema/revoke-jobs.ts), typed. */
export type RevokeRow = typeof revokeJobs.$inferSelect & { query: RevokeQuery; preview: RevokePreview | null };
export type ItemRow = typeof revokeItems.$inferSelect;
export type NewItem = Pick<ItemRow, 'key' | 'kind' | 'clientId' | 'subject' | 'tokenHash'>;

/** How long one worker holds a job between two batches before another may take it over. */
const LEASE_MS = 30_000;
/** Rows per INSERT (well under PostgreSQL's 65,535 parameters). */
const INSERT_ROWS = 1_000;

export async function createRevokeRow(id: string, service: string, query: RevokeQuery, tx: Tx): Promise<void> {
  await tx.insert(revokeJobs).values({ id, service, query });
}

export async function findRevokeRow(id: string): Promise<RevokeRow | null> {
  const db = await getDb();
  const [row] = await db.select().from(revokeJobs).where(eq(revokeJobs.id, id));
  return (row as RevokeRow | undefined) ?? null;
}

export async function updateRevokeRow(id: string, set: Partial<typeof revokeJobs.$inferInsert>, tx?: Tx) {
  const db = tx ?? (await getDb());
  await db.update(revokeJobs).set(set).where(eq(revokeJobs.id, id));
}

/** Adds items, once each (a key already there is skipped); returns how many were new. */
export async function insertItems(jobId: string, items: readonly NewItem[], tx?: Tx): Promise<number> {
  const db = tx ?? (await getDb());
  let added = 0;
  for (let from = 0; from < items.length; from += INSERT_ROWS) {
    const rows = await db
      .insert(revokeItems)
      .values(items.slice(from, from + INSERT_ROWS).map((item) => ({ ...item, jobId })))
      .onConflictDoNothing()
      .returning({ id: revokeItems.id });
    added += rows.length;
  }
  return added;
}

/** Takes the job for this worker until the lease ends (compare-and-set); false when another holds it. */
export async function claimRevoke(id: string): Promise<boolean> {
  const db = await getDb();
  const rows = await db
    .update(revokeJobs)
    .set({ leaseUntil: sql`now() + ${`${LEASE_MS} milliseconds`}::interval` })
    .where(and(eq(revokeJobs.id, id), or(isNull(revokeJobs.leaseUntil), lt(revokeJobs.leaseUntil, sql`now()`))))
    .returning({ id: revokeJobs.id });
  return rows.length === 1;
}

export async function renewRevoke(id: string): Promise<void> {
  await updateRevokeRow(id, { leaseUntil: sql`now() + ${`${LEASE_MS} milliseconds`}::interval` as never });
}

export async function releaseRevoke(id: string): Promise<void> {
  await updateRevokeRow(id, { leaseUntil: null });
}

export const LEASE_RETRY_MS = LEASE_MS;

/** The next items with no outcome yet, oldest first. */
export async function pendingItems(jobId: string, limit: number): Promise<ItemRow[]> {
  const db = await getDb();
  return db
    .select()
    .from(revokeItems)
    .where(and(eq(revokeItems.jobId, jobId), isNull(revokeItems.outcome)))
    .orderBy(asc(revokeItems.id))
    .limit(limit);
}

export interface ItemOutcome {
  id: number;
  outcome: 'revoked' | 'gone' | 'failed';
  count: number;
  resultCode: string | null;
}

/**
 * Records outcomes in one statement, only for items that have none yet (a second worker's are
 * ignored), and adds what was recorded to the job's counters in the same statement.
 */
export async function recordOutcomes(jobId: string, outcomes: readonly ItemOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  const db = await getDb();
  const values = sql.join(
    outcomes.map((o) => sql`(${o.id}::bigint, ${o.outcome}::text, ${o.count}::int, ${o.resultCode}::text)`),
    sql`, `,
  );
  await db.execute(sql`
    WITH recorded AS (
      UPDATE revoke_items AS item
      SET outcome = v.outcome, count = v.count, result_code = v.result_code
      FROM (VALUES ${values}) AS v(id, outcome, count, result_code)
      WHERE item.id = v.id AND item.job_id = ${jobId} AND item.outcome IS NULL
      RETURNING item.outcome, item.count
    )
    UPDATE revoke_jobs SET
      items_done = items_done + (SELECT count(*) FROM recorded WHERE outcome <> 'failed'),
      items_failed = items_failed + (SELECT count(*) FROM recorded WHERE outcome = 'failed'),
      revoked_tokens = revoked_tokens + (SELECT coalesce(sum(count), 0) FROM recorded)
    WHERE id = ${jobId}`);
}

export interface ItemCounts {
  total: number;
  done: number;
  failed: number;
  revokedTokens: number;
}

/** The job's counters (kept with each batch's outcomes); the total is counted while it is a draft. */
export async function itemCounts(row: RevokeRow): Promise<ItemCounts> {
  let total = row.preview?.items;
  if (total === undefined) {
    const db = await getDb();
    const [counted] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(revokeItems)
      .where(eq(revokeItems.jobId, row.id));
    total = counted?.n ?? 0;
  }
  return { total, done: row.itemsDone, failed: row.itemsFailed, revokedTokens: row.revokedTokens };
}

/** Items per client (null: items not tied to one client). */
export async function itemsPerClient(jobId: string): Promise<{ clientId: string | null; n: number }[]> {
  const db = await getDb();
  return db
    .select({ clientId: revokeItems.clientId, n: sql<number>`count(*)::int` })
    .from(revokeItems)
    .where(eq(revokeItems.jobId, jobId))
    .groupBy(revokeItems.clientId)
    .orderBy(asc(revokeItems.clientId));
}

/** Items after `afterId`, in order: the report is read this way a page at a time. */
export async function itemsAfter(jobId: string, afterId: number, limit: number): Promise<ItemRow[]> {
  const db = await getDb();
  return db
    .select()
    .from(revokeItems)
    .where(and(eq(revokeItems.jobId, jobId), gt(revokeItems.id, afterId)))
    .orderBy(asc(revokeItems.id))
    .limit(limit);
}
