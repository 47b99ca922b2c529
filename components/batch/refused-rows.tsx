import { useTranslations } from 'next-intl';
import type { RowOutcome } from '@/lib/schemas/issue-job';

/**
 * Rows Authlete refused (in a dry run, or in a job that has run): line, what it means in plain
 * words, and Authlete's own error.
 */
export function RefusedRowsTable({ rows, label }: { rows: readonly RowOutcome[]; label?: string }) {
  const t = useTranslations();
  return (
    <div className="relative max-h-96 overflow-auto rounded-md border border-zinc-200 bg-white text-zinc-900 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100">
      <table className="w-full text-left text-sm" aria-label={label ?? t('batches.refused.label')}>
        <thead className="sticky top-0 bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-2 py-1.5 font-medium">
              {t('batches.issues.line')}
            </th>
            <th scope="col" className="px-2 py-1.5 font-medium">
              {t('batches.issues.problem')}
            </th>
            <th scope="col" className="px-2 py-1.5 font-medium">
              {t('batches.refused.authleteError')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.rowIndex}
              data-outcome={row.outcome}
              className="border-t border-zinc-200 align-top dark:border-zinc-800"
            >
              <td className="px-2 py-1 tabular-nums">{row.line}</td>
              <td className="px-2 py-1">
                {row.outcome === 'already_present' ? t('batches.refused.alreadyPresent') : t('batches.refused.refused')}
              </td>
              <td className="px-2 py-1">
                {row.errorCode && <code className="mr-1 font-mono text-xs">{row.errorCode}</code>}
                {row.errorDescription?.replace(/^\[[A-Z0-9]+\]\s*/, '')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
