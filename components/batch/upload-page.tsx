'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useId, useMemo, useState } from 'react';
import { csvColumnDocs } from '@/lib/csv/columns';
import { formatBytes } from '@/lib/csv/preflight';
import { buildTemplateCsv, TEMPLATE_FILE_NAME } from '@/lib/csv/template';
import { MAX_BATCH_TOKENS } from '@/lib/schemas/batch';
import type { JobDetailResponse } from '@/lib/schemas/issue-job';
import { useClients } from '@/components/tokens/queries';
import { useScopes } from '@/components/tokens/use-scopes';
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
import { jobQueryKeys, jobsApi } from './jobs-api';
import { IssueTable } from './issue-table';
import { ProgressBar } from './progress-bar';
import { RefusedRowsTable } from './refused-rows';
import { nextPollDelay } from './polling';

const DEFAULT_CHUNK_SIZE = 500;

export function UploadPage() {
  const session = useBatchSession();
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

  const dryRun = useQuery({
    queryKey: jobQueryKeys.detail(session.jobId ?? 'none'),
    queryFn: ({ signal }) => jobsApi.get(session.jobId!, signal),
    enabled: session.jobId !== undefined && (session.phase === 'dry-running' || session.phase === 'submitting'),
    refetchInterval: (query) => {
      const data = query.state.data;
      // While bad rows are being found, the chunk's dry-run count shows the progress.
      if (
        !data ||
        session.narrowing ||
        data.chunks.some(
          (chunk) => chunk.state === 'pending' && (chunk.dryRunState === 'running' || chunk.dryRunState === 'none'),
        )
      ) {
        return nextPollDelay(query.state.dataUpdateCount);
      }
      return false;
    },
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
    if (dryRunDone && unnarrowed.length > 0 && !session.error) void narrowFailedDryRuns(dryRun.data!);
  }, [dryRunDone, unnarrowed.length, session.error, dryRun.data]);

  const submit = async (detail: JobDetailResponse) => {
    await downloadValuesFile(detail);
    void submitPending(detail);
    router.push(`/batches/${detail.job.id}`);
  };

  return (
    <div className="space-y-6">
      <section aria-labelledby="template-heading" className="space-y-2">
        <h2 id="template-heading" className="text-base font-semibold">
          1. Prepare the file
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A comma-separated file in UTF-8 (with or without BOM) with a header row. Column names are matched regardless
          of case and spacing.
        </p>
        <button type="button" className={buttonClass('secondary')} onClick={downloadTemplate} disabled={!factsReady}>
          Download the CSV template
        </button>
        <details className="text-sm">
          <summary className="cursor-pointer text-zinc-700 dark:text-zinc-300">Columns</summary>
          <table className="mt-2 w-full text-left text-sm">
            <thead>
              <tr className="text-zinc-600 dark:text-zinc-400">
                <th className="py-1 pr-3 font-medium">Column</th>
                <th className="py-1 font-medium">Meaning</th>
              </tr>
            </thead>
            <tbody>
              {csvColumnDocs.map((doc) => (
                <tr key={doc.column} className="border-t border-zinc-200 dark:border-zinc-800">
                  <td className="py-1 pr-3 font-mono text-xs">
                    {doc.column}
                    {doc.required && <span className="ml-1 text-red-600 dark:text-red-400">(required)</span>}
                  </td>
                  <td className="py-1">{doc.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </section>

      <section aria-labelledby="upload-heading" className="space-y-3">
        <h2 id="upload-heading" className="text-base font-semibold">
          2. Check the file
        </h2>
        {(clients.error || scopes.error) && (
          <ErrorState error={clients.error ?? scopes.error} title="Could not load the service's clients and scopes" />
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
          <span className="font-medium">Drop a CSV file here, or choose one</span>
          <span className="mt-1 text-zinc-600 dark:text-zinc-400">
            Checked in your browser; nothing is sent until you run the dry run.
          </span>
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
            This tab is still sending the batches of{' '}
            <Link href={`/batches/${session.jobId}`} className="text-indigo-700 underline dark:text-indigo-400">
              the current job
            </Link>
            ; choose the next file once they are sent.
          </p>
        )}

        {session.phase === 'checking' && session.progress && (
          <div role="status" aria-live="polite" className="space-y-1">
            <p className="text-sm">
              Checking {session.fileName}: {session.progress.rows.toLocaleString()} rows (
              {formatBytes(session.progress.bytes)} of {formatBytes(session.progress.totalBytes)})
            </p>
            <ProgressBar value={session.progress.bytes} max={session.progress.totalBytes} label="File checked" />
          </div>
        )}

        {session.phase === 'file-error' && session.fileError && (
          <div
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100"
          >
            <p className="font-semibold">{session.fileName} cannot be used</p>
            <p className="mt-1">{session.fileError.message}</p>
          </div>
        )}

        {summary && session.phase !== 'checking' && session.phase !== 'file-error' && (
          <div className="space-y-3">
            <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" aria-label="Check summary">
              <Stat label="Rows" value={summary.totalRows} />
              <Stat label="Valid" value={summary.validRows} tone="good" />
              <Stat label="Invalid" value={invalid} tone={invalid > 0 ? 'bad' : undefined} />
              <Stat label="Values to generate" value={summary.generatedAccessTokens + summary.generatedRefreshTokens} />
            </dl>
            <p className="text-xs text-zinc-600 dark:text-zinc-400">
              {session.fileName}: {formatBytes(summary.bytes)} checked in {Math.round(session.pageElapsedMs ?? 0)} ms (
              {Math.round(session.elapsedMs ?? 0)} ms in the worker).
            </p>
            {invalid > 0 && (
              <div className="space-y-2">
                <div className="flex flex-wrap items-center gap-3">
                  <h3 className="text-sm font-semibold">Invalid rows</h3>
                  <button
                    type="button"
                    className={buttonClass('secondary', 'sm')}
                    onClick={() => void downloadErrorReport()}
                  >
                    Download the error report (CSV)
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
                  <span>
                    Exclude the {invalid.toLocaleString()} invalid rows and issue only the{' '}
                    {summary.validRows.toLocaleString()} valid ones. Otherwise fix the file and choose it again.
                  </span>
                </label>
              </div>
            )}
          </div>
        )}
      </section>

      {summary && (session.phase === 'checked' || session.phase === 'planning' || session.phase === 'dry-running') && (
        <section aria-labelledby="dry-run-heading" className="space-y-3">
          <h2 id="dry-run-heading" className="text-base font-semibold">
            3. Dry run, then submit
          </h2>
          <div className="flex flex-wrap items-end gap-3">
            <label className="flex flex-col gap-1 text-sm">
              Rows per Authlete batch
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
              onClick={() => void startDryRun(chunkSize)}
            >
              Dry run {summary.validRows.toLocaleString()} rows
            </button>
          </div>
          {session.error && session.phase === 'checked' && (
            <ErrorState error={session.error} title="The dry run could not be started" />
          )}
          {session.phase === 'dry-running' && session.sent && (
            <div role="status" aria-live="polite" className="space-y-1 text-sm">
              <p>
                Dry run: {session.sent.done} of {session.sent.total} batches sent
                {dryRun.data && `, ${checkedCount} of ${active.length} checked by Authlete`}.
              </p>
              <ProgressBar value={checkedCount} max={active.length} label="Dry run" />
            </div>
          )}
          {narrowingChunk && session.narrowing && (
            <div role="status" aria-live="polite" className="space-y-1 text-sm">
              <p>
                Authlete stops a dry run at the first bad row, so Token Desk is finding every bad row: lines{' '}
                {narrowingChunk.firstLine}–{narrowingChunk.lastLine}
                {narrowingChunk.dryRunState === 'running' &&
                  narrowingChunk.checks > 0 &&
                  `, ${narrowingChunk.checks} extra dry runs so far`}{' '}
                (batch {session.narrowing.done + 1} of {session.narrowing.total}).
              </p>
              <ProgressBar value={session.narrowing.done} max={session.narrowing.total} label="Finding bad rows" />
            </div>
          )}
          {session.error && session.phase === 'dry-running' && dryRun.data && (
            <ErrorState
              error={session.error}
              title="Finding or excluding the bad rows did not finish"
              onRetry={unnarrowed.length > 0 ? () => void narrowFailedDryRuns(dryRun.data!) : undefined}
            />
          )}
          {dryRunDone && failed.length > 0 && unnarrowed.length === 0 && dryRun.data && (
            <div
              role="alert"
              className="space-y-3 rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-900 dark:border-red-900/60 dark:bg-red-950/40 dark:text-red-100"
            >
              <p className="font-semibold">
                Authlete refused {refused.length.toLocaleString()} {refused.length === 1 ? 'row' : 'rows'} in the dry
                run; nothing was created.
              </p>
              {limited.length > 0 && (
                <p>
                  {limited.map((c) => `Lines ${c.firstLine}–${c.lastLine}`).join(', ')}: stopped after{' '}
                  {session.narrowed![limited[0]!.seq]!.maxDryRuns} extra dry runs, so more bad rows may remain there. If
                  you exclude the rows found, the rest is dry-run again and checked the same way; with many bad rows,
                  fixing the file is faster.
                </p>
              )}
              <RefusedRowsTable rows={refused} />
              <p>
                Excluded rows are not created. The other rows of these batches are dry-run again before anything is
                sent; or fix the file and start over.
              </p>
              <div className="flex flex-wrap gap-2">
                <button
                  type="button"
                  className={buttonClass('primary', 'sm')}
                  onClick={() => void excludeRefusedAndDryRun(dryRun.data!, () => dryRun.refetch())}
                  disabled={refused.length === 0}
                >
                  Exclude these {refused.length.toLocaleString()} rows and dry-run the rest
                </button>
                <button
                  type="button"
                  className={buttonClass('secondary', 'sm')}
                  onClick={() => void downloadErrorReport()}
                >
                  Download the error report (CSV)
                </button>
                <button type="button" className={buttonClass('secondary', 'sm')} onClick={resetSession}>
                  Start over with a corrected file
                </button>
              </div>
            </div>
          )}
          {dryRunDone && active.length === 0 && (
            <p role="status" className="text-sm">
              Every row was excluded; there is nothing left to submit.
            </p>
          )}
          {dryRunPassed && dryRun.data && (
            <div className="space-y-3 rounded-md border border-emerald-200 bg-emerald-50 p-4 text-sm text-emerald-950 dark:border-emerald-900/60 dark:bg-emerald-950/30 dark:text-emerald-100">
              <p className="font-semibold" role="status">
                {session.excludedRefused
                  ? `Dry run passed: Authlete accepts the other ${rowsToSubmit.toLocaleString()} rows (${session.excludedRefused.toLocaleString()} refused rows excluded).`
                  : `Dry run passed: Authlete accepts all ${rowsToSubmit.toLocaleString()} rows.`}
              </p>
              {session.excludedRefused ? (
                <div className="flex flex-wrap items-center gap-2">
                  <span>The excluded rows are listed in the error report.</span>
                  <button
                    type="button"
                    className={buttonClass('secondary', 'sm')}
                    onClick={() => void downloadErrorReport()}
                  >
                    Download the error report (CSV)
                  </button>
                </div>
              ) : null}
              {dryRun.data.job.generatedRows > 0 ? (
                <p>
                  Token values for {dryRun.data.job.generatedRows.toLocaleString()} rows were generated in this browser.
                  When you submit, they are downloaded once as a CSV file (line, subject, client, access token, refresh
                  token). Keep it safe: Token Desk&apos;s server never stores or logs token values, and Authlete never
                  shows them again.
                </p>
              ) : (
                <p>Every row supplies its own token values; Token Desk&apos;s server never stores or logs them.</p>
              )}
              <button type="button" className={buttonClass('primary')} onClick={() => void submit(dryRun.data!)}>
                {dryRun.data.job.generatedRows > 0 ? 'Download the values and submit' : 'Submit'}{' '}
                {rowsToSubmit.toLocaleString()} tokens
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
