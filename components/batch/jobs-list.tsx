'use client';

import { ServiceLink } from '@/components/shell/service-link';
import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useCan } from '@/components/shell/actor-context';
import { buttonClass } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import { useJobList } from '@/components/data/jobs';
import { JobStateBadge } from './job-state-badge';

const PAGE_SIZES = [10, 20, 50, 100] as const;

/** Every bulk-issuing job with its owner, state and counts. */
export function JobsList() {
  const t = useTranslations();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const canWrite = useCan('batches:write');
  const jobs = useJobList(page, pageSize);

  if (jobs.error && !jobs.data)
    return <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} title={t('batches.list.loadFailed')} />;
  if (jobs.data && jobs.data.totalCount === 0) {
    return (
      <EmptyState title={t('batches.list.empty')}>
        {canWrite && (
          <ServiceLink href="/batches/new" className={buttonClass('primary')}>
            {t('batches.list.issueFromCsv')}
          </ServiceLink>
        )}
      </EmptyState>
    );
  }
  return (
    <div className="space-y-3">
      <div className="relative overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm" aria-label={t('shell.nav.jobs')}>
          <thead className="bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-2 py-1.5 font-medium">
                {t('batches.list.file')}
              </th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                {t('batches.list.owner')}
              </th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                {t('batches.list.created')}
              </th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                {t('batches.list.state')}
              </th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">
                {t('batches.list.rows')}
              </th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">
                {t('batches.list.createdTokens')}
              </th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">
                {t('batches.list.alreadyPresent')}
              </th>
              <th scope="col" className="px-2 py-1.5 text-right font-medium">
                {t('batches.list.rejected')}
              </th>
            </tr>
          </thead>
          <tbody>
            {!jobs.data && <SkeletonRows rows={5} columns={8} />}
            {jobs.data?.jobs.map((job) => (
              <tr key={job.id} className="border-t border-zinc-200 dark:border-zinc-800">
                <td className="px-2 py-1.5">
                  <ServiceLink
                    href={`/batches/${job.id}`}
                    className="font-medium text-indigo-700 hover:underline dark:text-indigo-400"
                  >
                    {job.fileName}
                  </ServiceLink>
                </td>
                <td className="px-2 py-1.5">{job.createdBy.email}</td>
                <td className="px-2 py-1.5">
                  <Time ms={job.createdAt} layout="inline" />
                </td>
                <td className="px-2 py-1.5">
                  <JobStateBadge state={job.state} />
                </td>
                <td className="px-2 py-1.5 text-right tabular-nums">{job.rowCount.toLocaleString()}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">{job.tokensCreated.toLocaleString()}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">{job.alreadyPresent.toLocaleString()}</td>
                <td className="px-2 py-1.5 text-right tabular-nums">{job.rejectedRows.toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {jobs.data && (
        <Pagination
          page={page}
          pageSize={pageSize}
          totalCount={jobs.data.totalCount}
          pageSizes={PAGE_SIZES}
          onPageChange={setPage}
          onPageSizeChange={(size) => {
            setPageSize(size);
            setPage(1);
          }}
          noun="jobs"
        />
      )}
    </div>
  );
}
