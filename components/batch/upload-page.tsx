'use client';

import { ServiceLink } from '@/components/shell/service-link';
import { useRouter } from 'next/navigation';
import { useLocale, useMessages, useTranslations } from 'next-intl';
import { useEffect, useId, useMemo, useState } from 'react';
import { csvColumnDocs } from '@/lib/csv/columns';
import { formatBytes } from '@/lib/csv/preflight';
import { buildTemplateCsv, TEMPLATE_FILE_NAME } from '@/lib/csv/template';
import { MAX_BATCH_TOKENS } from '@/lib/schemas/batch';
import type { JobDetailResponse } from '@/lib/schemas/issue-job';
import { useClients } from '@/components/data/clients';
import { useScopes } from '@/components/data/scopes';
import { useServiceSlug } from '@/components/data/service';
import { servicePath } from '@/lib/service-paths';
import { buttonClass, inputClass } from '@/components/ui/button';
import { cx } from '@/components/ui/cx';
import { ErrorState } from '@/components/ui/states';
import {
  checkFile,
  downloadErrorReport,
  downloadValuesFile,
  excludeRefusedAndDryRun,
  failedDryRuns,
  narrowFailedDryRuns,
  resetSession,
  startDryRun,
  submitPending,
  useBatchSession,
} from './batch-session';
import { useJobDetail } from '@/components/data/jobs';
import { IssueTable } from './issue-table';
import { ProgressBar } from './progress-bar';
import { RefusedRowsTable } from './refused-rows';

const DEFAULT_CHUNK_SIZE = 500;

/** What each CSV column means, in the person's language (the column names themselves stay as they are). */
const columnKeys = {
  grantType: 'batches.columns.grantType',
  clientId: 'batches.columns.clientId',
  subject: 'batches.columns.subject',
  scopes: 'batches.columns.scopes',
  accessTokenDuration: 'batches.columns.accessTokenDuration',
  refreshTokenDuration: 'batches.columns.refreshTokenDuration',
  accessTokenPersistent: 'batches.columns.accessTokenPersistent',
  accessToken: 'batches.columns.accessToken',
  refreshToken: 'batches.columns.refreshToken',
  properties: 'batches.columns.properties',
} as const;

export function UploadPage() {
  const t = useTranslations();
  const locale = useLocale();
  const messages = useMessages();
  const session = useBatchSession();
  const service = useServiceSlug();
  const clients = useClients();
  const scopes = useScopes();
  const router = useRouter();
  const [chunkSize, setChunkSize] = useState(DEFAULT_CHUNK_SIZE);
  const [excludeInvalid, setExcludeInvalid] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInputId = useId();
  const factsReady = clients.data !== undefined && scopes.data !== undefined;

  const facts = useMemo(
    () =>
      clients.data && scopes.data
        ? { clients: clients.data.clients, supportedScopes: scopes.data.scopes.map((scope) => scope.name) }
        : undefined,
    [clients.data, scopes.data],
  );

  const onFile = (file: File | undefined) => {
    if (!file || !facts || session.phase === 'submitting') return;
    setExcludeInvalid(false);
    void checkFile(file, facts);
  };

  const downloadTemplate = () => {
    const csv = buildTemplateCsv({
      clientId: clients.data?.clients[0]?.clientId,
      scopes: scopes.data?.scopes.map((scope) => scope.name),
    });
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = TEMPLATE_FILE_NAME;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const dryRun = useJobDetail(session.jobId, {
    enabled: session.phase === 'dry-running' || session.phase === 'submitting',
    // While dry runs run (the server's workers ask Authlete) or bad rows are being found
    // (the chunk's dry-run count shows the progress).
    follow: (data) =>
      !data ||
      session.narrowing !== undefined ||
      data.chunks.some(
        (chunk) => chunk.state === 'pending' && (chunk.dryRunState === 'running' || chunk.dryRunState === 'none'),
      ),
  });

  const summary = session.summary;
  const invalid = summary?.invalidRows ?? 0;
  const canDryRun =
    session.phase === 'checked' && summary !== undefined && summary.validRows > 0 && (invalid === 0 || excludeInvalid);
  // Chunks still to be sent; a chunk whose refused rows were excluded is replaced by one with the rest.
  const active = dryRun.data?.chunks.filter((c) => c.state === 'pending') ?? [];
  const checkedCount = active.filter((c) => c.dryRunState === 'succeeded' || c.dryRunState === 'failed').length;
  const dryRunDone =
    dryRun.data !== undefined &&
    session.phase === 'dry-running' &&
    session.sent?.done === session.sent?.total &&
    checkedCount === active.length &&
    !session.narrowing;
  const failed = dryRunDone ? failedDryRuns(dryRun.data!) : [];
  const unnarrowed = failed.filter((c) => session.narrowed?.[c.seq] === undefined);
  const dryRunPassed = dryRunDone && failed.length === 0 && active.length > 0;
  const rowsToSubmit = active.reduce((sum, c) => sum + c.rowCount, 0);
  const failedSeqs = new Set(failed.map((c) => c.seq));
  // Rows still waiting for the admin's decision (earlier rounds were excluded already).
  const refused = (session.refusedRows ?? []).filter((row) => failedSeqs.has(row.chunkSeq));
  const limited = failed.filter((c) => session.narrowed?.[c.seq]?.limitReached);
  const narrowingChunk = session.narrowing && dryRun.data?.chunks.find((c) => c.seq === session.narrowing!.seq);

  // A failed dry run names only its first bad row: find every one before asking the admin anything.
  useEffect(() => {
    if (dryRunDone && unnarrowed.length > 0 && !session.error) void narrowFailedDryRuns(service, dryRun.data!);
  }, [service, dryRunDone, unnarrowed.length, session.error, dryRun.data]);

  const submit = async (detail: JobDetailResponse) => {
    await downloadValuesFile(detail);
    void submitPending(service, detail);
    router.push(servicePath(service, `/batches/${detail.job.id}`));
  };

  return (
    <div className="space-y-6">
      <section aria-labelledby="template-heading" className="space-y-2">
        <h2 id="template-heading" className="text-base font-semibold">
          {t('batches.upload.step1')}
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('batches.upload.fileHelp')}</p>
        <button type="button" className={buttonClass('secondary')} onClick={downloadTemplate} disabled={!factsReady}>
          {t('batches.upload.template')}
        </button>
        <details className="text-sm">
          <summary className="cursor-pointer text-zinc-700 dark:text-zinc-300">{t('batches.upload.columns')}</summary>
          <table className="mt-2 w-full text-left text-sm">
            <thead>
              <tr className="text-zinc-600 dark:text-zinc-400">
                <th className="py-1 pr-3 font-medium">{t('batches.issues.column')}</th>
                <th className="py-1 font-medium">{t('batches.upload.meaning')}</th>
              </tr>
            </thead>
            <tbody>
              {csvColumnDocs.map((doc) => (
                <tr key={doc.column} className="border-t border-zinc-200 dark:border-zinc-800">
                  <td className="py-1 pr-3 font-mono text-xs">
                    {doc.column}
                    {doc.required && (
                      <span className="ml-1 text-red-600 dark:text-red-400">{t('batches.upload.required')}</span>
                    )}
                  </td>
                  <td className="py-1">
                    {t(columnKeys[doc.column], {
                      object: '{"key":"value"}',
                      array: '[{"key":"k","value":"v","hidden":true}]',
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>

      <section aria-labelledby="upload-heading" className="space-y-3">
        <h2 id="upload-heading" className="text-base font-semibold">
          {t('batches.upload.step2')}
        </h2>
        {(clients.error || scopes.error) && (
          <ErrorState error={clients.error ?? scopes.error} title={t('batches.upload.factsFailed')} />
        )}
        <label
          htmlFor={fileInputId}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(event) => {
            event.preventDefault();
            setDragging(false);
            onFile(event.dataTransfer.files[0]);
          }}
          className={cx(
            'flex cursor-pointer flex-col items-center justify-center rounded-md border-2 border-dashed px-6 py-8 text-sm',
            dragging ? 'border-indigo-500 bg-indigo-50 dark:bg-indigo-950/30' : 'border-zinc-300 dark:border-zinc-700',
          )}
        >
          <span className="font-medium">{t('batches.upload.drop')}</span>
          <span className="mt-1 text-zinc-600 dark:text-zinc-400">{t('batches.upload.dropHelp')}</span>
          <input
            id={fileInputId}
            type="file"
            accept=".csv,text/csv"
            className="mt-3 text-sm"
            disabled={!factsReady || session.phase === 'checking' || session.phase === 'submitting'}
            onChange={(event) => {
              onFile(event.target.files?.[0]);
              event.target.value = '';
            }}
          />
        </label>

        {session.phase === 'submitting' && session.jobId && (
          <p role="status" className="text-sm">
            {t.rich('batches.upload.stillSending', {
              job: (chunks) => (
                <ServiceLink
                  href={`/batches/${session.jobId}`}
                  className="text-indigo-700 underline dark:text-indigo-400"
                >
                  {chunks}
                </ServiceLink>
              ),
            })}
          </p>
        )}

        {session.phase === 'checking' && session.progress && (
          <div role="status" aria-live="polite" className="space-y-1">
            <p className="text-sm">
              {t('batches.upload.checking', {
                file: session.fileName ?? '',
                rows: session.progress.rows,
                done: formatBytes(session.progress.bytes),
                total: formatBytes(session.progress.totalBytes),
              })}
            </p>
            <ProgressBar
              value={session.progress.bytes}
              max={session.progress.totalBytes}
              label={t('batches.upload.fileChecked')}
            />
          </div>
        )}

        {session.phase === 'file-error' && session.fileError && (
          <div
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100"
          >
            <p className="font-semibold">{t('batches.upload.cannotUse', { file: session.fileName ?? '' })}</p>
            {session.fileError.texts.length === 0 ? (
              <p className="mt-1">{session.fileError.message}</p>
            ) : (
              session.fileError.texts.map((text, index) => (
                <p key={index} className="mt-1">
                  {t(text.key, text.values)}
                </p>
              ))
            )}
          </div>
        )}

        {summary && session.phase !== 'checking' && session.phase !== 'file-error' && (
          <div className="space-y-3">
            <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" aria-label={t('batches.upload.summary')}>
              <Stat label={t('batches.upload.rows')} value={summary.totalRows} />
              <Stat label={t('batches.upload.valid')} value={summary.validRows} tone="good" />
              <Stat label={t('batches.upload.invalid')} value={invalid} tone={invalid > 0 ? 'bad' : undefined} />
              <Stat
                label={t('batches.upload.toGenerate')}
                value={summary.generatedAccessTokens + summary.generatedRefreshTokens}
              />
            </dl>
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              {t('batches.upload.timing', {
                file: session.fileName ?? '',
                size: formatBytes(summary.bytes),
                page: Math.round(session.pageElapsedMs ?? 0),
                worker: Math.round(session.elapsedMs ?? 0),
              })}
            </p>
            {invalid > 0 && (
              <div className="space-y-2">
                <div className="flex flex-wrap items-center gap-3">
                  <h3 className="text-sm font-semibold">{t('batches.issues.label')}</h3>
                  <button
                    type="button"
                    className={buttonClass('secondary', 'sm')}
                    onClick={() => void downloadErrorReport(locale, messages)}
                  >
                    {t('batches.upload.errorReport')}
                  </button>
                </div>
                <IssueTable issues={session.issues ?? []} invalidRows={invalid} truncated={summary.issuesTruncated} />
                <label className="flex items-start gap-2 text-sm">
                  <input
                    type="checkbox"
                    className="mt-0.5"
                    checked={excludeInvalid}
                    onChange={(event) => setExcludeInvalid(event.target.checked)}
                    disabled={session.phase !== 'checked'}
                  />
                  <span>{t('batches.upload.excludeInvalid', { invalid, valid: summary.validRows })}</span>
                </label>
              </div>
            )}
          </div>
        )}
      </section>

      {summary && (session.phase === 'checked' || session.phase === 'planning' || session.phase === 'dry-running') && (
        <section aria-labelledby="dry-run-heading" className="space-y-3">
          <h2 id="dry-run-heading" className="text-base font-semibold">
            {t('batches.upload.step3')}
          </h2>
          <div className="flex flex-wrap items-end gap-3">
            <label className="flex flex-col gap-1 text-sm">
              {t('batches.upload.chunkSize')}
              <input
                type="number"
                min={1}
                max={MAX_BATCH_TOKENS}
                value={chunkSize}
                onChange={(event) =>
                  setChunkSize(Math.max(1, Math.min(MAX_BATCH_TOKENS, Number(event.target.value) || 1)))
                }
                className={cx(inputClass, 'w-28')}
                disabled={session.phase !== 'checked'}
              />
            </label>
            <button
              type="button"
              className={buttonClass('primary')}
              disabled={!canDryRun}
              onClick={() => void startDryRun(service, chunkSize)}
            >
              {t('batches.upload.dryRun', { count: summary.validRows })}
            </button>
          </div>
          {session.error && session.phase === 'checked' && (
            <ErrorState error={session.error} title={t('batches.upload.dryRunFailed')} />
          )}
          {session.phase === 'dry-running' && session.sent && (
            <div role="status" aria-live="polite" className="space-y-1 text-sm">
              <p>
                {dryRun.data
                  ? t('batches.upload.dryRunProgressChecked', {
                      done: session.sent.done,
                      total: session.sent.total,
                      checked: checkedCount,
                      active: active.length,
                    })
                  : t('batches.upload.dryRunProgress', { done: session.sent.done, total: session.sent.total })}
              </p>
              <ProgressBar value={checkedCount} max={active.length} label={t('batches.upload.dryRunLabel')} />
            </div>
          )}
          {narrowingChunk && session.narrowing && (
            <div role="status" aria-live="polite" className="space-y-1 text-sm">
              <p>
                {t('batches.upload.narrowing', {
                  first: narrowingChunk.firstLine,
                  last: narrowingChunk.lastLine,
                  checks: narrowingChunk.dryRunState === 'running' ? narrowingChunk.checks : 0,
                  batch: session.narrowing.done + 1,
                  batches: session.narrowing.total,
                })}
              </p>
              <ProgressBar
                value={session.narrowing.done}
                max={session.narrowing.total}
                label={t('batches.upload.findingBadRows')}
              />
            </div>
          )}
          {session.error && session.phase === 'dry-running' && dryRun.data && (
            <ErrorState
              error={session.error}
              title={t('batches.upload.narrowFailed')}
              onRetry={unnarrowed.length > 0 ? () => void narrowFailedDryRuns(service, dryRun.data!) : undefined}
            />
          )}
          {dryRunDone && failed.length > 0 && unnarrowed.length === 0 && dryRun.data && (
            <div
              role="alert"
              className="space-y-3 rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100"
            >
              <p className="font-semibold">{t('batches.upload.refused', { count: refused.length })}</p>
              {limited.length > 0 && (
                <p>
                  {t('batches.upload.limited', {
                    lines: limited.map((c) => `${c.firstLine}–${c.lastLine}`).join(', '),
                    max: session.narrowed![limited[0]!.seq]!.maxDryRuns,
                  })}
                </p>
              )}
              <RefusedRowsTable rows={refused} />
              <p>{t('batches.upload.excludedHelp')}</p>
              <div className="flex flex-wrap gap-2">
                <button
                  type="button"
                  className={buttonClass('primary', 'sm')}
                  onClick={() => void excludeRefusedAndDryRun(service, dryRun.data!, () => dryRun.refetch())}
                  disabled={refused.length === 0}
                >
                  {t('batches.upload.excludeRefused', { count: refused.length })}
                </button>
                <button
                  type="button"
                  className={buttonClass('secondary', 'sm')}
                  onClick={() => void downloadErrorReport(locale, messages)}
                >
                  {t('batches.upload.errorReport')}
                </button>
                <button type="button" className={buttonClass('secondary', 'sm')} onClick={resetSession}>
                  {t('batches.upload.startOver')}
                </button>
              </div>
            </div>
          )}
          {dryRunDone && active.length === 0 && (
            <p role="status" className="text-sm">
              {t('batches.upload.allExcluded')}
            </p>
          )}
          {dryRunPassed && dryRun.data && (
            <div className="space-y-3 rounded-md border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-950 dark:border-emerald-900/60 dark:bg-emerald-950/30 dark:text-emerald-100">
              <p className="font-semibold" role="status">
                {session.excludedRefused
                  ? t('batches.upload.passedExcluded', { count: rowsToSubmit, excluded: session.excludedRefused })
                  : t('batches.upload.passed', { count: rowsToSubmit })}
              </p>
              {session.excludedRefused ? (
                <div className="flex flex-wrap items-center gap-2">
                  <span>{t('batches.upload.excludedListed')}</span>
                  <button
                    type="button"
                    className={buttonClass('secondary', 'sm')}
                    onClick={() => void downloadErrorReport(locale, messages)}
                  >
                    {t('batches.upload.errorReport')}
                  </button>
                </div>
              ) : null}
              {dryRun.data.job.generatedRows > 0 ? (
                <p>{t('batches.upload.generated', { count: dryRun.data.job.generatedRows })}</p>
              ) : (
                <p>{t('batches.upload.supplied')}</p>
              )}
              <button type="button" className={buttonClass('primary')} onClick={() => void submit(dryRun.data!)}>
                {dryRun.data.job.generatedRows > 0
                  ? t('batches.upload.downloadAndSubmit', { count: rowsToSubmit })
                  : t('batches.upload.submit', { count: rowsToSubmit })}
              </button>
            </div>
          )}
        </section>
      )}
    </div>
  );
}

function Stat({ label, value, tone }: { label: string; value: number; tone?: 'good' | 'bad' }) {
  return (
    <div className="rounded-md border border-zinc-200 px-3 py-2 dark:border-zinc-800">
      <dt className="text-xs text-zinc-600 dark:text-zinc-400">{label}</dt>
      <dd
        className={cx(
          'text-lg font-semibold tabular-nums',
          tone === 'good' && 'text-emerald-700 dark:text-emerald-400',
          tone === 'bad' && 'text-red-700 dark:text-red-400',
        )}
      >
        {value.toLocaleString()}
      </dd>
    </div>
  );
}
