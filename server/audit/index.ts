import 'server-only';
import { and, count, desc, eq, gte, inArray, lt, max, or, sql, type SQL } from 'drizzle-orm';
import type { Role } from '@/lib/roles';
import type {
  AuditAction,
  AuditFilter,
  AuditListQuery,
  AuditListResponse,
  AuditOutcome,
  AuditRecord,
  SignInMethod,
} from '@/lib/schemas/audit';
import { clientIpOf } from '@/server/core/client-ip';
import { getAuthSecret } from '@/server/core/secret';
import { config } from '@/server/config';
import { serviceSecrets } from '@/server/config/services';
import { getDb } from '@/server/db';
import { auditLog } from '@/server/db/schema';
import { insertChained } from './chain';
import { queueWebhookEvents } from './outbox';
import { AuditGuardError, guardStructured, guardText, guardTokenHash, type GuardOptions } from './guard';

export { AuditGuardError } from './guard';
export { verifyAuditChain } from './chain';
export type { AuditAction, AuditOutcome, AuditRecord } from '@/lib/schemas/audit';

/** Who acted. For a failed sign-in only `email` (the one tried) is known. */
export interface AuditActor {
  id?: string | null;
  email?: string | null;
  role?: Role | null;
  method?: SignInMethod | null;
}

export interface AuditRequestContext {
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  outcome: AuditOutcome;
  actor?: AuditActor | null;
  /** The slug of the Authlete service acted on; none for sign-in and staff accounts. */
  service?: string | null;
  /** From `auditRequestContext(request.headers)`. */
  request?: AuditRequestContext;
  target?: {
    tokenHash?: string | null;
    clientId?: string | null;
    subject?: string | null;
    batchRequestId?: string | null;
  };
  /** What Authlete answered, when the action reached it. */
  upstream?: { status?: number | null; resultCode?: string | null };
  /** Token Desk's error code when the outcome is a failure (lib/schemas/error.ts). */
  errorCode?: string | null;
  /** Tokens revoked, rows in a batch. */
  count?: number | null;
  reason?: string | null;
  /** For updates: the token before and after (hashes and metadata only). */
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  /** Anything else worth keeping (the route of a denied request, the permission it needed). */
  details?: Record<string, unknown>;
}

/** Thrown when the audit record could not be stored; the operation must then report failure. */
/** What a mutation's audit record says; the handler fills in targets, counts and before/after. */
export interface AuditDraft {
  action: AuditAction;
  target: NonNullable<AuditEntry['target']>;
  count?: number;
  reason?: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  details?: Record<string, unknown>;
}

export class AuditWriteError extends Error {
  override name = 'AuditWriteError';
}

/** The request facts an audit record keeps: client IP, user agent and Token Desk's request id. */
export function auditRequestContext(headers: Headers): AuditRequestContext {
  return {
    ip: clientIpOf(headers),
    userAgent: headers.get('user-agent')?.slice(0, 500) ?? null,
    requestId: headers.get('x-request-id')?.slice(0, 100) ?? null,
  };
}

function guardOptions(): GuardOptions {
  return { secrets: [...serviceSecrets(config.authlete.services), getAuthSecret()] };
}

/**
 * Stores one audit record and resolves once it is durable. It never swallows a failure: a record
 * that cannot be written (database down, or a token value where a hash belongs) is logged loudly and
 * rethrown, so the caller's request fails instead of going unrecorded.
 */
export async function recordAudit(entry: AuditEntry): Promise<void> {
  let row: AuditRow;
  try {
    row = toRow(entry, guardOptions());
  } catch (error) {
    logAuditFailure(entry, error);
    throw error instanceof AuditGuardError ? error : new AuditWriteError('The audit record could not be prepared.');
  }
  try {
    await insertChained(await getDb(), row, (tx, auditId) => queueWebhookEvents(tx, auditId, row));
  } catch (error) {
    logAuditFailure(entry, error);
    throw new AuditWriteError('The audit record could not be written; the action is reported as failed.', {
      cause: error,
    });
  }
}

/** Every column an audit record sets (the id, time and chain links come from server/audit/chain.ts). */
type AuditRow = Required<Omit<typeof auditLog.$inferInsert, 'id' | 'occurredAt' | 'seq' | 'prevHash' | 'hash'>>;

function toRow(entry: AuditEntry, options: GuardOptions): AuditRow {
  const details: Record<string, unknown> = { ...entry.details };
  if (entry.before !== undefined) details.before = entry.before;
  if (entry.after !== undefined) details.after = entry.after;
  return {
    action: entry.action,
    outcome: entry.outcome,
    actorId: guardText(entry.actor?.id, options),
    actorEmail: guardText(entry.actor?.email?.toLowerCase(), options),
    actorRole: entry.actor?.role ?? null,
    actorMethod: entry.actor?.method ?? null,
    ip: guardText(entry.request?.ip, options),
    userAgent: guardText(entry.request?.userAgent, options),
    requestId: guardText(entry.request?.requestId, options),
    service: entry.service ?? null,
    tokenHash: guardTokenHash(entry.target?.tokenHash),
    clientId: guardText(entry.target?.clientId, options),
    subject: guardText(entry.target?.subject, options),
    batchRequestId: guardText(entry.target?.batchRequestId, options),
    upstreamStatus: entry.upstream?.status ?? null,
    resultCode: guardText(entry.upstream?.resultCode, options),
    errorCode: guardText(entry.errorCode, options),
    count: entry.count ?? null,
    reason: guardText(entry.reason, options),
    details: guardStructured(details, options) as Record<string, unknown>,
  };
}

function logAuditFailure(entry: AuditEntry, error: unknown): void {
  // Only non-secret identifiers: the entry itself may be what tripped the guard.
  console.error(
    JSON.stringify({
      level: 'error',
      msg: 'AUDIT WRITE FAILED',
      action: entry.action,
      outcome: entry.outcome,
      actorId: entry.actor?.id ?? null,
      requestId: entry.request?.requestId ?? null,
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    }),
  );
}

/**
 * Which entries a person may read: all (an all-clients grant), or only entries about one of the
 * named clients (a scoped grant; entries about no client, such as sign-ins, are not theirs to read).
 */
export type AuditVisibility = 'all' | { clientIds: readonly string[] };

function auditWhere(filter: AuditFilter, visibility: AuditVisibility = 'all'): SQL | undefined {
  const conditions: SQL[] = [];
  if (visibility !== 'all') {
    conditions.push(
      visibility.clientIds.length > 0 ? inArray(auditLog.clientId, [...visibility.clientIds]) : sql`false`,
    );
  }
  if (filter.actor) {
    conditions.push(or(eq(auditLog.actorEmail, filter.actor.toLowerCase()), eq(auditLog.actorId, filter.actor))!);
  }
  if (filter.action) conditions.push(eq(auditLog.action, filter.action));
  if (filter.outcome) conditions.push(eq(auditLog.outcome, filter.outcome));
  if (filter.subject) conditions.push(eq(auditLog.subject, filter.subject));
  if (filter.service) conditions.push(eq(auditLog.service, filter.service));
  if (filter.tokenHash) conditions.push(eq(auditLog.tokenHash, filter.tokenHash));
  if (filter.from !== undefined) conditions.push(gte(auditLog.occurredAt, new Date(filter.from)));
  if (filter.to !== undefined) conditions.push(lt(auditLog.occurredAt, new Date(filter.to)));
  return conditions.length > 0 ? and(...conditions) : undefined;
}

/** Audit records, newest first, filtered as `GET /api/audit` allows. */
export async function listAudit(
  query: AuditListQuery,
  visibility: AuditVisibility = 'all',
): Promise<AuditListResponse> {
  const where = auditWhere(query, visibility);
  const db = await getDb();
  const [rows, totals] = await Promise.all([
    db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.occurredAt), desc(auditLog.id))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ total: count() }).from(auditLog).where(where),
  ]);
  return {
    entries: rows.map(toRecord),
    totalCount: Number(totals[0]?.total ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/**
 * The newest `limit` records matching the filter with an id below `beforeId`, newest first: the
 * export reads the log by keyset, so a page costs the same however deep it is and records written
 * meanwhile (ids above the first page's) never shift it.
 */
export async function listAuditBefore(
  filter: AuditFilter,
  beforeId: number,
  limit: number,
  visibility: AuditVisibility = 'all',
): Promise<AuditRecord[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(auditWhere(filter, visibility), lt(auditLog.id, beforeId)))
    .orderBy(desc(auditLog.id))
    .limit(limit);
  return rows.map(toRecord);
}

/** How many records match the filter with an id below `beforeId`. */
export async function countAuditBefore(
  filter: AuditFilter,
  beforeId: number,
  visibility: AuditVisibility = 'all',
): Promise<number> {
  const db = await getDb();
  const [row] = await db
    .select({ total: count() })
    .from(auditLog)
    .where(and(auditWhere(filter, visibility), lt(auditLog.id, beforeId)));
  return Number(row?.total ?? 0);
}

/** The id the next record will be above: the export's snapshot of the log. */
export async function newestAuditId(): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ newest: max(auditLog.id) }).from(auditLog);
  return Number(row?.newest ?? 0);
}

function toRecord(row: typeof auditLog.$inferSelect): AuditRecord {
  const hasActor = [row.actorId, row.actorEmail, row.actorRole, row.actorMethod].some((value) => value !== null);
  return {
    id: String(row.id),
    occurredAt: row.occurredAt.getTime(),
    action: row.action as AuditAction,
    outcome: row.outcome as AuditOutcome,
    actor: hasActor
      ? {
          id: row.actorId,
          email: row.actorEmail,
          role: row.actorRole as Role | null,
          method: row.actorMethod as SignInMethod | null,
        }
      : null,
    ip: row.ip,
    userAgent: row.userAgent,
    requestId: row.requestId,
    service: row.service,
    target: {
      tokenHash: row.tokenHash,
      clientId: row.clientId,
      subject: row.subject,
      batchRequestId: row.batchRequestId,
    },
    upstream: { status: row.upstreamStatus, resultCode: row.resultCode },
    errorCode: row.errorCode,
    count: row.count,
    reason: row.reason,
    details: row.details,
  };
}
