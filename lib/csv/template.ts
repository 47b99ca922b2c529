import { csvColumnDocs } from './columns';
import { csvCell, csvLine, UTF8_BOM } from './csv-writer';

export interface TemplateExample {
  /** A real client of the service, so the example row passes preflight as it is. */
  clientId?: string;
  /** Scopes the service supports, for the example row. */
  scopes?: readonly string[];
}

export const TEMPLATE_FILE_NAME = 'token-desk-bulk-template.csv';

/** The downloadable template: header row and one example row (UTF-8 with BOM for Excel). */
export function buildTemplateCsv({ clientId, scopes }: TemplateExample = {}): string {
  const header = csvLine(csvColumnDocs.map((doc) => csvCell(doc.column)));
  const example = csvLine(
    csvColumnDocs.map((doc) => {
      if (doc.column === 'clientId') return csvCell(clientId ?? '1234567890');
      if (doc.column === 'scopes' && scopes && scopes.length > 0) return csvCell(scopes.slice(0, 2).join(' '));
      return csvCell(doc.example);
    }),
  );
  return UTF8_BOM + header + example;
}
