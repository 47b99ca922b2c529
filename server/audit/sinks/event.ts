import 'server-only';
import type { auditLog } from '@/server/db/schema';

/**
 * The one stable shape every sink receives, one JSON object per audit record (documented field by
 * field in docs/audit-and-webhooks.md, "Audit streaming"). Additions keep `schema`; a change that
 * renames or removes a field gets a new `schema` value. It holds every stored field, so a receiver
 * can recompute `chain.hash` (the recipe is in the docs) and prove the stream is the log itself.
 */
export const AUDIT_EVENT_SCHEMA = 'token-desk.audit.v1';

export interface AuditEvent {
  schema: typeof AUDIT_EVENT_SCHEMA;
  seq: number;
  id: string;
  time: string;
  action: string;
  outcome: string;
  actor: { id: string | null; email: string | null; role: string | null; method: string | null };
  service: string | null;
  request: { ip: string | null; userAgent: string | null; requestId: string | null };
  target: { tokenHash: string | null; clientId: string | null; subject: string | null; batchRequestId: string | null };
  upstream: { status: number | null; resultCode: string | null };
  errorCode: string | null;
  count: number | null;
  reason: string | null;
  details: Record<string, unknown>;
  chain: { prevHash: string; hash: string };
}

/** A chained record (seq, prev_hash and hash set) as the event the sinks send. */
export function auditEvent(row: typeof auditLog.$inferSelect): AuditEvent {
  return {
    schema: AUDIT_EVENT_SCHEMA,
    seq: row.seq!,
    id: String(row.id),
    // Milliseconds, as the app writes them: the hash covers this very instant.
    time: row.occurredAt.toISOString(),
    action: row.action,
    outcome: row.outcome,
    actor: { id: row.actorId, email: row.actorEmail, role: row.actorRole, method: row.actorMethod },
    service: row.service,
    request: { ip: row.ip, userAgent: row.userAgent, requestId: row.requestId },
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
    chain: { prevHash: row.prevHash!, hash: row.hash! },
  };
}
