'use client';

import Link from 'next/link';
import { ServiceLink } from '@/components/shell/service-link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useMemo, useState } from 'react';
import { shortHash } from '@/lib/format';
import { auditActions, type AuditRecord } from '@/lib/schemas/audit';
import { useAuditList } from '@/components/data/audit';
import { ExportButton } from '@/components/export/export-button';
import { useStartExport } from '@/components/data/exports';
import { useServiceSlug } from '@/components/data/service';
import { buttonClass, filterLabelClass, inputClass } from '@/components/ui/button';
import { cx } from '@/components/ui/cx';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { TimeZoneNote } from '@/components/shell/time-zone-note';
import { Time, useSavedTimeZone } from '@/components/ui/time';
import { fromDateTimeLocal, toDateTimeLocal } from '@/lib/datetime-local';
import { subjectHref } from '@/components/tokens/token-cells';
import { actionKeys } from './action-labels';
import { ChainStatus } from './chain-status';
import { auditJobHref, auditJobId, changedFields, type ShownValue } from './audit-details';
import { exportAudit } from './audit-export';
import {
  auditPageSizes,
  auditQuery,
  defaultAuditParams,
  parseAuditParams,
  serializeAuditParams,
  type AuditPageSize,
  type AuditParams,
} from './audit-params';

const columnKeys = [
  'audit.columns.when',
  'audit.columns.actor',
  'audit.columns.service',
  'audit.columns.action',
  'audit.columns.target',
  'audit.columns.count',
  'audit.columns.reason',
  'audit.columns.details',
  'audit.columns.requestId',
] as const;
const columnCount = columnKeys.length;

const roleKeys = {
  viewer: 'shell.role.viewer',
  support: 'shell.role.support',
  lead: 'shell.role.lead',
  admin: 'shell.role.admin',
} as const;

function Filters({ params, onChange }: { params: AuditParams; onChange: (next: AuditParams) => void }) {
  const t = useTranslations();
  const service = useServiceSlug();
  // Bounds are typed in the zone the table's times are shown in (saved on the account, else the browser's).
  const timeZone = useSavedTimeZone() ?? undefined;
  // Text fields apply on submit; the form remounts (key) when the URL changes under it.
  const [initial] = useState(() => ({
    actor: params.actor,
    subject: params.subject,
    from: params.from === null ? '' : toDateTimeLocal(params.from, timeZone),
    to: params.to === null ? '' : toDateTimeLocal(params.to, timeZone),
  }));
  const [draft, setDraft] = useState(initial);
  // The inputs show whole minutes; a bound from a link keeps its exact millisecond unless edited.
  const bound = (text: string, initialText: string, exact: number | null) =>
    text === initialText ? exact : fromDateTimeLocal(text, timeZone);
  const apply = (patch: Partial<AuditParams>) =>
    onChange({
      ...params,
      actor: draft.actor.trim(),
      subject: draft.subject.trim(),
      from: bound(draft.from, initial.from, params.from),
      to: bound(draft.to, initial.to, params.to),
      ...patch,
      page: 1,
    });
  return (
    <form
      role="search"
      aria-label={t('audit.filters.label')}
      className="flex flex-wrap items-end gap-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
      onSubmit={(event) => {
        event.preventDefault();
        apply({});
      }}
    >
      <label className={filterLabelClass}>
        {t('audit.filters.actor')}
        <input
          value={draft.actor}
          onChange={(e) => setDraft({ ...draft, actor: e.target.value })}
          placeholder={t('audit.filters.actorPlaceholder')}
          className={`${inputClass} w-52`}
        />
      </label>
      <label className={filterLabelClass}>
        {t('audit.filters.action')}
        <select
          value={params.action}
          onChange={(e) => apply({ action: e.target.value as AuditParams['action'] })}
          className={inputClass}
        >
          <option value="">{t('audit.filters.allActions')}</option>
          {auditActions.map((action) => (
            <option key={action} value={action}>
              {t('audit.actionOption', { label: t(actionKeys[action]), id: action })}
            </option>
          ))}
        </select>
      </label>
      <label className={filterLabelClass}>
        {t('audit.filters.service')}
        <select value={params.service} onChange={(e) => apply({ service: e.target.value })} className={inputClass}>
          <option value="">{t('audit.filters.allServices')}</option>
          <option value={service}>{t('audit.filters.thisService', { service })}</option>
        </select>
      </label>
      <label className={filterLabelClass}>
        {t('audit.filters.outcome')}
        <select
          value={params.outcome}
          onChange={(e) => apply({ outcome: e.target.value as AuditParams['outcome'] })}
          className={inputClass}
        >
          <option value="">{t('audit.filters.any')}</option>
          <option value="success">{t('audit.filters.success')}</option>
          <option value="failure">{t('audit.filters.failure')}</option>
        </select>
      </label>
      <label className={filterLabelClass}>
        {t('tokens.filters.subject')}
        <input
          value={draft.subject}
          onChange={(e) => setDraft({ ...draft, subject: e.target.value })}
          className={`${inputClass} w-40`}
        />
      </label>
      <label className={filterLabelClass}>
        {t('audit.filters.from')}
        <input
          type="datetime-local"
          value={draft.from}
          onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          className={inputClass}
        />
      </label>
      <label className={filterLabelClass}>
        {t('audit.filters.to')}
        <input
          type="datetime-local"
          value={draft.to}
          onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          className={inputClass}
        />
      </label>
      <button type="submit" className={buttonClass('primary')}>
        {t('tokens.filters.apply')}
      </button>
      {serializeAuditParams({ ...params, page: 1, pageSize: defaultAuditParams.pageSize }) !== '' && (
        <button
          type="button"
          className={buttonClass('ghost')}
          onClick={() => onChange({ ...defaultAuditParams, pageSize: params.pageSize })}
        >
          {t('tokens.filters.clear')}
        </button>
      )}
    </form>
  );
}

function Target({ record }: { record: AuditRecord }) {
  const t = useTranslations();
  const { subject, clientId, tokenHash, batchRequestId } = record.target;
  const parts: React.ReactNode[] = [];
  if (subject) {
    parts.push(
      <ServiceLink key="s" href={subjectHref(subject)} className="text-indigo-700 hover:underline dark:text-indigo-300">
        {subject}
      </ServiceLink>,
    );
  }
  if (clientId)
    parts.push(
      <span key="c" className="font-mono text-xs">
        {t('audit.target.client', { clientId })}
      </span>,
    );
  if (tokenHash)
    parts.push(
      <code key="t" title={tokenHash} className="font-mono text-xs">
        {t('audit.target.token', { hash: shortHash(tokenHash) })}
      </code>,
    );
  const jobId = auditJobId(record);
  if (jobId) {
    parts.push(
      <Link key="j" href={auditJobHref(record, jobId)} className="text-indigo-700 hover:underline dark:text-indigo-300">
        {t('audit.target.job', { id: shortHash(jobId) })}
      </Link>,
    );
  }
  if (batchRequestId)
    parts.push(
      <span key="b" className="font-mono text-xs">
        {t('audit.target.batch', { id: shortHash(batchRequestId, 12) })}
      </span>,
    );
  return parts.length ? (
    <span className="flex flex-col gap-0.5">{parts}</span>
  ) : (
    <span className="text-zinc-400">—</span>
  );
}

function Shown({ value }: { value: ShownValue }) {
  const t = useTranslations();
  if (value.kind === 'time') return <Time ms={value.ms} layout="inline" />;
  if (value.kind === 'never') return <>{t('tokens.cells.never')}</>;
  if (value.kind === 'absent') return <>—</>;
  return <span className="font-mono">{value.text}</span>;
}

/** What an update changed (only that, times readable); anything else as JSON. */
function Details({ details }: { details: Record<string, unknown> }) {
  const t = useTranslations();
  if (Object.keys(details).length === 0) return null;
  const { before, after, ...rest } = details as { before?: Record<string, unknown>; after?: Record<string, unknown> };
  const changes = before && after ? changedFields(before, after) : [];
  return (
    <details className="text-xs">
      <summary className="cursor-pointer text-indigo-700 dark:text-indigo-300">{t('audit.details')}</summary>
      {changes.length > 0 && (
        <dl className="mt-1 space-y-0.5" aria-label={t('audit.changes')}>
          {changes.map(({ field, before: was, after: now }) => (
            <div key={field}>
              <dt className="font-medium">{field}</dt>
              <dd className="break-all">
                <span className="text-red-800 line-through decoration-red-400/60 dark:text-red-300">
                  <Shown value={was} />
                </span>{' '}
                →{' '}
                <span className="text-emerald-800 dark:text-emerald-300">
                  <Shown value={now} />
                </span>
              </dd>
            </div>
          ))}
        </dl>
      )}
      {Object.keys(rest).length > 0 && (
        <pre className="mt-1 max-w-md overflow-x-auto font-mono whitespace-pre-wrap">
          {JSON.stringify(rest, null, 1)}
        </pre>
      )}
    </details>
  );
}

/** Admin: who did what to which token, filterable, paginated and exportable. */
export function AuditPage() {
  const t = useTranslations();
  const service = useServiceSlug();
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const params = useMemo(() => parseAuditParams(searchParams, auditActions), [searchParams]);
  const navigate = (next: AuditParams) => router.push(`${pathname}${serializeAuditParams(next)}`, { scroll: false });
  const query = auditQuery(params);
  const startExport = useStartExport('audit');
  const list = useAuditList(query);
  const entries = list.data?.entries ?? [];
  const totalCount = list.data?.totalCount ?? 0;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-xl font-semibold">
          {t('audit.title')}
          {list.data && (
            <span className="ml-2 align-middle text-sm font-normal text-zinc-500 dark:text-zinc-400">
              {t('audit.count', { count: totalCount })}
            </span>
          )}
        </h1>
        <ExportButton
          filePrefix="audit"
          noun="entry"
          totalCount={list.data?.totalCount}
          // The filters without the page: the export is every page.
          startJob={() => startExport.mutateAsync({ ...query, page: undefined, pageSize: undefined })}
          run={(onProgress, signal) => exportAudit(service, params, onProgress, signal)}
        />
      </div>
      <ChainStatus />
      <Filters key={serializeAuditParams({ ...params, page: 1 })} params={params} onChange={navigate} />

      {list.isError && !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} title={t('audit.loadFailed')} />
      ) : list.data && entries.length === 0 ? (
        <EmptyState title={t('audit.empty')}>{t('audit.emptyHint')}</EmptyState>
      ) : (
        <>
          <TimeZoneNote />
          <div
            aria-busy={list.isFetching}
            className={cx(
              'relative overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800',
              list.isPlaceholderData && 'opacity-60',
            )}
          >
            <table className="w-full border-collapse text-left text-sm">
              <caption className="sr-only">{t('audit.caption')}</caption>
              <thead className="bg-zinc-50 text-xs font-semibold text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
                <tr>
                  {columnKeys.map((heading) => (
                    <th
                      key={heading}
                      scope="col"
                      className="border-b border-zinc-200 px-2 py-2 whitespace-nowrap dark:border-zinc-800"
                    >
                      {t(heading)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 align-top dark:divide-zinc-800/70">
                {list.isPending ? (
                  <SkeletonRows rows={8} columns={columnCount} />
                ) : (
                  entries.map((record) => (
                    <tr key={record.id}>
                      <td className="px-2 py-1.5 whitespace-nowrap">
                        <Time ms={record.occurredAt} />
                      </td>
                      <td className="px-2 py-1.5">
                        <span className="flex flex-col leading-tight">
                          <span>{record.actor?.email ?? t('audit.unknownActor')}</span>
                          {record.actor?.role && (
                            <span className="text-xs text-zinc-500 dark:text-zinc-400">
                              {t(roleKeys[record.actor.role])}
                            </span>
                          )}
                        </span>
                      </td>
                      <td className="px-2 py-1.5 font-mono text-xs">{record.service ?? ''}</td>
                      <td className="px-2 py-1.5">
                        <span className="flex flex-col items-start gap-0.5">
                          <code className="font-mono text-xs">{record.action}</code>
                          {Object.hasOwn(actionKeys, record.action) && (
                            <span className="text-xs text-zinc-500 dark:text-zinc-400">
                              {t(actionKeys[record.action as keyof typeof actionKeys])}
                            </span>
                          )}
                          {record.outcome === 'failure' && (
                            <span className="rounded bg-red-100 px-1.5 py-0.5 text-xs font-medium text-red-800 dark:bg-red-950 dark:text-red-200">
                              {record.errorCode
                                ? t('audit.failedWithCode', { code: record.errorCode })
                                : t('audit.failed')}
                            </span>
                          )}
                        </span>
                      </td>
                      <td className="px-2 py-1.5">
                        <Target record={record} />
                      </td>
                      <td className="px-2 py-1.5 tabular-nums">{record.count ?? ''}</td>
                      <td className="max-w-xs px-2 py-1.5 break-words">{record.reason}</td>
                      <td className="px-2 py-1.5">
                        <Details details={record.details} />
                      </td>
                      <td className="px-2 py-1.5 font-mono text-xs text-zinc-500 dark:text-zinc-400">
                        {record.requestId ? shortHash(record.requestId, 13) : ''}
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <Pagination
            page={params.page}
            pageSize={params.pageSize}
            totalCount={totalCount}
            pageSizes={auditPageSizes}
            noun="entries"
            onPageChange={(page) => navigate({ ...params, page })}
            onPageSizeChange={(pageSize) => navigate({ ...params, pageSize: pageSize as AuditPageSize, page: 1 })}
          />
        </>
      )}
    </div>
  );
}
