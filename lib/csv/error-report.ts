import { csvCell, csvLine, UTF8_BOM } from './csv-writer';
import type { RowIssue } from './preflight';

/**
 * The downloadable list of invalid rows. Every cell goes through `csvCell`, so a hostile value
 * such as `=HYPERLINK(...)` in the uploaded file shows as text when the report is opened in a
 * spreadsheet instead of running.
 */
export function buildErrorReportCsv(issues: readonly RowIssue[], { truncated = false }: { truncated?: boolean } = {}): string {
  let csv = UTF8_BOM + csvLine(['line', 'column', 'value', 'problem'].map(csvCell));
  for (const issue of issues) {
    csv += csvLine([csvCell(issue.line), csvCell(issue.column ?? ''), csvCell(issue.value ?? ''), csvCell(issue.message)]);
  }
  if (truncated) {
    csv += csvLine([csvCell(''), csvCell(''), csvCell(''), csvCell(`Only the first ${issues.length} problems are listed; fix these and check the file again.`)]);
  }
  return csv;
}

export function errorReportFileName(fileName: string): string {
  return `${fileName.replace(/\.csv$/i, '')}-errors.csv`;
}
