/**
 * Writing CSV that spreadsheets open safely. Cells that start with = + - @ TAB or CR are what
 * Excel, LibreOffice and Google Sheets treat as formulas (CSV injection, OWASP); such cells get a
 * leading apostrophe so they show as text. Use `rawCell` only for values that must stay byte-exact
 * and are known not to start with those characters (generated token values).
 */

const formulaStart = /^[=+\-@\t\r]/;
const needsQuotes = /[",\r\n]|^\s|\s$/;

/** A cell as text a spreadsheet will not evaluate, quoted as RFC 4180 requires. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (formulaStart.test(text)) text = `'${text}`;
  return quote(text);
}

/** A cell written verbatim (only quoted when needed); the caller vouches it is not formula-like. */
export function rawCell(value: string): string {
  if (formulaStart.test(value)) throw new Error('rawCell refuses a value that a spreadsheet would read as a formula');
  return quote(value);
}

function quote(text: string): string {
  return needsQuotes.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (CRLF-terminated, as RFC 4180 and Excel expect) from already-escaped cells. */
export function csvLine(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}

/** UTF-8 byte order mark: makes Excel open a UTF-8 CSV as UTF-8 rather than the ANSI code page. */
export const UTF8_BOM = '\uFEFF';
