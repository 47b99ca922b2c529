import { describeRefusedRow } from '@/lib/csv/error-report';
import type { RowOutcome } from '@/lib/schemas/issue-job';

/**
 * Rows Authlete refused (in a dry run, or in a job that has run): line, what it means in plain
 * words, and Authlete's own error.
 */
export function RefusedRowsTable({
  rows,
  label = 'Rows Authlete refused',
}: {
  rows: readonly RowOutcome[];
  label?: string;
}) {
  return (
    <div className="relative max-h-96 overflow-auto rounded-md border border-zinc-200 bg-white text-zinc-900 dark:border-zinc-800 dark:bg-zinc-950 dark:text-zinc-100">
      <table className="w-full text-left text-sm" aria-label={label}>
        <thead className="sticky top-0 bg-zinc-50 text-xs text-zinc-600 dark:bg-zinc-900 dark:text-zinc-400">
          <tr>
            <th scope="col" className="px-2 py-1.5 font-medium">
              Line
            </th>
            <th scope="col" className="px-2 py-1.5 font-medium">
              Problem
            </th>
            <th scope="col" className="px-2 py-1.5 font-medium">
              Authlete error
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
                {describeRefusedRow({ outcome: row.outcome, errorCode: null, errorDescription: null })}
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
