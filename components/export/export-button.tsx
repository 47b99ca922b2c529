'use client';

import { useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { toast } from '@/components/ui/toast';
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
  /** What is exported, for the toast's whole sentence ("Exported 12 tokens (hashes only)."). */
  noun: keyof typeof doneKeys;
}

const doneKeys = { token: 'export.doneTokens', entry: 'export.doneEntries' } as const;

/** "Export CSV" with a progress bar and Cancel while pages are fetched. */
export function ExportButton({ run, filePrefix, noun }: ExportButtonProps) {
  const t = useTranslations();
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const abortRef = useRef<AbortController | null>(null);

  async function start() {
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

  if (progress) {
    return (
      <div className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400" role="status">
        <progress
          className="h-2 w-32 accent-indigo-600"
          max={progress.total || 1}
          value={progress.done}
          aria-label={t('export.progress')}
        />
        <span>
          {progress.total
            ? t('export.progressCount', { done: progress.done, total: progress.total })
            : t('export.starting')}
        </span>
        <button type="button" className={buttonClass('ghost', 'sm')} onClick={() => abortRef.current?.abort()}>
          {t('common.cancel')}
        </button>
      </div>
    );
  }
  return (
    <button type="button" className={buttonClass('secondary')} onClick={start}>
      {t('export.button')}
    </button>
  );
}
