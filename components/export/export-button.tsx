'use client';

import { ServiceLink } from '@/components/shell/service-link';
import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { toast } from '@/components/ui/toast';
import { EXPORT_IN_BROWSER_MAX_ROWS } from '@/lib/schemas/export-limits';
import type { ExportJob } from '@/lib/schemas/export';
import { buttonClass } from '@/components/ui/button';
import { ErrorDescription } from '@/components/ui/states';
import { exportFileName, type ExportProgress } from './paged-export';
import { useExportDownloadHref, useExport } from '@/components/data/exports';

function download(parts: string[], fileName: string) {
  const url = URL.createObjectURL(new Blob(parts, { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

interface ExportButtonProps {
  /** Collects the CSV; must report progress and stop when the signal aborts. */
  run: (
    onProgress: (progress: ExportProgress) => void,
    signal: AbortSignal,
  ) => Promise<{ parts: string[]; count: number }>;
  /** File name prefix ("tokens" → tokens-2025-11-25T1403Z.csv). */
  filePrefix: string;
  /** What is exported, for the toast's whole sentence ("Exported 12 tokens (hashes only)."). */
  noun: keyof typeof doneKeys;
  /** Rows the export would hold (the list's total), when known. */
  totalCount: number | undefined;
  /** Starts the export as a job on the server: used above EXPORT_IN_BROWSER_MAX_ROWS rows. */
  startJob: () => Promise<ExportJob>;
}

const doneKeys = { token: 'export.doneTokens', entry: 'export.doneEntries' } as const;

function ProgressBar({ done, total }: ExportProgress) {
  const t = useTranslations();
  return (
    <>
      <progress
        className="h-2 w-32 accent-indigo-600"
        max={total || 1}
        value={done}
        aria-label={t('export.progress')}
      />
      <span>{total ? t('export.progressCount', { done, total }) : t('export.starting')}</span>
    </>
  );
}

/** A job's progress, then its download link; the person may leave: the job runs on the server. */
function ExportJobStatus({ id, onClose }: { id: string; onClose: () => void }) {
  const exportDownloadHref = useExportDownloadHref();
  const t = useTranslations();
  const job = useExport(id).data;
  const close = (
    <button type="button" className={buttonClass('ghost', 'sm')} onClick={onClose}>
      {t('common.close')}
    </button>
  );
  if (job?.state === 'succeeded') {
    return (
      <div className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" role="status">
        <span>{t('export.jobReady', { count: job.rowsDone })}</span>
        <a href={exportDownloadHref(id)} download className={buttonClass('primary', 'sm')}>
          {t('export.download')}
        </a>
        {close}
      </div>
    );
  }
  if (job?.state === 'failed') {
    return (
      <div className="flex items-center gap-2 text-xs text-red-700 dark:text-red-400" role="alert">
        <span>{t('export.jobFailed', { error: job.error ?? '' })}</span>
        {close}
      </div>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" role="status">
      <ProgressBar done={job?.rowsDone ?? 0} total={job?.rowsTotal ?? 0} />
      <span>
        {t.rich('export.jobRunsOnServer', {
          jobs: (chunks) => (
            <ServiceLink href="/batches" className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
              {chunks}
            </ServiceLink>
          ),
        })}
      </span>
    </div>
  );
}

/**
 * "Export CSV": a list of up to EXPORT_IN_BROWSER_MAX_ROWS rows is fetched page by page in the
 * browser (progress bar, Cancel); a longer one is exported by a job on the server.
 */
export function ExportButton({ run, filePrefix, noun, totalCount, startJob }: ExportButtonProps) {
  const t = useTranslations();
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const abortRef = useRef<AbortController | null>(null);

  async function start() {
    if (totalCount !== undefined && totalCount > EXPORT_IN_BROWSER_MAX_ROWS) return startOnServer();
    const controller = new AbortController();
    abortRef.current = controller;
    setProgress({ done: 0, total: 0 });
    try {
      const { parts, count } = await run(setProgress, controller.signal);
      download(parts, exportFileName(filePrefix));
      toast.success(t(doneKeys[noun], { count }));
    } catch (error) {
      if (controller.signal.aborted) toast.info(t('export.cancelled'));
      else toast.error(t('export.failed'), { description: <ErrorDescription error={error} /> });
    } finally {
      abortRef.current = null;
      setProgress(null);
    }
  }

  async function startOnServer() {
    setStarting(true);
    try {
      setJobId((await startJob()).id);
    } catch (error) {
      toast.error(t('export.couldNotStart'), { description: <ErrorDescription error={error} /> });
    } finally {
      setStarting(false);
    }
  }

  if (jobId) return <ExportJobStatus id={jobId} onClose={() => setJobId(null)} />;
  if (progress) {
    return (
      <div className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" role="status">
        <ProgressBar {...progress} />
        <button type="button" className={buttonClass('ghost', 'sm')} onClick={() => abortRef.current?.abort()}>
          {t('common.cancel')}
        </button>
      </div>
    );
  }
  return (
    <button type="button" className={buttonClass('secondary')} onClick={start} disabled={starting}>
      {t('export.button')}
    </button>
  );
}
