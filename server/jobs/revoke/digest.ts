import 'server-only';
import { createHash } from 'node:crypto';
import stableStringify from 'fast-json-stable-stringify';
import type { RevokeQuery } from '@/lib/schemas/incident';

/**
 * What a preview showed, as one value: SHA-256 (hex) of the job, its service, its query and the
 * counts per client. Starting the job needs the same digest from the same query, so a query
 * changed after its preview (or a preview of another job) is refused.
 */
export function previewDigest(input: {
  jobId: string;
  service: string;
  query: RevokeQuery;
  items: number;
  clients: readonly { clientId: string | null; tokens: number | null; calls: number }[];
}): string {
  return createHash('sha256').update(stableStringify(input)).digest('hex');
}
