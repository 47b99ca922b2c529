import type { JobState } from '@/lib/schemas/issue-job';
import { useTranslations } from 'next-intl';
import { cx } from '@/components/ui/cx';

const labels = {
  draft: 'batches.state.draft',
  submitting: 'batches.state.submitting',
  processing: 'batches.state.processing',
  attention: 'batches.state.attention',
  completed: 'batches.state.completed',
} as const satisfies Record<JobState, string>;

const tones: Record<JobState, string> = {
  draft: 'bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
  submitting: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  processing: 'bg-indigo-100 text-indigo-900 dark:bg-indigo-950 dark:text-indigo-200',
  attention: 'bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200',
  completed: 'bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200',
};

export function JobStateBadge({ state }: { state: JobState }) {
  const t = useTranslations();
  return (
    <span
      data-job-state={state}
      className={cx('inline-flex rounded-full px-2 py-0.5 text-xs font-medium', tones[state])}
    >
      {t(labels[state])}
    </span>
  );
}
