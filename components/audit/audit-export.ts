/** CSV of the audit log for the current filters, every page, 100 at a time. */
import { csvCell, csvLine, UTF8_BOM } from '@/lib/csv/csv-writer';
import { formatUtc } from '@/lib/format';
import type { AuditRecord } from '@/lib/schemas/audit';
import { fetchAuditPage } from '@/components/data/audit';
import { exportPages, type ExportProgress } from '@/components/export/paged-export';
import { auditQuery, type AuditParams } from './audit-params';

export const auditExportColumns = [
  'occurredAt',
  'action',
  'outcome',
  'actorEmail',
  'actorRole',
  'subject',
  'clientId',
  'tokenHash',
  'batchRequestId',
  'count',
  'reason',
  'errorCode',
  'requestId',
  'ip',
  'details',
] as const;

/** Every cell escaped against spreadsheet formulas; details as JSON. */
export function auditCsvLine(record: AuditRecord): string {
  return csvLine([
    csvCell(formatUtc(record.occurredAt)),
    csvCell(record.action),
    csvCell(record.outcome),
    csvCell(record.actor?.email),
    csvCell(record.actor?.role),
    csvCell(record.target.subject),
    csvCell(record.target.clientId),
    csvCell(record.target.tokenHash),
    csvCell(record.target.batchRequestId),
    csvCell(record.count),
    csvCell(record.reason),
    csvCell(record.errorCode),
    csvCell(record.requestId),
    csvCell(record.ip),
    csvCell(Object.keys(record.details).length ? JSON.stringify(record.details) : ''),
  ]);
}

export function exportAudit(params: AuditParams, onProgress: (progress: ExportProgress) => void, signal?: AbortSignal) {
  return exportPages(
    async (page, pageSignal) => {
      const response = await fetchAuditPage({ ...auditQuery(params), page, pageSize: 100 }, pageSignal);
      return { items: response.entries, totalCount: response.totalCount };
    },
    UTF8_BOM + csvLine([...auditExportColumns]),
    (records) => records.map(auditCsvLine).join(''),
    onProgress,
    signal,
  );
}
