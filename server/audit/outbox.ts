import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { AuditAction } from '@/lib/schemas/audit';
import type { Transaction } from './chain';
import { auditLog, webhookDelivery, webhookEndpoint } from '@/server/db/schema';
import { newDeliveryId, type WebhookEventType } from '@/lib/schemas/webhook';

/**
 * Events come from one place: the audit record writer. Every successful change a domain path
 * audits becomes, in the same transaction, one pending delivery per enabled endpoint of its service
 * that wants the type (an outbox), so no path can forget to notify and no event outlives a rolled
 * back change. The queue (server/jobs/webhooks/deliver.ts) finds and sends them.
 */

/** Which audit actions are which event; actions not listed notify nobody. */
const EVENT_OF_ACTION: Partial<Record<AuditAction, WebhookEventType>> = {
  'token.create': 'token.created',
  'token.update': 'token.updated',
  'token.rotate': 'token.updated',
  'token.delete': 'token.deleted',
  'token.revoke': 'token.revoked',
  'token.revoke_all': 'token.revoked',
  'app.revoke': 'app.authorization_removed',
  'export.finish': 'job.finished',
  'incident.finish': 'job.finished',
  'job.finish': 'job.finished',
  'subject.offboard_finish': 'job.finished',
  'client.lock': 'client.locked',
  'client.unlock': 'client.unlocked',
};

type AuditRow = Omit<typeof auditLog.$inferInsert, 'id' | 'occurredAt' | 'seq' | 'prevHash' | 'hash'>;

/** Which kind of job each `job.finished` event is about. */
const JOB_KIND_OF_ACTION: Partial<Record<AuditAction, string>> = {
  'export.finish': 'export',
  'incident.finish': 'revocation',
  'job.finish': 'bulk_issue',
  'subject.offboard_finish': 'offboarding',
};

/**
 * Changes notify when they happened; a job notifies when it ends whatever its outcome (a revocation
 * with failed items has still finished, and the receiver wants to know).
 */
export function webhookEventOf(row: Pick<AuditRow, 'action' | 'outcome'>): WebhookEventType | undefined {
  const type = EVENT_OF_ACTION[row.action as AuditAction];
  return row.outcome === 'success' || type === 'job.finished' ? type : undefined;
}

/** The envelope's `data`: identifiers and counts only (the audit row already passed the token-value guard). */
export function webhookData(row: AuditRow, auditId: number | null): Record<string, unknown> {
  const jobId = (row.details as Record<string, unknown> | undefined)?.jobId;
  return {
    service: row.service,
    subject: row.subject ?? null,
    clientId: row.clientId ?? null,
    ...(row.tokenHash ? { tokenHash: row.tokenHash } : {}),
    ...(typeof jobId === 'string' ? { jobId } : {}),
    ...(JOB_KIND_OF_ACTION[row.action as AuditAction]
      ? { jobKind: JOB_KIND_OF_ACTION[row.action as AuditAction], outcome: row.outcome }
      : {}),
    ...(row.count !== null && row.count !== undefined ? { count: row.count } : {}),
    actor: row.actorEmail ?? row.actorId ?? null,
    auditId,
  };
}

/** Writes the deliveries of the event `row` is (if any). */
export async function queueWebhookEvents(tx: Transaction, auditId: number, row: AuditRow): Promise<void> {
  const type = webhookEventOf(row);
  if (!type || !row.service) return;
  const endpoints = await tx
    .select({ id: webhookEndpoint.id, eventTypes: webhookEndpoint.eventTypes })
    .from(webhookEndpoint)
    .where(and(eq(webhookEndpoint.service, row.service), eq(webhookEndpoint.enabled, true)));
  const wanted = endpoints.filter((endpoint) => endpoint.eventTypes.length === 0 || endpoint.eventTypes.includes(type));
  if (wanted.length === 0) return;
  const data = webhookData(row, auditId);
  const occurredAt = new Date();
  const ids = wanted.map(() => newDeliveryId());
  await tx.insert(webhookDelivery).values(
    wanted.map((endpoint, index) => ({
      id: ids[index]!,
      endpointId: endpoint.id,
      service: row.service!,
      eventType: type,
      auditId,
      occurredAt,
      data,
    })),
  );
}
