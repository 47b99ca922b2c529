/** CSV of the audit log for the current filters, every page, 100 at a time. */
import { auditCsvLine, auditExportHeader } from '@/lib/csv/export-lines';
import { fetchAuditPage } from '@/components/data/audit';
import { exportPages, type ExportProgress } from '@/components/export/paged-export';
import { auditQuery, type AuditParams } from './audit-params';

export function exportAudit(
  service: string,
  params: AuditParams,
  onProgress: (progress: ExportProgress) => void,
  signal?: AbortSignal,
) {
  return exportPages(
    async (page, pageSignal) => {
      const response = await fetchAuditPage(service, { ...auditQuery(params), page, pageSize: 100 }, pageSignal);
      return { items: response.entries, totalCount: response.totalCount };
    },
    auditExportHeader,
    (records) => records.map(auditCsvLine).join(''),
    onProgress,
    signal,
  );
}
