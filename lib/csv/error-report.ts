import { csvCell, csvLine, UTF8_BOM } from './csv-writer';
import type { RowOutcome } from '@/lib/schemas/issue-job';
import type { RowIssue } from './preflight';

/**
 * The downloadable list of invalid rows. Every cell goes through `csvCell`, so a hostile value
 * such as `=HYPERLINK(...)` in the uploaded file shows as text when the report is opened in a
 * spreadsheet instead of running.
 */
export function buildErrorReportCsv(
  issues: readonly RowIssue[],
  { truncated = false }: { truncated?: boolean } = {},
): string {
  let csv = UTF8_BOM + csvLine(['line', 'column', 'value', 'problem'].map(csvCell));
  for (const issue of issues) {
    csv += csvLine([
      csvCell(issue.line),
      csvCell(issue.column ?? ''),
      csvCell(issue.value ?? ''),
      csvCell(issue.message),
    ]);
  }
  if (truncated) {
    csv += csvLine([
      csvCell(''),
      csvCell(''),
      csvCell(''),
      csvCell(`Only the first ${issues.length} problems are listed; fix these and check the file again.`),
    ]);
  }
  return csv;
}

export function errorReportFileName(fileName: string): string {
  return `${fileName.replace(/\.csv$/i, '')}-errors.csv`;
}

/** A row Authlete refused in a dry run, in plain words: what it means, then Authlete's own code and description. */
export function describeRefusedRow(row: Pick<RowOutcome, 'outcome' | 'errorCode' | 'errorDescription'>): string {
  const plain =
    row.outcome === 'already_present'
      ? 'Already present in Authlete: a token with this access token value exists (from an earlier run or another system).'
      : 'Refused by Authlete.';
  const authlete = row.errorDescription ?? row.errorCode;
  return authlete ? `${plain} Authlete: ${authlete}` : plain;
}

/** Rows a dry run refused, as error report lines (after the file's own problems). */
export function refusedRowIssues(
  rows: readonly Pick<RowOutcome, 'line' | 'outcome' | 'errorCode' | 'errorDescription'>[],
): RowIssue[] {
  return rows.map((row) => ({
    line: row.line,
    column: row.outcome === 'already_present' ? 'accessToken' : undefined,
    message: describeRefusedRow(row),
  }));
}
