'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useRecentOffboardings } from '@/components/data/apps';
import { useRevokeJobs } from '@/components/data/incidents';
import { useServiceSlug } from '@/components/data/service';
import { useCan } from '@/components/shell/actor-context';
import { ServiceLink } from '@/components/shell/service-link';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { Time } from '@/components/ui/time';

const cell = 'px-2 py-1.5';
const head = `${cell} font-medium`;

/** Every offboarding of the service: whose, by whom, when, its state and progress; each opens in the person's view. */
export function OffboardingsList() {
  const t = useTranslations();
  const service = useServiceSlug();
  const [page, setPage] = useState(1);
  const list = useRecentOffboardings(service, page);
  if (list.error && !list.data)
    return <ErrorState error={list.error} onRetry={() => void list.refetch()} title={t('batches.other.loadFailed')} />;
  if (list.data && list.data.totalCount === 0) return <EmptyState title={t('batches.other.noOffboardings')} />;
  return (
    <div className="space-y-3">
      <div className="overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm" aria-label={t('batches.other.offboardings')}>
          <thead className="bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              <th scope="col" className={head}>
                {t('batches.other.subject')}
              </th>
              <th scope="col" className={head}>
                {t('batches.list.owner')}
              </th>
              <th scope="col" className={head}>
                {t('batches.list.created')}
              </th>
              <th scope="col" className={head}>
                {t('batches.list.state')}
              </th>
              <th scope="col" className={`${head} text-right`}>
                {t('batches.other.parts')}
              </th>
            </tr>
          </thead>
          <tbody>
            {!list.data && <SkeletonRows rows={3} columns={5} />}
            {list.data?.jobs.map((job) => (
              <tr key={job.id} className="border-t border-zinc-200 dark:border-zinc-800">
                <td className={`${cell} break-all`}>
                  <ServiceLink
                    href={`/subjects/${encodeURIComponent(job.payload.subject)}`}
                    className="font-medium text-indigo-700 hover:underline dark:text-indigo-400"
                  >
                    {job.payload.subject}
                  </ServiceLink>
                </td>
                <td className={`${cell} break-all`}>{job.createdBy.email}</td>
                <td className={cell}>
                  <Time ms={Date.parse(job.createdAt)} layout="inline" />
                </td>
                <td className={cell}>{t('batches.other.offboardState', { state: job.state })}</td>
                <td className={`${cell} text-right tabular-nums`}>
                  {t('batches.other.progress', { done: job.progress.done, total: job.progress.total ?? 0 })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {list.data && (
        <Pagination
          page={page}
          pageSize={10}
          totalCount={list.data.totalCount}
          pageSizes={[10]}
          onPageChange={setPage}
          onPageSizeChange={() => setPage(1)}
          noun="jobs"
        />
      )}
    </div>
  );
}

/** Incident revocations (revoke by query): for those who run them; each opens on the incidents page. */
export function RevocationsList() {
  const t = useTranslations();
  const service = useServiceSlug();
  const canRevoke = useCan('incidents:revoke');
  const list = useRevokeJobs(service, canRevoke);
  if (!canRevoke) return null;
  return (
    <section aria-labelledby="jobs-revocations" className="space-y-2">
      <h2 id="jobs-revocations" className="pt-2 text-lg font-semibold">
        {t('batches.other.revocations')}
      </h2>
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title={t('batches.other.loadFailed')} />
      ) : list.data && list.data.jobs.length === 0 ? (
        <EmptyState title={t('batches.other.noRevocations')} />
      ) : (
        <div className="overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-sm" aria-label={t('batches.other.revocations')}>
            <thead className="bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className={head}>
                  {t('batches.list.created')}
                </th>
                <th scope="col" className={head}>
                  {t('batches.list.owner')}
                </th>
                <th scope="col" className={head}>
                  {t('batches.list.state')}
                </th>
                <th scope="col" className={`${head} text-right`}>
                  {t('batches.other.revoked')}
                </th>
              </tr>
            </thead>
            <tbody>
              {!list.data && <SkeletonRows rows={3} columns={4} />}
              {list.data?.jobs.map((job) => (
                <tr key={job.id} className="border-t border-zinc-200 dark:border-zinc-800">
                  <td className={cell}>
                    <ServiceLink
                      href={`/incidents?job=${encodeURIComponent(job.id)}`}
                      className="font-medium text-indigo-700 hover:underline dark:text-indigo-400"
                    >
                      <Time ms={job.createdAt} layout="inline" />
                    </ServiceLink>
                  </td>
                  <td className={`${cell} break-all`}>{job.createdBy.email}</td>
                  <td className={cell}>{t('batches.other.revokeState', { state: job.state })}</td>
                  <td className={`${cell} text-right tabular-nums`}>
                    {t('batches.other.counts', {
                      done: job.counts.done,
                      failed: job.counts.failed,
                      remaining: job.counts.remaining,
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
