'use client';

import { useTranslations } from 'next-intl';
import type { ExportJob, ExportState } from '@/lib/schemas/export';
import { cx } from '@/components/ui/cx';
import { ErrorState, SkeletonRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { useExportDownloadHref, useExports } from '@/components/data/exports';

const stateKeys = {
  queued: 'export.list.state.queued',
  running: 'export.list.state.running',
  succeeded: 'export.list.state.succeeded',
  failed: 'export.list.state.failed',
} as const satisfies Record<ExportState, string>;

const stateTones: Record<ExportState, string> = {
  queued: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
  running: 'bg-indigo-100 text-indigo-900 dark:bg-indigo-950 dark:text-indigo-200',
  succeeded: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  failed: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
};

/** "clientId 917364, status valid": the filter the export was started with, in its wire names. */
function describeFilter(filter: ExportJob['filter']): string | null {
  const parts = Object.entries(filter).map(([key, value]) => `${key} ${String(value)}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

/** The person's exports run as jobs (an admin sees everyone's), with a download link when ready. */
export function ExportsList() {
  const exportDownloadHref = useExportDownloadHref();
  const t = useTranslations();
  const exports = useExports();
  const rowsOf = (job: ExportJob) =>
    job.state === 'succeeded' || job.rowsTotal === null
      ? t('export.list.rows', { done: job.rowsDone })
      : t('export.progressCount', { done: job.rowsDone, total: job.rowsTotal });
  if (exports.error && !exports.data)
    return (
      <ErrorState error={exports.error} onRetry={() => void exports.refetch()} title={t('export.list.loadFailed')} />
    );
  if (exports.data?.exports.length === 0) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('export.list.empty')}</p>;
  }
  return (
    <div className="relative overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-left text-sm" aria-label={t('export.list.label')}>
        <thead className="bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            {(
              [
                t('export.list.export'),
                t('export.list.owner'),
                t('export.list.started'),
                t('export.list.stateHeading'),
                t('export.list.rowsHeading'),
                t('export.list.expires'),
                '',
              ] as const
            ).map((heading, i) => (
              <th key={heading || i} scope="col" className={cx('px-2 py-1.5 font-medium', i === 4 && 'text-right')}>
                {heading || <span className="sr-only">{t('export.download')}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {!exports.data && <SkeletonRows rows={2} columns={7} />}
          {exports.data?.exports.map((job) => (
            <tr key={job.id} className="border-t border-zinc-200 dark:border-zinc-800" data-export-id={job.id}>
              <td className="px-2 py-1.5">
                <span className="font-medium">
                  {job.kind === 'tokens' ? t('export.list.kindTokens') : t('export.list.kindAudit')}
                </span>{' '}
                <span className="text-zinc-500 dark:text-zinc-400">
                  ({describeFilter(job.filter) ?? t('export.list.noFilter')})
                </span>
              </td>
              <td className="px-2 py-1.5">{job.createdBy.email}</td>
              <td className="px-2 py-1.5">
                <Time ms={job.createdAt} layout="inline" />
              </td>
              <td className="px-2 py-1.5">
                <span
                  data-export-state={job.state}
                  title={job.error ?? undefined}
                  className={cx('inline-flex rounded-full px-2 py-0.5 text-xs font-medium', stateTones[job.state])}
                >
                  {t(stateKeys[job.state])}
                </span>
              </td>
              <td className="px-2 py-1.5 text-right tabular-nums">{rowsOf(job)}</td>
              <td className="px-2 py-1.5">
                <Time ms={job.expiresAt} layout="inline" />
              </td>
              <td className="px-2 py-1.5">
                {job.state === 'succeeded' && (
                  <a
                    href={exportDownloadHref(job.id)}
                    download={job.fileName}
                    className="font-medium text-indigo-700 hover:underline dark:text-indigo-400"
                  >
                    {t('export.download')}
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
