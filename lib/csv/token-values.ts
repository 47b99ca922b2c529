import Papa from 'papaparse';
import { csvCell, csvLine, rawCell, UTF8_BOM } from './csv-writer';
import { CsvFileError } from './decode';
import { NEEDS_ACCESS_TOKEN, NEEDS_REFRESH_TOKEN, type ValidRows } from './preflight';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE_BYTES = 32;
/** getRandomValues fills at most 65536 bytes per call. */
const VALUES_PER_DRAW = Math.floor(65536 / VALUE_BYTES);

/** base64url without padding of 32 bytes at `offset` (43 characters). */
function encode32(bytes: Uint8Array, offset: number): string {
  let out = '';
  let i = offset;
  const end = offset + 30; // 10 groups of 3 bytes, then the last 2 bytes
  for (; i < end; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const n = (bytes[i]! << 8) | bytes[i + 1]!;
  return out + ALPHABET[n >>> 10]! + ALPHABET[(n >>> 4) & 63]! + ALPHABET[(n << 2) & 63]!;
}

/**
 * Token values generated in the browser: 32 bytes from `crypto.getRandomValues` as base64url
 * (256 bits, like Authlete's own). A value starting with "-" is drawn again, so the values file
 * can be written byte-exact and still never look like a spreadsheet formula (costs < 0.03 bits).
 */
export function generateTokenValues(count: number): string[] {
  const values: string[] = [];
  const buffer = new Uint8Array(VALUES_PER_DRAW * VALUE_BYTES);
  while (values.length < count) {
    crypto.getRandomValues(buffer);
    for (let offset = 0; offset < buffer.length && values.length < count; offset += VALUE_BYTES) {
      const value = encode32(buffer, offset);
      if (value[0] !== '-') values.push(value);
    }
  }
  return values;
}

/** Generated values per valid row (undefined where the file supplied the value or none is needed). */
export interface GeneratedValues {
  accessTokens: (string | undefined)[];
  refreshTokens: (string | undefined)[];
}

export function generateValuesForRows(rows: ValidRows): GeneratedValues {
  let needed = 0;
  for (let index = 0; index < rows.size; index++) {
    const needs = rows.needs(index);
    needed += (needs & NEEDS_ACCESS_TOKEN ? 1 : 0) + (needs & NEEDS_REFRESH_TOKEN ? 1 : 0);
  }
  const pool = generateTokenValues(needed);
  let next = 0;
  const accessTokens: (string | undefined)[] = [];
  const refreshTokens: (string | undefined)[] = [];
  for (let index = 0; index < rows.size; index++) {
    const needs = rows.needs(index);
    accessTokens.push(needs & NEEDS_ACCESS_TOKEN ? pool[next++] : undefined);
    refreshTokens.push(needs & NEEDS_REFRESH_TOKEN ? pool[next++] : undefined);
  }
  return { accessTokens, refreshTokens };
}

/** The JSON token create request of valid row `index`, with its generated values added. */
export function rowRequestJson(rows: ValidRows, values: GeneratedValues | undefined, index: number): string {
  const row = rows.row(index);
  const access = values?.accessTokens[index];
  const refresh = values?.refreshTokens[index];
  if (access !== undefined) row.accessToken = access;
  if (refresh !== undefined) row.refreshToken = refresh;
  return JSON.stringify(row);
}

/** A JSON array of token create requests for the given valid-row indexes (a chunk's body). */
export function requestsJson(rows: ValidRows, values: GeneratedValues | undefined, indexes: Iterable<number>): string {
  const parts: string[] = [];
  for (const index of indexes) parts.push(rowRequestJson(rows, values, index));
  return `[${parts.join(',')}]`;
}

export const VALUES_FILE_COLUMNS = ['line', 'subject', 'clientId', 'accessToken', 'refreshToken'] as const;

/** Which valid rows a job issues: `issued[i]` is 1 unless row i was left out (excluded after the dry run). */
export type IssuedRows = Uint8Array;

/** The rows of half-open `ranges` (row indexes), as `IssuedRows` for `size` rows. */
export function issuedRowsOf(size: number, ranges: readonly (readonly [number, number])[]): IssuedRows {
  const issued = new Uint8Array(size);
  for (const [from, to] of ranges) issued.fill(1, Math.max(0, from), Math.min(to, size));
  return issued;
}

/**
 * The one-time download of generated values: line of the uploaded file, subject, client and the
 * values. Rows whose values all came from the file are left out (the admin already has them), and
 * so are rows the job does not issue (their values never reach Authlete).
 * Built in parts so a million rows never become one giant string.
 */
export function buildValuesFileParts(rows: ValidRows, values: GeneratedValues, issued: IssuedRows): string[] {
  const parts: string[] = [UTF8_BOM + csvLine(VALUES_FILE_COLUMNS.map(csvCell))];
  let part = '';
  for (let index = 0; index < rows.size; index++) {
    if (!issued[index]) continue;
    const access = values.accessTokens[index];
    const refresh = values.refreshTokens[index];
    if (access === undefined && refresh === undefined) continue;
    const row = rows.row(index);
    part += csvLine([
      csvCell(rows.line(index)),
      csvCell(row.subject ?? ''),
      csvCell(row.clientId),
      access ? rawCell(access) : '',
      refresh ? rawCell(refresh) : '',
    ]);
    if (part.length > 1_000_000) {
      parts.push(part);
      part = '';
    }
  }
  if (part) parts.push(part);
  return parts;
}

/**
 * The generated values back from a values file the admin downloaded (resuming a job after the tab
 * that generated them was closed). Every issued row that needed a generated value must find it by line.
 */
export function restoreValues(rows: ValidRows, valuesCsv: string, issued: IssuedRows): GeneratedValues {
  const parsed = Papa.parse<string[]>(valuesCsv.replace(/^\uFEFF/, ''), { delimiter: ',', skipEmptyLines: true });
  const [header, ...records] = parsed.data;
  if (!header || VALUES_FILE_COLUMNS.some((column, i) => header[i] !== column)) {
    throw new CsvFileError(
      'bad_header',
      `This is not a Token Desk values file (its header must be ${VALUES_FILE_COLUMNS.join(',')}).`,
    );
  }
  const byLine = new Map<number, { access?: string; refresh?: string }>();
  for (const record of records) {
    byLine.set(Number(record[0]), { access: record[3] || undefined, refresh: record[4] || undefined });
  }
  const values: GeneratedValues = { accessTokens: [], refreshTokens: [] };
  for (let index = 0; index < rows.size; index++) {
    const needs = issued[index] ? rows.needs(index) : 0;
    const found = byLine.get(rows.line(index));
    const access = needs & NEEDS_ACCESS_TOKEN ? found?.access : undefined;
    const refresh = needs & NEEDS_REFRESH_TOKEN ? found?.refresh : undefined;
    if ((needs & NEEDS_ACCESS_TOKEN && !access) || (needs & NEEDS_REFRESH_TOKEN && !refresh)) {
      throw new CsvFileError(
        'bad_header',
        `The values file has no generated values for line ${rows.line(index)}; it belongs to another file or job.`,
      );
    }
    values.accessTokens.push(access);
    values.refreshTokens.push(refresh);
  }
  return values;
}
