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
  return (
    <div className="space-y-1">
      <div className="relative max-h-96 overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm" aria-label="Invalid rows">
          <thead className="sticky top-0 bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-2 py-1.5 font-medium">
                Line
              </th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                Column
              </th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                Value
              </th>
              <th scope="col" className="px-2 py-1.5 font-medium">
                Problem
              </th>
            </tr>
          </thead>
          <tbody>
            {issues.map((issue, i) => (
              <tr key={i} className="border-t border-zinc-200 align-top dark:border-zinc-800">
                <td className="px-2 py-1 tabular-nums">{issue.line}</td>
                <td className="px-2 py-1 font-mono text-xs">{issue.column ?? '(row)'}</td>
                <td className="max-w-48 truncate px-2 py-1 font-mono text-xs" title={issue.value}>
                  {issue.value}
                </td>
                <td className="px-2 py-1">{issue.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {(truncated || issues.length >= ISSUES_SHOWN) && (
        <p className="text-xs text-zinc-600 dark:text-zinc-400">
          Showing the first {issues.length.toLocaleString()} problems of {invalidRows.toLocaleString()} invalid rows;
          the error report lists {truncated ? 'the first 100,000' : 'all of them'}.
        </p>
      )}
    </div>
  );
}
