import { csvCell, csvLine, UTF8_BOM } from './csv-writer';
import type { RowOutcome } from '@/lib/schemas/issue-job';
import { describeIssue, type CsvText, type CsvTranslate } from './messages';
import type { RowIssue } from './preflight';

/**
 * The downloadable list of invalid rows, in the person's language (`t`). Every cell goes through
 * `csvCell`, so a hostile value such as `=HYPERLINK(...)` in the uploaded file shows as text when
 * the report is opened in a spreadsheet instead of running.
 */
export function buildErrorReportCsv(
  issues: readonly RowIssue[],
  { truncated = false, t }: { truncated?: boolean; t: CsvTranslate },
): string {
  let csv =
    UTF8_BOM +
    csvLine(
      [
        t('batches.issues.line'),
        t('batches.issues.column'),
        t('batches.issues.value'),
        t('batches.issues.problem'),
      ].map(csvCell),
    );
  for (const issue of issues) {
    csv += csvLine([
      csvCell(issue.line),
      csvCell(issue.column ?? ''),
      csvCell(issue.value ?? ''),
      csvCell(describeIssue(issue, t)),
    ]);
  }
  if (truncated) {
    csv += csvLine([
      csvCell(''),
      csvCell(''),
      csvCell(''),
      csvCell(t('batches.csv.reportTruncated', { count: issues.length })),
    ]);
  }
  return csv;
}

export function errorReportFileName(fileName: string): string {
  return `${fileName.replace(/\.csv$/i, '')}-errors.csv`;
}

/** A row Authlete refused in a dry run, in plain words: what it means, then Authlete's own code and description. */
function describeRefusedRow(row: Pick<RowOutcome, 'outcome' | 'errorCode' | 'errorDescription'>): {
  message: string;
  text: CsvText;
} {
  const present = row.outcome === 'already_present';
  const plain = present
    ? 'Already present in Authlete: a token with this access token value exists (from an earlier run or another system).'
    : 'Refused by Authlete.';
  const authlete = row.errorDescription ?? row.errorCode;
  if (!authlete) {
    return { message: plain, text: { key: present ? 'batches.refused.alreadyPresent' : 'batches.refused.refused' } };
  }
  return {
    message: `${plain} Authlete: ${authlete}`,
    // Authlete's own words stay as Authlete said them.
    text: {
      key: present ? 'batches.csv.alreadyPresentAuthlete' : 'batches.csv.refusedAuthlete',
      values: { authlete },
    },
  };
}

/** Rows a dry run refused, as error report lines (after the file's own problems). */
export function refusedRowIssues(
  rows: readonly Pick<RowOutcome, 'line' | 'outcome' | 'errorCode' | 'errorDescription'>[],
): RowIssue[] {
  return rows.map((row) => ({
    line: row.line,
    column: row.outcome === 'already_present' ? 'accessToken' : undefined,
    ...describeRefusedRow(row),
  }));
}
