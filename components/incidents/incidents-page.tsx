'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { ProgressBar } from '@/components/batch/progress-bar';
import { clientLabel, useClients } from '@/components/data/clients';
import {
  revokeReportHref,
  useControlRevocation,
  usePreviewRevocation,
  useRevokeJob,
  useRevokeJobs,
  useStartRevocation,
  useSubjectListRevocation,
  useUnlockClient,
} from '@/components/data/incidents';
import type { SubjectList } from '@/lib/csv/subject-list';
import { SubjectListField } from './subject-list-field';
import { buttonClass, inputClass } from '@/components/ui/button';
import { useErrorSummary } from '@/components/ui/states';
import { useSavedTimeZone } from '@/components/ui/time';
import { fromDateTimeLocal } from '@/lib/datetime-local';
import { grantTypeSchema } from '@/lib/schemas/common';
import type { RevokeJob, RevokeQueryInput } from '@/lib/schemas/incident';

const stateKeys = {
  draft: 'incidents.state.draft',
  scanning: 'incidents.state.scanning',
  previewed: 'incidents.state.previewed',
  running: 'incidents.state.running',
  paused: 'incidents.state.paused',
  completed: 'incidents.state.completed',
  cancelled: 'incidents.state.cancelled',
  failed: 'incidents.state.failed',
} as const;

const labelClass = 'block min-w-0 text-sm font-medium';

/** The incident page: a query, its blast-radius preview, the confirmed run with progress, and the history. */
export function IncidentsPage({ service }: { service: string }) {
  const t = useTranslations();
  // A job opened from the Jobs page (?job=…), else the one previewed here.
  const [jobId, setJobId] = useState<string | null>(useSearchParams().get('job'));
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">{t('incidents.title')}</h1>
      <QueryForm service={service} onPreview={setJobId} />
      {jobId && <JobPanel service={service} jobId={jobId} />}
      <LockedClients service={service} />
      <History service={service} onOpen={setJobId} />
    </div>
  );
}

function QueryForm({ service, onPreview }: { service: string; onPreview: (id: string) => void }) {
  const t = useTranslations();
  const timeZone = useSavedTimeZone() ?? undefined;
  const summary = useErrorSummary();
  const clients = useClients();
  const preview = usePreviewRevocation(service);
  const fromList = useSubjectListRevocation(service);
  const [subjectList, setSubjectList] = useState<SubjectList | null>(null);
  const [clientId, setClientId] = useState('');
  const [scopes, setScopes] = useState('');
  const [grantType, setGrantType] = useState('');
  const [createdAfter, setCreatedAfter] = useState('');
  const [createdBefore, setCreatedBefore] = useState('');
  const [refreshedBefore, setRefreshedBefore] = useState('');
  const [lock, setLock] = useState(false);

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (subjectList) {
      fromList.mutate(
        { subjects: subjectList.subjects, clientIds: clientId ? [clientId] : [] },
        { onSuccess: (job) => onPreview(job.id) },
      );
      return;
    }
    // A datetime-local value is read in the zone times are shown in (saved on the account, else the browser's).
    const time = (text: string) => fromDateTimeLocal(text, timeZone) ?? undefined;
    const query: RevokeQueryInput = {
      clientIds: clientId ? [clientId] : [],
      scopes: scopes.split(/[\s,]+/).filter(Boolean),
      grantType: grantType ? grantTypeSchema.parse(grantType) : undefined,
      createdAfter: time(createdAfter),
      createdBefore: time(createdBefore),
      refreshedBefore: time(refreshedBefore),
      lockClients: lock,
    };
    preview.mutate(query, { onSuccess: (job) => onPreview(job.id) });
  };

  return (
    <form onSubmit={submit} className="space-y-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <h2 className="text-lg font-semibold">{t('incidents.query.title')}</h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <label className={labelClass}>
          {t('incidents.query.client')}
          <select className={`${inputClass} w-full`} value={clientId} onChange={(e) => setClientId(e.target.value)}>
            <option value="">{t('incidents.query.allClients')}</option>
            {(clients.data?.clients ?? []).map((client) => (
              <option key={client.clientId} value={client.clientId}>
                {clientLabel(client.clientId, client)}
                {client.locked ? ` — ${t('incidents.locked')}` : ''}
              </option>
            ))}
          </select>
        </label>
        <label className={labelClass}>
          {t('incidents.query.scopes')}
          <input
            className={`${inputClass} w-full`}
            value={scopes}
            disabled={Boolean(subjectList)}
            onChange={(e) => setScopes(e.target.value)}
          />
        </label>
        <label className={labelClass}>
          {t('incidents.query.grantType')}
          <select
            className={`${inputClass} w-full`}
            value={grantType}
            disabled={Boolean(subjectList)}
            onChange={(e) => setGrantType(e.target.value)}
          >
            <option value="">{t('incidents.query.anyGrantType')}</option>
            {grantTypeSchema.options.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <label className={labelClass}>
          {t('incidents.query.createdAfter')}
          <input
            type="datetime-local"
            className={`${inputClass} w-full`}
            value={createdAfter}
            disabled={Boolean(subjectList)}
            onChange={(e) => setCreatedAfter(e.target.value)}
          />
        </label>
        <label className={labelClass}>
          {t('incidents.query.createdBefore')}
          <input
            type="datetime-local"
            className={`${inputClass} w-full`}
            value={createdBefore}
            disabled={Boolean(subjectList)}
            onChange={(e) => setCreatedBefore(e.target.value)}
          />
        </label>
        <label className={labelClass}>
          {t('incidents.query.refreshedBefore')}
          <input
            type="datetime-local"
            className={`${inputClass} w-full`}
            value={refreshedBefore}
            disabled={Boolean(subjectList)}
            onChange={(e) => setRefreshedBefore(e.target.value)}
          />
        </label>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={lock && !subjectList}
          disabled={Boolean(subjectList)}
          onChange={(e) => setLock(e.target.checked)}
        />
        {t('incidents.query.lock')}
      </label>
      <SubjectListField onChange={setSubjectList} />
      {fromList.isPending && subjectList && (
        <ProgressBar
          value={fromList.uploaded}
          max={subjectList.subjects.length}
          label={t('incidents.subjects.uploading')}
        />
      )}
      {(preview.error ?? fromList.error) && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {summary(preview.error ?? fromList.error).message}
        </p>
      )}
      <button type="submit" className={buttonClass('primary')} disabled={preview.isPending || fromList.isPending}>
        {t('incidents.query.preview')}
      </button>
    </form>
  );
}

function JobPanel({ service, jobId }: { service: string; jobId: string }) {
  const t = useTranslations();
  const format = useFormatter();
  const summary = useErrorSummary();
  const { data: job } = useRevokeJob(service, jobId);
  const clients = useClients();
  const start = useStartRevocation(service);
  const control = useControlRevocation(service);
  const [confirmation, setConfirmation] = useState('');
  const [reason, setReason] = useState('');
  const [ticket, setTicket] = useState('');
  if (!job) return null;
  const processed = job.counts.done + job.counts.failed;
  const total = processed + job.counts.remaining;
  const failure = start.error ?? control.error;
  return (
    <section
      aria-labelledby="incident-job"
      className="space-y-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800"
    >
      <h2 id="incident-job" className="text-lg font-semibold">
        {t('incidents.job.title')} · {t(stateKeys[job.state])}
      </h2>
      {job.state === 'scanning' && <p className="text-sm">{t('incidents.job.scanning', { count: job.scanned })}</p>}
      {job.preview && (
        <div className="space-y-2">
          <p className="text-sm">
            {job.preview.tokens === null
              ? t('incidents.preview.calls', { count: job.preview.items })
              : t('incidents.preview.tokens', { count: job.preview.tokens, calls: job.preview.items })}
          </p>
          <ul className="text-sm">
            {job.preview.clients.map((client) => (
              <li key={client.clientId ?? 'all'} className="text-xs break-all">
                {client.clientId
                  ? clientLabel(client.clientId, clients.byId.get(client.clientId))
                  : t('incidents.query.allClients')}{' '}
                {client.clientId && <span className="font-mono">({client.clientId})</span>}:{' '}
                {client.tokens === null ? '—' : format.number(client.tokens)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {job.state === 'previewed' && job.preview && (
        <form
          className="grid gap-3 sm:grid-cols-3"
          onSubmit={(event) => {
            event.preventDefault();
            start.mutate({ job, confirmation, reason, ticket });
          }}
        >
          <label className={labelClass}>
            {t('incidents.confirm.type', { count: job.preview.items })}
            <input
              className={`${inputClass} w-full`}
              value={confirmation}
              onChange={(e) => setConfirmation(e.target.value)}
            />
          </label>
          <label className={labelClass}>
            {t('incidents.confirm.reason')}
            <input className={`${inputClass} w-full`} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <label className={labelClass}>
            {t('incidents.confirm.ticket')}
            <input className={`${inputClass} w-full`} value={ticket} onChange={(e) => setTicket(e.target.value)} />
          </label>
          <div className="flex flex-wrap gap-2 sm:col-span-3">
            <button type="submit" className={buttonClass('danger')} disabled={start.isPending}>
              {job.query.lockClients ? t('incidents.confirm.lockAndRevoke') : t('incidents.confirm.revoke')}
            </button>
            <button
              type="button"
              className={buttonClass('secondary')}
              onClick={() => control.mutate({ id: job.id, action: 'cancel' })}
            >
              {t('incidents.job.cancel')}
            </button>
          </div>
        </form>
      )}
      {job.startedAt !== null && (
        <div className="space-y-2">
          <ProgressBar value={processed} max={total} label={t('incidents.job.progress')} />
          <p className="text-sm">
            {t('incidents.job.counts', {
              done: job.counts.done,
              failed: job.counts.failed,
              remaining: job.counts.remaining,
            })}
            {job.rate !== null && ` · ${t('incidents.job.rate', { rate: job.rate })}`}
          </p>
          <div className="flex flex-wrap gap-2">
            {job.state === 'running' && (
              <button
                className={buttonClass('secondary')}
                onClick={() => control.mutate({ id: job.id, action: 'pause' })}
              >
                {t('incidents.job.pause')}
              </button>
            )}
            {job.state === 'paused' && (
              <button
                className={buttonClass('secondary')}
                onClick={() => control.mutate({ id: job.id, action: 'resume' })}
              >
                {t('incidents.job.resume')}
              </button>
            )}
            {(job.state === 'running' || job.state === 'paused') && (
              <button
                className={buttonClass('danger')}
                onClick={() => control.mutate({ id: job.id, action: 'cancel' })}
              >
                {t('incidents.job.cancel')}
              </button>
            )}
            <a className={buttonClass('ghost')} href={revokeReportHref(service, job.id)} download>
              {t('incidents.job.report')}
            </a>
          </div>
        </div>
      )}
      {failure && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {summary(failure).message}
        </p>
      )}
    </section>
  );
}

function History({ service, onOpen }: { service: string; onOpen: (id: string) => void }) {
  const t = useTranslations();
  const format = useFormatter();
  const { data } = useRevokeJobs(service);
  const jobs: RevokeJob[] = data?.jobs ?? [];
  return (
    <section aria-labelledby="incident-history" className="space-y-2">
      <h2 id="incident-history" className="text-lg font-semibold">
        {t('incidents.history.title')}
      </h2>
      {jobs.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('incidents.history.empty')}</p>
      ) : (
        <ul className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
          {jobs.map((job) => (
            <li key={job.id} className="flex flex-wrap items-center gap-2 py-2">
              <button
                type="button"
                className="text-indigo-700 hover:underline dark:text-indigo-300"
                onClick={() => onOpen(job.id)}
              >
                {format.dateTime(job.createdAt, { dateStyle: 'short', timeStyle: 'short' })}
              </button>
              <span>{t(stateKeys[job.state])}</span>
              <span className="break-all">{job.createdBy.email}</span>
              <span>
                {t('incidents.job.counts', {
                  done: job.counts.done,
                  failed: job.counts.failed,
                  remaining: job.counts.remaining,
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Clients the kill switch locked, each with an unlock (and its reason) once the incident is over. */
function LockedClients({ service }: { service: string }) {
  const t = useTranslations();
  const summary = useErrorSummary();
  const clients = useClients();
  const unlock = useUnlockClient(service);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const locked = (clients.data?.clients ?? []).filter((client) => client.locked);
  return (
    <section aria-labelledby="incident-locks" className="space-y-2">
      <h2 id="incident-locks" className="text-lg font-semibold">
        {t('incidents.locks.title')}
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('incidents.locks.help')}</p>
      {locked.length === 0 ? (
        <p className="text-sm">{t('incidents.locks.none')}</p>
      ) : (
        <ul className="divide-y divide-zinc-200 text-sm dark:divide-zinc-800">
          {locked.map((client) => {
            const name = clientLabel(client.clientId, client);
            const reason = reasons[client.clientId] ?? '';
            return (
              <li key={client.clientId} className="flex flex-wrap items-end gap-2 py-2">
                <span className="min-w-0 break-all font-medium">{name}</span>
                <label className="text-xs">
                  {t('incidents.locks.reason')}
                  <input
                    className={`${inputClass} w-full`}
                    value={reason}
                    onChange={(e) => setReasons({ ...reasons, [client.clientId]: e.target.value })}
                  />
                </label>
                <button
                  type="button"
                  className={buttonClass('secondary')}
                  aria-label={t('incidents.locks.unlockFor', { client: name })}
                  disabled={!reason.trim() || unlock.isPending}
                  onClick={() => unlock.mutate({ clientId: client.clientId, reason: reason.trim(), name })}
                >
                  {t('incidents.locks.unlock')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {unlock.isSuccess && (
        <p role="status" className="text-sm text-emerald-800 dark:text-emerald-200">
          {t('incidents.locks.unlocked', { client: unlock.variables.name })}
        </p>
      )}
      {unlock.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {summary(unlock.error).message}
        </p>
      )}
    </section>
  );
}
