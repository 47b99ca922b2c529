'use client';

import { useRef, useState } from 'react';
import { toast } from '@/components/ui/toast';
import { plural } from '@/lib/format';
import { buttonClass } from '@/components/ui/button';
import { ErrorDescription } from '@/components/ui/states';
import { exportFileName, type ExportProgress } from './paged-export';

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
}

/** "Export CSV" with a progress bar and Cancel while pages are fetched. */
export function ExportButton({ run, filePrefix, noun, note }: ExportButtonProps) {
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const abortRef = useRef<AbortController | null>(null);

  async function start() {
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

  if (progress) {
    return (
      <div className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" role="status">
        <progress
          className="h-2 w-32 accent-indigo-600"
          max={progress.total || 1}
          value={progress.done}
          aria-label="Export progress"
        />
        <span>
          {progress.total
            ? `${progress.done.toLocaleString('en-US')} of ${progress.total.toLocaleString('en-US')}`
            : 'Starting…'}
        </span>
        <button type="button" className={buttonClass('ghost', 'sm')} onClick={() => abortRef.current?.abort()}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <button type="button" className={buttonClass('secondary')} onClick={start}>
      Export CSV
    </button>
  );
}
