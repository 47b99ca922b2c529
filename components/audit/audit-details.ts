import stableStringify from 'fast-json-stable-stringify';
import { jobIdSchema } from '@/lib/schemas/issue-job';
import type { AuditRecord } from '@/lib/schemas/audit';
import { serviceSlugSchema } from '@/lib/schemas/service';
import { serviceApiPath, servicePath } from '@/lib/service-paths';

/** One side of a changed field, ready to show: a moment, "never", nothing, or a plain value. */
export type ShownValue =
  { kind: 'time'; ms: number } | { kind: 'never' } | { kind: 'absent' } | { kind: 'text'; text: string };

export interface FieldChange {
  field: string;
  before: ShownValue;
  after: ShownValue;
}

/** Fields named `…At` hold a moment in ms since the epoch; for an expiry, 0 means it never expires. */
function shown(field: string, value: unknown): ShownValue {
  if (value === undefined || value === null) return { kind: 'absent' };
  if (field.endsWith('At') && typeof value === 'number')
    return value === 0 ? { kind: 'never' } : { kind: 'time', ms: value };
  if (typeof value === 'string') return { kind: 'text', text: value };
  if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    return { kind: 'text', text: value.length ? value.join(' ') : '(none)' };
  return { kind: 'text', text: JSON.stringify(value) };
}

/** The fields an update changed (by value, whatever the key order), in the order the record lists them. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields
    .filter((field) => stableStringify(before[field] ?? null) !== stableStringify(after[field] ?? null))
    .map((field) => ({ field, before: shown(field, before[field]), after: shown(field, after[field]) }));
}

/** The bulk-issuing job an audit entry is about, when it names one (a job step, or a denied one). */
export function auditJobId(record: Pick<AuditRecord, 'details'>): string | undefined {
  const parsed = jobIdSchema.safeParse(record.details.jobId);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Where an audit entry's job is shown, under the entry's own service: a bulk-issuing job's page, or a
 * revocation job's per-item report (incident actions). Entries without a service are the default's.
 */
export function auditJobHref(record: Pick<AuditRecord, 'action' | 'service'>, jobId: string): string {
  const service = serviceSlugSchema.safeParse(record.service).data ?? 'default';
  if (!record.action.startsWith('incident.') && record.action !== 'client.lock')
    return servicePath(service, `/batches/${encodeURIComponent(jobId)}`);
  return serviceApiPath(service, `/incidents/revocations/${encodeURIComponent(jobId)}/report`);
}
