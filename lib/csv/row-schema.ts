import { z } from 'zod';
import { tokenCreateInputSchema, type GrantType, type TokenCreateInput } from '@/lib/schemas';
import type { CsvColumn } from './columns';
import type { CsvText } from './messages';

/** One CSV record as the cells under each known column (absent column = undefined). */
export type CsvRecord = Partial<Record<CsvColumn, string>>;

/** Grant types for which Authlete never creates a refresh token. */
export const grantTypesWithoutRefreshToken: ReadonlySet<GrantType> = new Set<GrantType>([
  'IMPLICIT',
  'CLIENT_CREDENTIALS',
]);

const booleanWords: Record<string, boolean> = { true: true, false: false, yes: true, no: false, '1': true, '0': false };
const DURATION = /^\d{1,12}$/;

interface CellProblem {
  column: CsvColumn;
  message: string;
  text: CsvText;
}

/** A properties cell: a JSON object of key/value, or the request's own array form. */
function parseProperties(value: string, problems: CellProblem[]): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    problems.push({
      column: 'properties',
      message: 'Must be JSON: {"key":"value"} or [{"key":"k","value":"v","hidden":true}].',
      text: { key: 'batches.csv.propertiesJson' },
    });
    return undefined;
  }
  if (Array.isArray(parsed)) return parsed;
  if (parsed !== null && typeof parsed === 'object')
    return Object.entries(parsed).map(([key, property]) => ({ key, value: property }));
  problems.push({
    column: 'properties',
    message: 'Must be a JSON object {"key":"value"} or an array of {"key","value","hidden"}.',
    text: { key: 'batches.csv.propertiesShape' },
  });
  return undefined;
}

/**
 * Cells (strings) to the fields of a token create request. Plain code rather than a zod
 * preprocess per cell: this runs for every row of a 1M-row file, and the field rules themselves
 * stay in the shared schema.
 */
function coerceRecord(
  record: CsvRecord,
  clientIdByAlias: ReadonlyMap<string, string> | undefined,
  problems: CellProblem[],
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const grantType = record.grantType?.trim();
  if (grantType) input.grantType = grantType.toUpperCase();
  const client = record.clientId?.trim();
  if (client) {
    if (/^\d+$/.test(client)) input.clientId = client;
    else {
      const resolved = clientIdByAlias?.get(client);
      if (resolved !== undefined) input.clientId = resolved;
      else
        problems.push({
          column: 'clientId',
          message: `"${client.slice(0, 60)}" is neither a numeric client ID nor the alias of a client of this service.`,
          text: { key: 'batches.csv.unknownAlias', values: { client: client.slice(0, 60) } },
        });
    }
  }
  // The shared schema trims and checks the subject.
  if (record.subject !== undefined && record.subject.trim() !== '') input.subject = record.subject;
  const scopes = record.scopes?.trim();
  if (scopes) input.scopes = [...new Set(scopes.split(/\s+/))];
  for (const column of ['accessTokenDuration', 'refreshTokenDuration'] as const) {
    const cell = record[column]?.trim();
    if (!cell) continue;
    if (DURATION.test(cell)) input[column] = Number(cell);
    else
      problems.push({
        column,
        message: 'Must be a whole number of seconds (digits only).',
        text: { key: 'batches.csv.durationDigits' },
      });
  }
  const persistent = record.accessTokenPersistent?.trim();
  if (persistent) {
    const parsed = booleanWords[persistent.toLowerCase()];
    if (parsed !== undefined) input.accessTokenPersistent = parsed;
    else
      problems.push({
        column: 'accessTokenPersistent',
        message: 'Must be true or false (yes/no and 1/0 work too).',
        text: { key: 'batches.csv.persistentBoolean' },
      });
  }
  for (const column of ['accessToken', 'refreshToken'] as const) {
    const cell = record[column]?.trim();
    if (cell) input[column] = cell;
  }
  const properties = record.properties?.trim();
  if (properties) {
    const parsed = parseProperties(properties, problems);
    if (parsed !== undefined) input.properties = parsed;
  }
  return input;
}

export interface CsvRowSchemaContext {
  /** Client id (decimal string) for each client id alias of the service, to accept aliases in the clientId column. */
  clientIdByAlias?: ReadonlyMap<string, string>;
}

/**
 * One CSV record (strings) to a token create request, validated by the shared
 * `tokenCreateInputSchema`, so a row that passes here is exactly what the BFF accepts.
 * Issue paths are column names (the CSV columns are named after the request fields); every
 * problem of a row is reported at once, cell conversion and shared rules alike.
 */
export function createCsvRowSchema({ clientIdByAlias }: CsvRowSchemaContext = {}) {
  return z
    .custom<CsvRecord>((value) => typeof value === 'object' && value !== null)
    .transform((record, ctx): TokenCreateInput => {
      const problems: CellProblem[] = [];
      const input = coerceRecord(record, clientIdByAlias, problems);
      const failed = new Set(problems.map((problem) => problem.column));
      for (const problem of problems)
        ctx.addIssue({
          code: 'custom',
          path: [problem.column],
          message: problem.message,
          params: { text: problem.text },
        });
      const shared = tokenCreateInputSchema.safeParse(input);
      if (!shared.success) {
        for (const issue of shared.error.issues) {
          const column = issueColumn(issue.path);
          // A cell that could not be converted was left out; "required" for it would only repeat the problem.
          if (column && failed.has(column)) continue;
          ctx.addIssue({ ...issue, code: 'custom', path: issue.path as PropertyKey[], message: issue.message });
        }
        return z.NEVER;
      }
      if (problems.length > 0) return z.NEVER;
      const row = shared.data;
      if (row.refreshToken !== undefined && grantTypesWithoutRefreshToken.has(row.grantType)) {
        ctx.addIssue({
          code: 'custom',
          path: ['refreshToken'],
          message: `Grant type ${row.grantType} gets no refresh token; leave refreshToken empty.`,
          params: {
            text: { key: 'batches.csv.noRefreshToken', values: { grantType: row.grantType } } satisfies CsvText,
          },
        });
      }
      if (row.accessToken !== undefined && row.accessToken === row.refreshToken) {
        ctx.addIssue({
          code: 'custom',
          path: ['refreshToken'],
          message: 'The refresh token value must differ from the access token value.',
          params: { text: { key: 'batches.csv.refreshSameAsAccess' } satisfies CsvText },
        });
      }
      return row;
    });
}

export type CsvRowSchema = ReturnType<typeof createCsvRowSchema>;

/** The column a zod issue belongs to (the first path segment), or undefined for a whole-row issue. */
export function issueColumn(path: readonly PropertyKey[]): CsvColumn | undefined {
  const first = path[0];
  return typeof first === 'string' ? (first as CsvColumn) : undefined;
}
