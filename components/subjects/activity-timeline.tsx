'use client';

import { useTranslations } from 'next-intl';
import { useState } from 'react';
import { useSubjectActivity } from '@/components/data/apps';
import { actionKeys } from '@/components/audit/action-labels';
import { useCan } from '@/components/shell/actor-context';
import { ServiceLink } from '@/components/shell/service-link';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';

/**
 * A person's activity timeline: every audit entry about their tokens, apps and consent, newest
 * first; those who may read the audit log follow an entry to it there.
 */
export function ActivityTimeline({ service, subject }: { service: string; subject: string }) {
  const t = useTranslations();
  const canAudit = useCan('audit:read');
  const [page, setPage] = useState(1);
  const result = useSubjectActivity(service, subject, page);

  return (
    <section aria-labelledby="activity-heading" className="space-y-3">
      <h2 id="activity-heading" className="text-lg font-semibold">
        {t('subjects.activity.title')}
      </h2>
      {result.isPending ? (
        <div aria-busy="true" className="h-16 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900">
          <p className="sr-only">{t('subjects.activity.loading')}</p>
        </div>
      ) : result.isError ? (
        <ErrorState
          error={result.error}
          onRetry={() => void result.refetch()}
          title={t('subjects.activity.loadFailed')}
        />
      ) : result.data.entries.length === 0 ? (
        <EmptyState title={t('subjects.activity.empty', { subject })} />
      ) : (
        <>
          <ol className="space-y-2" data-testid="activity">
            {result.data.entries.map((entry) => {
              const label = Object.hasOwn(actionKeys, entry.action)
                ? t(actionKeys[entry.action as keyof typeof actionKeys])
                : entry.action;
              const audit: `/${string}` = `/audit?subject=${encodeURIComponent(subject)}&from=${entry.occurredAt}&to=${entry.occurredAt + 1}`;
              return (
                <li
                  key={entry.id}
                  className="flex min-w-0 flex-wrap items-baseline gap-x-3 gap-y-1 border-b border-zinc-100 pb-2 text-sm dark:border-zinc-800"
                >
                  <Time ms={entry.occurredAt} layout="inline" />
                  {canAudit ? (
                    <ServiceLink href={audit} className="font-medium text-indigo-700 underline dark:text-indigo-300">
                      {label}
                    </ServiceLink>
                  ) : (
                    <span className="font-medium">{label}</span>
                  )}
                  <span className={entry.outcome === 'success' ? '' : 'text-red-700 dark:text-red-400'}>
                    {entry.outcome === 'success' ? t('subjects.activity.success') : t('subjects.activity.failure')}
                  </span>
                  {entry.target.clientId && (
                    <span className="font-mono text-xs break-all">
                      {t('subjects.activity.client', { client: entry.target.clientId })}
                    </span>
                  )}
                  {entry.count !== null && (
                    <span className="text-xs">{t('subjects.activity.count', { count: entry.count })}</span>
                  )}
                  {entry.actor && <span className="text-xs break-all">{entry.actor.email}</span>}
                  {entry.reason && (
                    <span className="w-full text-xs text-zinc-600 dark:text-zinc-400 break-words">{entry.reason}</span>
                  )}
                </li>
              );
            })}
          </ol>
          <Pagination
            page={page}
            pageSize={result.data.pageSize}
            totalCount={result.data.totalCount}
            pageSizes={[result.data.pageSize]}
            onPageChange={setPage}
            onPageSizeChange={() => setPage(1)}
            noun="entries"
          />
        </>
      )}
    </section>
  );
}
