import { z } from 'zod';
import { grantTypeSchema, tokenCreateInputSchema, type GrantType, type TokenCreateInput } from '@/lib/schemas';
import type { CsvColumn } from './columns';

/** One CSV record as the cells under each known column (absent column = undefined). */
export type CsvRecord = Partial<Record<CsvColumn, string>>;

/** Grant types for which Authlete never creates a refresh token. */
export const grantTypesWithoutRefreshToken: ReadonlySet<GrantType> = new Set<GrantType>(['IMPLICIT', 'CLIENT_CREDENTIALS']);

const emptyToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const cell = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());

const integerCell = z
  .string()
  .trim()
  .regex(/^\d{1,12}$/, 'Must be a whole number of seconds (digits only).')
  .transform(Number);

const booleanWords: Record<string, boolean> = { true: true, false: false, yes: true, no: false, '1': true, '0': false };
const booleanCell = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const parsed = booleanWords[value.toLowerCase()];
    if (parsed === undefined) {
      ctx.addIssue({ code: 'custom', message: 'Must be true or false (yes/no and 1/0 work too).' });
      return z.NEVER;
    }
    return parsed;
  });

const propertiesCell = z.string().transform((value, ctx) => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'Must be JSON: {"key":"value"} or [{"key":"k","value":"v","hidden":true}].' });
    return z.NEVER;
  }
  if (Array.isArray(parsed)) return parsed;
  if (parsed !== null && typeof parsed === 'object') {
    return Object.entries(parsed).map(([key, property]) => ({ key, value: property }));
  }
  ctx.addIssue({ code: 'custom', message: 'Must be a JSON object {"key":"value"} or an array of {"key","value","hidden"}.' });
  return z.NEVER;
});

export interface CsvRowSchemaContext {
  /** Client id (decimal string) for each client id alias of the service, to accept aliases in the clientId column. */
  clientIdByAlias?: ReadonlyMap<string, string>;
}

/**
 * One CSV record (strings) to a token create request, validated by the shared
 * `tokenCreateInputSchema`, so a row that passes here is exactly what the BFF accepts.
 * Issue paths are column names (the CSV columns are named after the request fields).
 */
export function createCsvRowSchema({ clientIdByAlias }: CsvRowSchemaContext = {}) {
  const clientCell = z.string().transform((value, ctx) => {
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) return trimmed;
    const resolved = clientIdByAlias?.get(trimmed);
    if (resolved !== undefined) return resolved;
    ctx.addIssue({ code: 'custom', message: `"${trimmed.slice(0, 60)}" is neither a numeric client ID nor the alias of a client of this service.` });
    return z.NEVER;
  });

  return z
    .object({
      grantType: z.preprocess(
        (value) => (typeof value === 'string' ? value.trim().toUpperCase() : value),
        grantTypeSchema,
      ),
      clientId: z.preprocess(emptyToUndefined, clientCell.optional()),
      // The shared schemas trim subjects and scopes; empty cells mean "not given".
      subject: cell(z.string()),
      scopes: cell(z.string().transform((value) => [...new Set(value.trim().split(/\s+/))])),
      accessTokenDuration: cell(integerCell),
      refreshTokenDuration: cell(integerCell),
      accessTokenPersistent: cell(booleanCell),
      accessToken: cell(z.string().trim()),
      refreshToken: cell(z.string().trim()),
      properties: cell(propertiesCell),
    })
    .transform((row) => {
      // Leave out absent fields so the strict shared schema and JSON see only what the file gave.
      const input: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) if (value !== undefined) input[key] = value;
      return input;
    })
    .pipe(tokenCreateInputSchema)
    .superRefine((row, ctx) => {
      if (row.refreshToken !== undefined && grantTypesWithoutRefreshToken.has(row.grantType)) {
        ctx.addIssue({
          code: 'custom',
          path: ['refreshToken'],
          message: `Grant type ${row.grantType} gets no refresh token; leave refreshToken empty.`,
        });
      }
      if (row.accessToken !== undefined && row.accessToken === row.refreshToken) {
        ctx.addIssue({ code: 'custom', path: ['refreshToken'], message: 'The refresh token value must differ from the access token value.' });
      }
    });
}

export type CsvRowSchema = ReturnType<typeof createCsvRowSchema>;
export type CsvRow = TokenCreateInput;

/** The column a zod issue belongs to (the first path segment), or undefined for a whole-row issue. */
export function issueColumn(path: readonly PropertyKey[]): CsvColumn | undefined {
  const first = path[0];
  return typeof first === 'string' ? (first as CsvColumn) : undefined;
}
