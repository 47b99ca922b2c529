import 'server-only';
import type { ClientScope } from '@/lib/schemas/staff';
import { scopeColumn } from '@/server/auth/scope';
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { EXPORT_RETENTION_HOURS, type ExportJob, type ExportKind, type ExportState } from '@/lib/schemas/export';
import { getDb } from '@/server/db';
import { exportJobs, exportParts } from '@/server/db/schema';

const HOUR_MS = 3_600_000;
/** How long a worker holds an export between two steps before another may take it over. */
const EXPORT_LEASE_MS = 2 * 60_000;

/** Who asked for an export, and of which service's list (its slug). */
export interface ExportOwner {
  id: string;
  email: string;
  service: string;
  /** The clients the owner's grant covers in that service. */
  scope: ClientScope;
}

type ExportRow = typeof exportJobs.$inferSelect;

/** "tokens-2025-11-25T1403Z.csv", after the minute the export was started (as the browser export). */
function fileName(kind: ExportKind, createdAt: Date): string {
  return `${kind}-${createdAt.toISOString().slice(0, 16).replace(':', '')}Z.csv`;
}

export function toExportJob(row: ExportRow): ExportJob {
  return {
    id: row.id,
    kind: row.kind as ExportKind,
    filter: row.filter,
    state: row.state as ExportState,
    createdAt: row.createdAt.getTime(),
    createdBy: { id: row.createdById, email: row.createdByEmail },
    rowsDone: row.rowsDone,
    rowsTotal: row.rowsTotal,
    bytes: row.bytes,
    finishedAt: row.finishedAt?.getTime() ?? null,
    expiresAt: row.expiresAt.getTime(),
    error: row.error,
    fileName: fileName(row.kind as ExportKind, row.createdAt),
  };
}

const expiresFromNow = () => new Date(Date.now() + EXPORT_RETENTION_HOURS * HOUR_MS);

/** The export's own row; `id` is its job's (server/jobs), so one id names both. */
export async function createExport(
  id: string,
  owner: ExportOwner,
  kind: ExportKind,
  filter: Record<string, unknown>,
  cursor: Record<string, unknown>,
): Promise<ExportRow> {
  const db = await getDb();
  await deleteExpiredExports();
  const [row] = await db
    .insert(exportJobs)
    .values({
      id,
      kind,
      filter,
      cursor,
      createdById: owner.id,
      createdByEmail: owner.email,
      service: owner.service,
      clientIds: scopeColumn(owner.scope),
      expiresAt: expiresFromNow(),
    })
    .returning();
  return row!;
}

/** An export that has not expired, or null. */
export async function findExport(id: string): Promise<ExportRow | null> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(exportJobs)
    .where(and(eq(exportJobs.id, id), gte(exportJobs.expiresAt, new Date())));
  return row ?? null;
}

/** One service's newest exports: a person's own, or everyone's for an admin. */
export async function listExports(service: string, ownerId: string | null, limit = 50): Promise<ExportRow[]> {
  const db = await getDb();
  const live = and(gte(exportJobs.expiresAt, new Date()), eq(exportJobs.service, service));
  return db
    .select()
    .from(exportJobs)
    .where(ownerId === null ? live : and(live, eq(exportJobs.createdById, ownerId)))
    .orderBy(desc(exportJobs.createdAt))
    .limit(limit);
}

/** Deletes expired exports and their files (the parts go with them). */
async function deleteExpiredExports(): Promise<void> {
  const db = await getDb();
  await db.delete(exportJobs).where(lt(exportJobs.expiresAt, new Date()));
}

/**
 * Takes an unfinished export for one worker until the lease runs out (compare-and-set: of two
 * workers asking at once, one gets it). Null when it is finished, gone or held by another.
 */
export async function claimExport(id: string): Promise<ExportRow | null> {
  const db = await getDb();
  const [row] = await db
    .update(exportJobs)
    .set({
      state: 'running',
      leaseUntil: sql`now() + ${`${EXPORT_LEASE_MS} milliseconds`}::interval`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(exportJobs.id, id),
        inArray(exportJobs.state, ['queued', 'running']),
        or(isNull(exportJobs.leaseUntil), lt(exportJobs.leaseUntil, sql`now()`)),
      ),
    )
    .returning();
  return row ?? null;
}

/** How long until another worker may take the export on (0: now). */
export function exportLeaseLeftMs(row: ExportRow, now = Date.now()): number {
  return Math.max(0, (row.leaseUntil?.getTime() ?? 0) - now);
}

export interface StoredStep {
  chunk: string;
  rows: number;
  next: Record<string, unknown> | null;
  total: number;
}

/**
 * Stores one step's CSV part and moves the cursor on, in one transaction, only if the export is
 * still at step `seq` (compare-and-set): a step a second worker also ran is stored once. Returns
 * the export as it now is, or null when another worker got there first.
 */
export async function storeStep(id: string, seq: number, step: StoredStep): Promise<ExportRow | null> {
  const db = await getDb();
  const finished = step.next === null;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(exportJobs)
      .set({
        cursor: step.next,
        steps: seq + 1,
        rowsDone: sql`${exportJobs.rowsDone} + ${step.rows}`,
        rowsTotal: step.total,
        bytes: sql`${exportJobs.bytes} + ${Buffer.byteLength(step.chunk)}`,
        updatedAt: sql`now()`,
        ...(finished
          ? { state: 'succeeded', finishedAt: sql`now()`, leaseUntil: null, expiresAt: expiresFromNow() }
          : { leaseUntil: sql`now() + ${`${EXPORT_LEASE_MS} milliseconds`}::interval` }),
      })
      .where(and(eq(exportJobs.id, id), eq(exportJobs.steps, seq), eq(exportJobs.state, 'running')))
      .returning();
    if (!row) return null;
    await tx.insert(exportParts).values({ exportId: id, seq, rows: step.rows, body: step.chunk });
    return row;
  });
}

/** Lets another worker (or a later run) take the export on at once. */
export async function releaseExport(id: string): Promise<void> {
  const db = await getDb();
  await db
    .update(exportJobs)
    .set({ leaseUntil: null })
    .where(and(eq(exportJobs.id, id), eq(exportJobs.state, 'running')));
}

export async function failExport(id: string, message: string): Promise<void> {
  const db = await getDb();
  await db
    .update(exportJobs)
    .set({ state: 'failed', error: message, leaseUntil: null, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(exportJobs.id, id), inArray(exportJobs.state, ['queued', 'running'])));
}

/** The stored parts from `fromSeq` on, `limit` at a time, in order. */
export async function readParts(id: string, fromSeq: number, limit: number): Promise<{ seq: number; body: string }[]> {
  const db = await getDb();
  return db
    .select({ seq: exportParts.seq, body: exportParts.body })
    .from(exportParts)
    .where(and(eq(exportParts.exportId, id), gte(exportParts.seq, fromSeq)))
    .orderBy(asc(exportParts.seq))
    .limit(limit);
}
