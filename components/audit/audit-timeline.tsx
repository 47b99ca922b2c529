'use client';

import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslations } from 'next-intl';
import type { AuditListResponse, AuditRecord } from '@/lib/schemas/audit';
import { actionKeys } from '@/components/audit/action-labels';
import { useCan } from '@/components/shell/actor-context';
import { ServiceLink } from '@/components/shell/service-link';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { Time } from '@/components/ui/time';

/**
 * Audit entries as a timeline, newest first (a person's activity, a token's history): what was
 * done, by whom, to which client, why, and from which job; those who may read the audit log follow
 * an entry to it there.
 */
export function AuditTimeline({
  result,
  page,
  onPageChange,
  auditHref,
  labels,
  testId,
}: {
  result: UseQueryResult<AuditListResponse>;
  page: number;
  onPageChange: (page: number) => void;
  /** The audit page's address for one entry. */
  auditHref: (entry: AuditRecord) => `/${string}`;
  labels: { loading: string; loadFailed: string; empty: string };
  testId: string;
}) {
  const t = useTranslations();
  const canAudit = useCan('audit:read');
  if (result.isPending)
    return (
      <div aria-busy="true" className="h-16 animate-pulse rounded-md bg-zinc-100 dark:bg-zinc-900">
        <p className="sr-only">{labels.loading}</p>
      </div>
    );
  if (result.isError)
    return <ErrorState error={result.error} onRetry={() => void result.refetch()} title={labels.loadFailed} />;
  if (result.data.entries.length === 0) return <EmptyState title={labels.empty} />;
  return (
    <>
      <ol className="space-y-2" data-testid={testId}>
        {result.data.entries.map((entry) => {
          const label = Object.hasOwn(actionKeys, entry.action)
            ? t(actionKeys[entry.action as keyof typeof actionKeys])
            : entry.action;
          // A bulk-issue job's own page (other jobs are reached from their own pages).
          const jobId =
            entry.action.startsWith('job.') && typeof entry.details.jobId === 'string' ? entry.details.jobId : null;
          return (
            <li
              key={entry.id}
              className="flex min-w-0 flex-wrap items-baseline gap-x-3 gap-y-1 border-b border-zinc-100 pb-2 text-sm dark:border-zinc-800"
            >
              <Time ms={entry.occurredAt} layout="inline" />
              {canAudit ? (
                <ServiceLink
                  href={auditHref(entry)}
                  className="font-medium text-indigo-700 underline dark:text-indigo-300"
                >
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
              {typeof entry.details.ticket === 'string' && (
                <span className="text-xs break-all">
                  {t('subjects.activity.ticket', { ticket: entry.details.ticket })}
                </span>
              )}
              {jobId && (
                <ServiceLink
                  href={`/batches/${encodeURIComponent(jobId)}`}
                  className="text-xs text-indigo-700 underline dark:text-indigo-300"
                >
                  {t('subjects.activity.job')}
                </ServiceLink>
              )}
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
        onPageChange={onPageChange}
        onPageSizeChange={() => onPageChange(1)}
        noun="entries"
      />
    </>
  );
}
