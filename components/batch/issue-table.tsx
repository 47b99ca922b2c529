import { useTranslations } from 'next-intl';
import { describeIssue, type CsvTranslate } from '@/lib/csv/messages';
import type { RowIssue } from '@/lib/csv/preflight';
import { ISSUES_SHOWN } from '@/lib/csv/worker-protocol';

/** Invalid rows of a checked file: line, column and what to fix. */
export function IssueTable({
  issues,
  invalidRows,
  truncated,
}: {
  issues: readonly RowIssue[];
  invalidRows: number;
  truncated: boolean;
}) {
  const t = useTranslations();
  return (
    <div className="space-y-1">
      <div className="relative max-h-96 overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm" aria-label={t('batches.issues.label')}>
          <thead className="sticky top-0 bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-2 py-1.5 font-medium">
                {t('batches.issues.line')}
              </th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                {t('batches.issues.column')}
              </th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                {t('batches.issues.value')}
              </th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                {t('batches.issues.problem')}
              </th>
            </tr>
          </thead>
          <tbody>
            {issues.map((issue, i) => (
              <tr key={i} className="border-t border-zinc-200 align-top dark:border-zinc-800">
                <td className="px-2 py-1 tabular-nums">{issue.line}</td>
                <td className="px-2 py-1 font-mono text-xs">{issue.column ?? t('batches.issues.row')}</td>
                <td className="max-w-48 truncate px-2 py-1 font-mono text-xs" title={issue.value}>
                  {issue.value}
                </td>
                <td className="px-2 py-1">{describeIssue(issue, t as CsvTranslate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(truncated || issues.length >= ISSUES_SHOWN) && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          {truncated
            ? t('batches.issues.shownTruncated', { shown: issues.length, invalid: invalidRows })
            : t('batches.issues.shownAll', { shown: issues.length, invalid: invalidRows })}
        </p>
      )}
    </div>
  );
}
