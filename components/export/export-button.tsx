'use client';

import Link from 'next/link';
import { useRef, useState } from 'react';
import { toast } from '@/components/ui/toast';
import { plural } from '@/lib/format';
import { EXPORT_IN_BROWSER_MAX_ROWS, type ExportJob } from '@/lib/schemas/export';
import { buttonClass } from '@/components/ui/button';
import { ErrorDescription } from '@/components/ui/states';
import { exportFileName, type ExportProgress } from './paged-export';
import { exportDownloadHref, useExport } from '@/components/data/exports';

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
  /** Singular noun for the toast ("token"). */
  noun: string;
  /** Extra words after the count in the toast ("(hashes only)"). */
  note?: string;
  /** Rows the export would hold (the list's total), when known. */
  totalCount: number | undefined;
  /** Starts the export as a job on the server: used above EXPORT_IN_BROWSER_MAX_ROWS rows. */
  startJob: () => Promise<ExportJob>;
}

function ProgressBar({ done, total }: ExportProgress) {
  return (
    <>
      <progress className="h-2 w-32 accent-indigo-600" max={total || 1} value={done} aria-label="Export progress" />
      <span>{total ? `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}` : 'Starting…'}</span>
    </>
  );
}

/** A job's progress, then its download link; the person may leave: the job runs on the server. */
function ExportJobStatus({ id, onClose }: { id: string; onClose: () => void }) {
  const job = useExport(id).data;
  const close = (
    <button type="button" className={buttonClass('ghost', 'sm')} onClick={onClose}>
      Close
    </button>
  );
  if (job?.state === 'succeeded') {
    return (
      <div className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" role="status">
        <span>Export ready: {plural(job.rowsDone, 'row')}.</span>
        <a href={exportDownloadHref(id)} download className={buttonClass('primary', 'sm')}>
          Download CSV
        </a>
        {close}
      </div>
    );
  }
  if (job?.state === 'failed') {
    return (
      <div className="flex items-center gap-2 text-xs text-red-700 dark:text-red-400" role="alert">
        <span>Export failed: {job.error}</span>
        {close}
      </div>
    );
  }
  return (
    <div className="flex flex-wrap items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" role="status">
      <ProgressBar done={job?.rowsDone ?? 0} total={job?.rowsTotal ?? 0} />
      <span>
        Runs on the server: you may leave; it stays under{' '}
        <Link href="/batches" className="font-medium text-indigo-700 hover:underline dark:text-indigo-400">
          Jobs
        </Link>
        .
      </span>
    </div>
  );
}

/**
 * "Export CSV": a list of up to EXPORT_IN_BROWSER_MAX_ROWS rows is fetched page by page in the
 * browser (progress bar, Cancel); a longer one is exported by a job on the server.
 */
export function ExportButton({ run, filePrefix, noun, note, totalCount, startJob }: ExportButtonProps) {
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
      toast.success(`Exported ${plural(count, noun)}${note ? ` ${note}` : ''}.`);
    } catch (error) {
      if (controller.signal.aborted) toast.info('Export cancelled; nothing was saved.');
      else toast.error('The export failed', { description: <ErrorDescription error={error} /> });
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
      toast.error('The export could not start', { description: <ErrorDescription error={error} /> });
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
          Cancel
        </button>
      </div>
    );
  }
  return (
    <button type="button" className={buttonClass('secondary')} onClick={start} disabled={starting}>
      Export CSV
    </button>
  );
}
