/**
 * The columns of a bulk-issuing CSV file and the tolerant mapping from whatever header a person
 * or a spreadsheet wrote ("Client ID", "client_id", "CLIENTID") to them.
 */

export const csvColumns = [
  'grantType',
  'clientId',
  'subject',
  'scopes',
  'accessTokenDuration',
  'refreshTokenDuration',
  'accessTokenPersistent',
  'accessToken',
  'refreshToken',
  'properties',
] as const;
export type CsvColumn = (typeof csvColumns)[number];

export interface CsvColumnDoc {
  column: CsvColumn;
  required: boolean;
  description: string;
  example: string;
}

/** What each column means; shown on the upload page beside the template download. */
export const csvColumnDocs: readonly CsvColumnDoc[] = [
  {
    column: 'grantType',
    required: true,
    description: 'Authlete grant type, e.g. AUTHORIZATION_CODE or CLIENT_CREDENTIALS (case-insensitive).',
    example: 'AUTHORIZATION_CODE',
  },
  { column: 'clientId', required: true, description: 'Numeric client ID or the client ID alias.', example: '' },
  {
    column: 'subject',
    required: false,
    description:
      'User identifier: printable ASCII, at most 100 characters. Must be empty for CLIENT_CREDENTIALS (the row is refused otherwise), optional for JWT_BEARER, required for every other grant type.',
    example: 'user-0001',
  },
  {
    column: 'scopes',
    required: false,
    description: 'Space-separated scopes; each must be supported by the service.',
    example: 'openid profile',
  },
  {
    column: 'accessTokenDuration',
    required: false,
    description: 'Seconds; empty or 0 = the service default.',
    example: '3600',
  },
  {
    column: 'refreshTokenDuration',
    required: false,
    description: 'Seconds; empty or 0 = the service default.',
    example: '86400',
  },
  {
    column: 'accessTokenPersistent',
    required: false,
    description: 'true = the access token never expires (true/false, yes/no, 1/0).',
    example: 'false',
  },
  {
    column: 'accessToken',
    required: false,
    description: 'Existing access token value to migrate. Empty = a strong random value is generated in your browser.',
    example: '',
  },
  {
    column: 'refreshToken',
    required: false,
    description:
      'Existing refresh token value to migrate. Empty = generated, unless the grant type gets no refresh token (IMPLICIT, CLIENT_CREDENTIALS).',
    example: '',
  },
  {
    column: 'properties',
    required: false,
    description: 'JSON object {"key":"value"} or array [{"key":"k","value":"v","hidden":true}].',
    example: '{"plan":"gold"}',
  },
];

export const requiredColumns: readonly CsvColumn[] = csvColumnDocs
  .filter((doc) => doc.required)
  .map((doc) => doc.column);

/** Lower case, without spaces, underscores, hyphens and dots: "Client ID" and "client_id" both give "clientid". */
export function normalizeHeader(header: string): string {
  return header.toLowerCase().replace(/[\s_.\-]+/g, '');
}

/** Other names people use for a column, already normalised. */
const headerAliases: Record<string, CsvColumn> = {
  grant: 'grantType',
  client: 'clientId',
  clientidalias: 'clientId',
  user: 'subject',
  sub: 'subject',
  scope: 'scopes',
  persistent: 'accessTokenPersistent',
  accesstokenvalue: 'accessToken',
  refreshtokenvalue: 'refreshToken',
};

const columnByNormalizedName = new Map<string, CsvColumn>([
  ...csvColumns.map((column) => [normalizeHeader(column), column] as const),
  ...Object.entries(headerAliases),
]);

export type HeaderProblem =
  | { kind: 'missing'; column: CsvColumn }
  | { kind: 'unknown'; header: string; position: number; suggestion?: CsvColumn }
  | { kind: 'duplicate'; column: CsvColumn; positions: [number, number] }
  | { kind: 'empty'; position: number };

export interface HeaderMapping {
  /** For each column of the file, the Token Desk column it feeds (or undefined when ignored). */
  columnAt: (CsvColumn | undefined)[];
  /** Position of each known column in a record, -1 when the file does not have it. */
  indexOf: Record<CsvColumn, number>;
  problems: HeaderProblem[];
}

/** Levenshtein distance, for "did you mean" on a misspelt header; headers are short. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function suggestColumn(normalized: string): CsvColumn | undefined {
  let best: { column: CsvColumn; distance: number } | undefined;
  for (const column of csvColumns) {
    const distance = editDistance(normalized, normalizeHeader(column));
    if (!best || distance < best.distance) best = { column, distance };
  }
  return best && best.distance <= 3 ? best.column : undefined;
}

/**
 * Maps a header row to columns. An unknown header is a problem, not something to skip silently:
 * a misspelt "refeshToken" would otherwise drop migrated values and generate new ones.
 */
export function mapHeader(header: readonly string[]): HeaderMapping {
  const indexOf = Object.fromEntries(csvColumns.map((column) => [column, -1])) as Record<CsvColumn, number>;
  const columnAt: (CsvColumn | undefined)[] = [];
  const problems: HeaderProblem[] = [];
  header.forEach((raw, position) => {
    const normalized = normalizeHeader(raw);
    if (normalized === '') {
      columnAt.push(undefined);
      problems.push({ kind: 'empty', position });
      return;
    }
    const column = columnByNormalizedName.get(normalized);
    if (!column) {
      columnAt.push(undefined);
      problems.push({ kind: 'unknown', header: raw, position, suggestion: suggestColumn(normalized) });
      return;
    }
    if (indexOf[column] !== -1) {
      columnAt.push(undefined);
      problems.push({ kind: 'duplicate', column, positions: [indexOf[column], position] });
      return;
    }
    indexOf[column] = position;
    columnAt.push(column);
  });
  for (const column of requiredColumns) {
    if (indexOf[column] === -1) problems.push({ kind: 'missing', column });
  }
  return { columnAt, indexOf, problems };
}

/** A sentence per header problem, for the upload page. Positions are 1-based there. */
export function describeHeaderProblem(problem: HeaderProblem): string {
  switch (problem.kind) {
    case 'missing':
      return `Required column "${problem.column}" is missing from the header row.`;
    case 'unknown':
      return `Column ${problem.position + 1} "${problem.header}" is not a known column${
        problem.suggestion ? ` (did you mean "${problem.suggestion}"?)` : ''
      }. Rename or remove it; known columns are listed in the template.`;
    case 'duplicate':
      return `Column "${problem.column}" appears twice (columns ${problem.positions[0] + 1} and ${problem.positions[1] + 1}); keep one.`;
    case 'empty':
      return `Column ${problem.position + 1} has an empty header; name it or remove the column.`;
  }
}
