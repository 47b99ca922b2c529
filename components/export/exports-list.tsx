'use client';

import type { ExportJob, ExportState } from '@/lib/schemas/export';
import { cx } from '@/components/ui/cx';
import { ErrorState, SkeletonRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { exportDownloadHref, useExports } from '@/components/data/exports';

const stateLabels: Record<ExportState, string> = {
  queued: 'Queued',
  running: 'Running',
  succeeded: 'Ready',
  failed: 'Failed',
};

const stateTones: Record<ExportState, string> = {
  queued: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
  running: 'bg-indigo-100 text-indigo-900 dark:bg-indigo-950 dark:text-indigo-200',
  succeeded: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
  failed: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
};

/** "client 917364, valid": the filter the export was started with. */
function describeFilter(filter: ExportJob['filter']): string {
  const parts = Object.entries(filter).map(([key, value]) =>
    key === 'status' ? String(value) : `${key} ${String(value)}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'no filter';
}

function rowsOf(job: ExportJob): string {
  if (job.state === 'succeeded') return job.rowsDone.toLocaleString('en-US');
  return job.rowsTotal === null
    ? '…'
    : `${job.rowsDone.toLocaleString('en-US')} of ${job.rowsTotal.toLocaleString('en-US')}`;
}

/** The person's exports run as jobs (an admin sees everyone's), with a download link when ready. */
export function ExportsList() {
  const exports = useExports();
  if (exports.error && !exports.data)
    return (
      <ErrorState error={exports.error} onRetry={() => void exports.refetch()} title="Could not load the exports" />
    );
  if (exports.data?.exports.length === 0) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        No exports. A list longer than 10,000 rows is exported here, on the server.
      </p>
    );
  }
  return (
    <div className="relative overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
      <table className="w-full text-left text-sm" aria-label="Exports">
        <thead className="bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            {['Export', 'Owner', 'Started', 'State', 'Rows', 'Expires', ''].map((heading, i) => (
              <th key={heading || i} scope="col" className={cx('px-2 py-1.5 font-medium', i === 4 && 'text-right')}>
                {heading || <span className="sr-only">Download</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {!exports.data && <SkeletonRows rows={2} columns={7} />}
          {exports.data?.exports.map((job) => (
            <tr key={job.id} className="border-t border-zinc-200 dark:border-zinc-800" data-export-id={job.id}>
              <td className="px-2 py-1.5">
                <span className="font-medium">{job.kind === 'tokens' ? 'Tokens' : 'Audit log'}</span>{' '}
                <span className="text-zinc-500 dark:text-zinc-400">({describeFilter(job.filter)})</span>
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
                  {stateLabels[job.state]}
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
                    Download
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
