'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useId, useState } from 'react';
import type { ChunkNarrowResult, JobChunk, JobDetailResponse } from '@/lib/schemas/issue-job';
import { failingElementLine } from '@/lib/csv/lines';
import { useCan } from '@/components/shell/actor-context';
import { useClients } from '@/components/data/clients';
import { useScopes } from '@/components/data/scopes';
import { buttonClass } from '@/components/ui/button';
import { cx } from '@/components/ui/cx';
import { ErrorState, summarizeError, type ErrorSummary } from '@/components/ui/states';
import { Time } from '@/components/ui/time';
import {
  downloadValuesFile,
  forgetValues,
  holdsJob,
  narrowChunk,
  reloadForJob,
  ResumeFileError,
  submitPending,
  useBatchSession,
  valuesNoLongerNeeded,
} from './batch-session';
import { excludedAfterDryRun } from './job-rows';
import { useJobDetail, useRefreshJob } from '@/components/data/jobs';
import { jobsApiFor } from '@/components/data/jobs-api';
import { useServiceSlug } from '@/components/data/service';
import { JobStateBadge } from './job-state-badge';
import { ProgressBar } from './progress-bar';
import { RefusedRowsTable } from './refused-rows';

/** A chunk Authlete has been processing for longer than this is called out as slow. */
const SLOW_CHUNK_MS = 60_000;

const finalChunkStates = new Set(['succeeded', 'narrowed']);

/** Whether anything of the job is still moving on its own (Authlete processing, the server's workers asking). */
function isActive(detail: JobDetailResponse | undefined): boolean {
  if (!detail) return true;
  return detail.chunks.some(
    (chunk) =>
      chunk.state === 'running' ||
      chunk.state === 'submitting' ||
      chunk.state === 'narrowing' ||
      chunk.dryRunState === 'running',
  );
}

export function JobPage({ jobId }: { jobId: string }) {
  const t = useTranslations();
  const session = useBatchSession();
  const service = useServiceSlug();
  // Viewers and support see jobs; only who may bulk-issue sees what changes one (the API refuses the rest).
  const canWrite = useCan('batches:write');
  const local = holdsJob(jobId) && session.jobId === jobId;
  const sending = local && session.phase === 'submitting';
  // Read again while the server's workers move the job or this tab sends; stop once every chunk is
  // final (or waits for the admin).
  const job = useJobDetail(jobId, { follow: (detail) => isActive(detail) || sending });
  const sentDone = local ? session.sent?.done : undefined;
  const { refetch } = job;
  // Closing the tab while sending would leave batches unsent (resumable, but only with the files).
  useEffect(() => {
    if (!sending) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [sending]);
  // Each batch this tab sends changes the job at once: look again without waiting for the timer.
  useEffect(() => {
    if (sentDone !== undefined) void refetch();
  }, [sentDone, sending, refetch]);
  // Once the job is final, the generated values leave this tab (the values file was offered already).
  const forget = job.data !== undefined && valuesNoLongerNeeded(job.data.job, session);
  useEffect(() => {
    if (forget) forgetValues();
  }, [forget]);
  const [narrowing, setNarrowing] = useState<number | undefined>();
  const [narrowResult, setNarrowResult] = useState<{ seq: number; result: ChunkNarrowResult } | undefined>();
  const [actionError, setActionError] = useState<ErrorSummary | undefined>();
  const refresh = useRefreshJob(jobId);

  if (job.error && !job.data)
    return <ErrorState error={job.error} onRetry={() => void job.refetch()} title={t('batches.job.loadFailed')} />;
  if (!job.data) return <p role="status">{t('batches.job.loading')}</p>;
  const { job: summary, chunks, outcomes, outcomesTruncated } = job.data;

  const narrow = async (chunk: JobChunk) => {
    setNarrowing(chunk.seq);
    setActionError(undefined);
    try {
      const result = await narrowChunk(service, jobId, chunk);
      setNarrowResult({ seq: chunk.seq, result });
    } catch (error) {
      setActionError(summarizeError(error));
    } finally {
      setNarrowing(undefined);
      await refresh();
    }
  };
  const resume = async () => {
    setActionError(undefined);
    try {
      const detail = await jobsApiFor(service).resume(jobId);
      await submitPending(service, detail);
    } catch (error) {
      setActionError(summarizeError(error));
    }
    await refresh();
  };

  const resolved = summary.tokensCreated + summary.alreadyPresent + summary.rejectedRows + summary.dryRunRejectedRows;
  const pending = chunks.filter((chunk) => chunk.state === 'pending');
  const attention = chunks.filter((chunk) => chunk.state === 'failed' || chunk.state === 'unknown');
  const running = chunks.filter((chunk) => chunk.state === 'running' || chunk.state === 'submitting');
  // "Now" is when this answer arrived, so the message only changes with new data.
  const answeredAt = job.dataUpdatedAt;
  const oldestRunning = Math.min(...running.map((chunk) => chunk.submittedAt ?? answeredAt));
  const slow = running.length > 0 && answeredAt - oldestRunning > SLOW_CHUNK_MS;

  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-xl font-semibold">{summary.fileName}</h1>
          <JobStateBadge state={summary.state} />
        </div>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {t.rich('batches.job.byline', {
            email: summary.createdBy.email,
            time: () => <Time ms={summary.createdAt} layout="inline" />,
          })}{' '}
          {t('batches.job.shape', {
            rows: summary.rowCount,
            batches: chunks.filter((c) => c.parentSeq === null).length,
            size: summary.chunkSize,
            excluded: summary.excludedRows,
          })}{' '}
          {t('batches.job.sha')}{' '}
          <code className="font-mono text-xs" title={summary.fileSha256}>
            {summary.fileSha256.slice(0, 16)}…
          </code>
        </p>
        {summary.issueMode === 'single' && (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('batches.job.singleCreates')}</p>
        )}
      </header>

      {session.jobId === jobId && (local || session.valuesForgotten) && summary.generatedRows > 0 && (
        <div className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-900/60 dark:bg-amber-950/30 dark:text-amber-100">
          {session.valuesDownloaded ? (
            <p>
              {t.rich('batches.job.valuesIn', {
                file: session.valuesFileName ?? '',
                strong: (chunks) => <strong>{chunks}</strong>,
              })}{' '}
              {local ? (
                <button type="button" className="underline" onClick={() => void downloadValuesFile(job.data!)}>
                  {t('batches.job.downloadAgain')}
                </button>
              ) : (
                t('batches.job.valuesGone')
              )}
            </p>
          ) : (
            <p>
              {t('batches.job.valuesGenerated')}{' '}
              <button
                type="button"
                className={buttonClass('primary', 'sm')}
                onClick={() => void downloadValuesFile(job.data!)}
              >
                {t('batches.job.downloadValues')}
              </button>
            </p>
          )}
        </div>
      )}

      <section aria-labelledby="progress-heading" className="space-y-2">
        <h2 id="progress-heading" className="text-base font-semibold">
          {t('batches.job.progress')}
        </h2>
        <ProgressBar value={resolved} max={summary.rowCount} label={t('batches.job.rowsProcessed')} />
        <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
          <Figure label={t('batches.job.tokensCreated')} value={summary.tokensCreated} />
          <Figure label={t('batches.list.alreadyPresent')} value={summary.alreadyPresent} />
          <Figure label={t('batches.list.rejected')} value={summary.rejectedRows} />
          {summary.dryRunRejectedRows > 0 && (
            <Figure label={t('batches.job.excludedAfterDryRun')} value={summary.dryRunRejectedRows} />
          )}
          <Figure label={t('batches.upload.rows')} value={summary.rowCount} />
        </dl>
        <div role="status" aria-live="polite" className="text-sm">
          {sending && session.sent && (
            <p>{t('batches.job.sending', { done: session.sent.done, total: session.sent.total })}</p>
          )}
          {running.length > 0 && (
            <p>
              {slow
                ? t('batches.job.slow', { count: running.length })
                : t('batches.job.processing', { count: running.length })}
            </p>
          )}
          {summary.state === 'completed' && (
            <p>
              {t('batches.job.finished', {
                created: summary.tokensCreated,
                present: summary.alreadyPresent,
                rejected: summary.rejectedRows,
                excluded: summary.dryRunRejectedRows,
              })}
            </p>
          )}
        </div>
        {session.error && local && <ErrorState error={session.error} title={t('batches.job.sendingStopped')} />}
        {actionError && <ErrorState error={actionError} title={t('batches.job.actionFailed')} />}
      </section>

      {canWrite &&
        summary.submittedAt !== null &&
        !sending &&
        (local ? pending.length > 0 : pending.length > 0 || attention.length > 0) && (
          <ResumePanel detail={job.data} local={local} onResume={resume} />
        )}

      {narrowResult && (
        <p role="status" className="rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800">
          {narrowResult.result.resubmittedSeq !== null
            ? t('batches.job.narrowedResubmitted', {
                seq: narrowResult.seq,
                present: narrowResult.result.alreadyPresent,
                rejected: narrowResult.result.rejected,
                rows: narrowResult.result.resubmittedRows,
                resubmitted: narrowResult.result.resubmittedSeq,
              })
            : t('batches.job.narrowed', {
                seq: narrowResult.seq,
                present: narrowResult.result.alreadyPresent,
                rejected: narrowResult.result.rejected,
              })}
        </p>
      )}

      {canWrite && attention.length > 0 && !local && (
        <p className="text-sm text-zinc-700 dark:text-zinc-300">
          {summary.generatedRows > 0 ? t('batches.job.narrowNeedsFiles') : t('batches.job.narrowNeedsFile')}
        </p>
      )}

      <section aria-labelledby="chunks-heading" className="space-y-2">
        <h2 id="chunks-heading" className="text-base font-semibold">
          {t('batches.job.batches')}
        </h2>
        <div className="relative overflow-x-auto rounded-md border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-sm" aria-label={t('batches.job.batches')}>
            <thead className="bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
              <tr>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  #
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  {t('batches.job.lines')}
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  {t('batches.upload.rows')}
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  {t('batches.upload.dryRunLabel')}
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  {t('batches.list.state')}
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  {t('batches.list.created')}
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  {t('batches.job.requestOrError')}
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  <span className="sr-only">{t('tokens.table.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {chunks.map((chunk) => {
                const errorLine = failingElementLine(
                  chunk.errorDescription,
                  chunk.rowRanges,
                  local ? session.lines : undefined,
                );
                return (
                  <tr
                    key={chunk.seq}
                    className="border-t border-zinc-200 align-top dark:border-zinc-800"
                    data-chunk={chunk.seq}
                    data-state={chunk.state}
                  >
                    <td className="px-2 py-1.5 tabular-nums">
                      {chunk.seq}
                      {chunk.parentSeq !== null && (
                        <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                          {t('batches.job.restOf', { seq: chunk.parentSeq })}
                        </span>
                      )}
                    </td>
                    <td className="px-2 py-1.5 tabular-nums">
                      {chunk.firstLine}–{chunk.lastLine}
                    </td>
                    <td className="px-2 py-1.5 tabular-nums">{chunk.rowCount}</td>
                    <td className="px-2 py-1.5">{chunk.dryRunState === 'none' ? '—' : chunk.dryRunState}</td>
                    <td className="px-2 py-1.5">
                      <ChunkState chunk={chunk} />
                    </td>
                    <td className="px-2 py-1.5 tabular-nums">{chunk.tokenCount}</td>
                    <td className="px-2 py-1.5 text-xs">
                      {chunk.requestId && <code className="block font-mono">{chunk.requestId}</code>}
                      {chunk.errorCode && (
                        <span className="block text-red-700 dark:text-red-400">
                          <code className="font-mono">{chunk.errorCode}</code> {chunk.errorDescription}
                          {errorLine !== undefined && ` (line ${errorLine})`}
                        </span>
                      )}
                    </td>
                    <td className="px-2 py-1.5">
                      {canWrite && (chunk.state === 'failed' || chunk.state === 'unknown') && local && (
                        <button
                          type="button"
                          className={buttonClass('secondary', 'sm')}
                          disabled={narrowing !== undefined}
                          onClick={() => void narrow(chunk)}
                        >
                          {narrowing === chunk.seq ? t('batches.job.narrowing') : t('batches.job.narrow')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      {outcomes.length > 0 && (
        <section aria-labelledby="outcomes-heading" className="space-y-2">
          <h2 id="outcomes-heading" className="text-base font-semibold">
            {t('batches.job.notCreated')}
          </h2>
          <RefusedRowsTable rows={outcomes} label={t('batches.job.notCreatedLabel')} />
          {outcomesTruncated && (
            <p className="text-xs text-zinc-600 dark:text-zinc-400">{t('batches.job.firstRowsOnly')}</p>
          )}
        </section>
      )}
    </div>
  );
}

const chunkStateKeys = {
  pending: 'batches.chunk.pending',
  submitting: 'batches.chunk.submitting',
  running: 'batches.chunk.running',
  succeeded: 'batches.chunk.succeeded',
  failed: 'batches.chunk.failed',
  unknown: 'batches.chunk.unknown',
  narrowing: 'batches.chunk.narrowing',
  narrowed: 'batches.chunk.narrowed',
} as const satisfies Record<JobChunk['state'], string>;

function ChunkState({ chunk }: { chunk: JobChunk }) {
  const t = useTranslations();
  const tone = finalChunkStates.has(chunk.state)
    ? 'text-emerald-700 dark:text-emerald-400'
    : chunk.state === 'failed' || chunk.state === 'unknown'
      ? 'text-red-700 dark:text-red-400'
      : 'text-zinc-700 dark:text-zinc-300';
  // A chunk narrowed at its dry run was never sent: its bad rows were excluded and the rest went on as a new batch.
  const text = excludedAfterDryRun(chunk) ? t('batches.chunk.excludedAfterDryRun') : t(chunkStateKeys[chunk.state]);
  return <span className={cx('font-medium', tone)}>{text}</span>;
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800">
      <dt className="text-xs text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{value.toLocaleString()}</dd>
    </div>
  );
}

/** Interrupted submission: resume from this tab, or reload the rows from the original file (and values file). */
function ResumePanel({
  detail,
  local,
  onResume,
}: {
  detail: JobDetailResponse;
  local: boolean;
  onResume: () => Promise<void>;
}) {
  const t = useTranslations();
  const clients = useClients();
  const scopes = useScopes();
  const originalId = useId();
  const valuesId = useId();
  const [original, setOriginal] = useState<File | undefined>();
  const [values, setValues] = useState<File | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorSummary | undefined>();
  const pendingRows = detail.chunks
    .filter((chunk) => chunk.state === 'pending')
    .reduce((sum, chunk) => sum + chunk.rowCount, 0);
  const needsValues = detail.job.generatedRows > 0;

  const reloadAndResume = async () => {
    if (!original) return;
    setBusy(true);
    setError(undefined);
    try {
      // The file is checked against the service's clients and scopes. After a reload they may still
      // be loading when the admin clicks: wait for them (or fail with their error), never do nothing.
      const [clientList, scopeList] = await Promise.all([
        clients.data ?? clients.refetch({ throwOnError: true, cancelRefetch: false }).then((result) => result.data!),
        scopes.data ?? scopes.refetch({ throwOnError: true, cancelRefetch: false }).then((result) => result.data!),
      ]);
      await reloadForJob(detail, original, values, {
        clients: clientList.clients,
        supportedScopes: scopeList.scopes.map((scope) => scope.name),
      });
      if (pendingRows > 0) await onResume();
    } catch (caught) {
      setError(
        caught instanceof ResumeFileError && caught.texts.length > 0
          ? { message: caught.texts.map((text) => t(text.key, text.values)).join(' ') }
          : summarizeError(caught),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section
      aria-labelledby="resume-heading"
      className="space-y-2 rounded-md border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <h2 id="resume-heading" className="text-base font-semibold">
        {pendingRows > 0 ? t('batches.resume.interrupted', { count: pendingRows }) : t('batches.resume.loadRows')}
      </h2>
      {local ? (
        <button type="button" className={buttonClass('primary')} onClick={() => void onResume()}>
          {t('batches.resume.resume')}
        </button>
      ) : (
        <div className="space-y-2 text-sm">
          <p>{needsValues ? t('batches.resume.chooseBoth') : t('batches.resume.chooseOriginal')}</p>
          <label htmlFor={originalId} className="block">
            {t('batches.resume.originalFile')}{' '}
            <input
              id={originalId}
              type="file"
              accept=".csv,text/csv"
              onChange={(event) => setOriginal(event.target.files?.[0])}
            />
          </label>
          {needsValues && (
            <label htmlFor={valuesId} className="block">
              {t('batches.resume.valuesFile')}{' '}
              <input
                id={valuesId}
                type="file"
                accept=".csv,text/csv"
                onChange={(event) => setValues(event.target.files?.[0])}
              />
            </label>
          )}
          <button
            type="button"
            className={buttonClass('primary')}
            disabled={busy || !original || (needsValues && !values)}
            onClick={() => void reloadAndResume()}
          >
            {busy
              ? t('batches.resume.checking')
              : pendingRows > 0
                ? t('batches.resume.checkAndResume')
                : t('batches.resume.checkFiles')}
          </button>
        </div>
      )}
      {error && <ErrorState error={error} title={t('batches.resume.failed')} />}
    </section>
  );
}
