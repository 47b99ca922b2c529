import { describe, expect, it } from 'vitest';
import { chunkTokensInputSchema } from '@/lib/schemas/issue-job';
import { CsvFileError } from './decode';
import { CsvPreflight, defaultCsvLimits, type CsvLimits, type ServiceFacts } from './preflight';
import { buildTemplateCsv } from './template';

const facts: ServiceFacts = {
  clients: [
    { clientId: '26888344961664', clientIdAlias: 'portal', clientName: 'Portal' },
    { clientId: '1001', clientName: 'Batch client' },
  ],
  supportedScopes: ['openid', 'profile', 'email'],
};

function bytesOf(input: string | Uint8Array): Uint8Array {
  return typeof input === 'string' ? new TextEncoder().encode(input) : input;
}

/** Runs a preflight feeding the file in chunks of `chunkSize` bytes (small sizes split records and characters). */
function preflight(
  input: string | Uint8Array,
  { chunkSize = 64 * 1024, limits = {} }: { chunkSize?: number; limits?: Partial<CsvLimits> } = {},
) {
  const engine = new CsvPreflight(facts, { ...defaultCsvLimits, ...limits });
  const bytes = bytesOf(input);
  for (let offset = 0; offset < bytes.length; offset += chunkSize)
    engine.push(bytes.subarray(offset, offset + chunkSize));
  const summary = engine.finish();
  const rows = Array.from({ length: engine.rows.size }, (_, i) => engine.rows.row(i) as Record<string, unknown>);
  return { engine, summary, rows };
}

function fileError(run: () => unknown): CsvFileError {
  try {
    run();
  } catch (error) {
    if (error instanceof CsvFileError) return error;
    throw error;
  }
  throw new Error('expected a CsvFileError');
}

const header = 'grantType,clientId,subject,scopes,accessToken,refreshToken';

describe('CsvPreflight: reading the file', () => {
  it('maps headers regardless of case, spacing and underscores, and accepts an alias for the client', () => {
    const { rows, summary } = preflight(
      'Grant Type, CLIENT_ID ,subject,Scopes\r\nauthorization_code,portal,alice,openid profile\r\n',
    );
    expect(summary).toMatchObject({
      totalRows: 1,
      validRows: 1,
      invalidRows: 0,
      generatedAccessTokens: 1,
      generatedRefreshTokens: 1,
    });
    expect(rows[0]).toEqual({
      grantType: 'AUTHORIZATION_CODE',
      clientId: '26888344961664',
      subject: 'alice',
      scopes: ['openid', 'profile'],
    });
  });

  it.each([1, 2, 3, 7, 1024])(
    'reads UTF-8 with BOM, CRLF, quoted commas and embedded newlines in chunks of %i bytes',
    (chunkSize) => {
      const csv =
        '\uFEFFgrantType,clientId,subject,properties\r\n' +
        'PASSWORD,1001,bob,"{""note"":""Müller, Zoë"",\r\n""line"":""two""}"\r\n' +
        'PASSWORD,1001,"carol",\r\n' +
        '\r\n' +
        'PASSWORD,1001,,\r\n';
      const { rows, engine, summary } = preflight(csv, { chunkSize });
      expect(rows[0]).toMatchObject({
        subject: 'bob',
        properties: [
          { key: 'note', value: 'Müller, Zoë', hidden: false },
          { key: 'line', value: 'two', hidden: false },
        ],
      });
      expect(rows[1]).toMatchObject({ subject: 'carol' });
      // The quoted newline makes bob's record two lines long; the blank line is counted but skipped.
      expect(Array.from(engine.rows.lines())).toEqual([2, 4]);
      expect(engine.issues).toEqual([
        {
          line: 6,
          column: 'subject',
          message:
            'Subject is required unless the grant type is client credentials (no subject) or jwt bearer (optional).',
        },
      ]);
      expect(summary.totalRows).toBe(3);
    },
  );

  it('reads old Mac line endings (CR only) and counts lines by them', () => {
    const { engine, summary } = preflight(
      'grantType,clientId,subject,properties\rPASSWORD,1001,a,"{""k"":\r""v""}"\rPASSWORD,999,b,\r',
      { chunkSize: 5 },
    );
    expect(summary).toMatchObject({ validRows: 1, invalidRows: 1 });
    expect(engine.issues[0]).toMatchObject({ line: 4, column: 'clientId' });
  });

  it('reads LF-only and a last line without a newline', () => {
    const { summary } = preflight('grantType,clientId,subject\nPASSWORD,1001,a\nPASSWORD,1001,b');
    expect(summary.validRows).toBe(2);
  });

  it('refuses Windows-1252 text and says where and how to fix it', () => {
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode('grantType,clientId,subject\nPASSWORD,1001,M'),
      0xfc,
      ...new TextEncoder().encode('ller\n'),
    ]);
    const error = fileError(() => preflight(latin1));
    expect(error.code).toBe('not_utf8');
    expect(error.message).toContain('byte 0xFC at byte 42');
    expect(error.message).toContain('CSV UTF-8');
  });

  it('refuses an invalid byte split across chunks, UTF-16 and spreadsheets', () => {
    const bad = new Uint8Array([...new TextEncoder().encode('grantType,clientId\n'), 0xe2, 0x28, 0xa1]);
    expect(fileError(() => preflight(bad, { chunkSize: 1 })).code).toBe('not_utf8');
    expect(fileError(() => preflight(new Uint8Array([0xff, 0xfe, 0x67, 0x00]))).message).toContain('UTF-16');
    expect(fileError(() => preflight(new Uint8Array([0x67, 0x00, 0x72, 0x00]))).message).toContain('NUL bytes');
    expect(fileError(() => preflight(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]))).code).toBe('spreadsheet_file');
  });

  it.each([
    ['semicolons', 'grantType;clientId;subject\nPASSWORD;1001;a\n', 'semicolons (;)'],
    ['tabs', 'grantType\tclientId\tsubject\nPASSWORD\t1001\ta\n', 'tabs'],
  ])('explains a file separated by %s', (_name, csv, expected) => {
    const error = fileError(() => preflight(csv));
    expect(error.code).toBe('wrong_delimiter');
    expect(error.message).toContain(expected);
  });

  it('names missing required columns, unknown columns with a suggestion, duplicates and empty headers', () => {
    const error = fileError(() => preflight('subject,refeshToken,Subject,\nalice,x,y,\n'));
    expect(error.code).toBe('bad_header');
    expect(error.message).toContain('Column 2 "refeshToken" is not a known column (did you mean "refreshToken"?)');
    expect(error.message).toContain('Column "subject" appears twice (columns 1 and 3)');
    expect(error.message).toContain('Column 4 has an empty header');
    expect(error.message).toContain('Required column "grantType" is missing');
    expect(error.message).toContain('Required column "clientId" is missing');
  });

  it('refuses empty files and files with only a header', () => {
    expect(fileError(() => preflight('')).code).toBe('empty_file');
    expect(fileError(() => preflight('\uFEFF\r\n')).code).toBe('empty_file');
    expect(fileError(() => preflight(`${header}\r\n`)).message).toContain('no data rows');
  });

  it('enforces the file size, row count and field length limits', () => {
    const csv = `grantType,clientId,subject\n${'PASSWORD,1001,a\n'.repeat(1)}PASSWORD,1001,b\nPASSWORD,1001,c\n`;
    expect(fileError(() => preflight(csv, { limits: { maxRows: 2 } })).code).toBe('too_many_rows');
    expect(fileError(() => preflight(csv, { limits: { maxFileBytes: 40 }, chunkSize: 16 })).code).toBe(
      'file_too_large',
    );
    const { engine } = preflight(
      `grantType,clientId,subject,properties\nPASSWORD,1001,a,"{""k"":""${'x'.repeat(5000)}""}"\n`,
    );
    expect(engine.issues).toEqual([
      {
        line: 2,
        column: 'properties',
        message: `Is ${(5000 + '{"k":""}'.length).toLocaleString('en')} characters long; at most 4,096 are allowed.`,
        text: { key: 'batches.csv.cellTooLong', values: { length: 5000 + '{"k":""}'.length, max: 4096 } },
      },
    ]);
  });

  it('stops at a huge record (an unclosed quote) instead of buffering the whole file', () => {
    const csv = `grantType,clientId,subject\nPASSWORD,1001,"never closed\n${'PASSWORD,1001,x\n'.repeat(5000)}`;
    const error = fileError(() => preflight(csv, { limits: { maxRecordChars: 10_000 }, chunkSize: 4096 }));
    expect(error.code).toBe('record_too_large');
    expect(error.message).toContain('line 2');
  });

  it('reports an unclosed quote at the end of a small file as a row problem', () => {
    const { engine, summary } = preflight('grantType,clientId,subject\nPASSWORD,1001,a\nPASSWORD,1001,"b\n');
    expect(summary).toMatchObject({ validRows: 1, invalidRows: 1 });
    expect(engine.issues[0]).toMatchObject({ line: 3, message: 'A quoted value is never closed (missing ").' });
  });
});

describe('CsvPreflight: rows', () => {
  it('checks each row against the shared schema and the live service', () => {
    const csv = [
      header,
      'AUTHORIZATION_CODE,1001,alice,openid,,',
      'NOT_A_GRANT,1001,bob,,,',
      'PASSWORD,999,carol,,,',
      'PASSWORD,unknown-alias,dave,,,',
      'PASSWORD,1001,erin,openid admin root,,',
      'PASSWORD,1001,jöhn,,,',
      `PASSWORD,1001,${'x'.repeat(101)},,,`,
      'CLIENT_CREDENTIALS,1001,,,,refresh-value-1',
      'PASSWORD,1001,frank,,,,extra',
      'PASSWORD,1001,alice,openid,,',
      'AUTHORIZATION_CODE,1001,alice,openid,,',
    ].join('\n');
    const { engine, summary } = preflight(csv);
    expect(summary).toMatchObject({ totalRows: 11, validRows: 2, invalidRows: 9 });
    const byLine = Object.fromEntries(engine.issues.map((issue) => [issue.line, issue]));
    expect(byLine[3]).toMatchObject({
      column: 'grantType',
      message: expect.stringContaining('Grant type must be one of'),
    });
    expect(byLine[4]).toMatchObject({ column: 'clientId', message: 'No client with ID 999 exists on this service.' });
    expect(byLine[5]).toMatchObject({
      column: 'clientId',
      message: expect.stringContaining('neither a numeric client ID nor the alias'),
    });
    expect(byLine[6]).toMatchObject({
      column: 'scopes',
      message: 'Scopes "admin", "root" are not supported by the service.',
    });
    expect(byLine[7]).toMatchObject({ column: 'subject', message: expect.stringContaining('printable ASCII') });
    expect(byLine[8]).toMatchObject({ column: 'subject', message: expect.stringContaining('at most 100') });
    expect(byLine[9]).toMatchObject({
      column: 'refreshToken',
      message: expect.stringContaining('gets no refresh token'),
    });
    expect(byLine[10]).toMatchObject({
      message: 'Has 7 values but the header has 6; a value containing a comma must be in double quotes.',
    });
    // Line 11 differs from line 2 in the grant type, line 12 is the same row again.
    expect(byLine[11]).toBeUndefined();
    expect(byLine[12]).toMatchObject({ message: 'Duplicates line 2 (same values in every column).' });
  });

  it('follows the subject rule per grant type: refused for client credentials, optional for JWT bearer', () => {
    const csv = [
      header,
      'CLIENT_CREDENTIALS,1001,alice,,,',
      'client_credentials,1001,,,,',
      'JWT_BEARER,1001,,,,',
      'JWT_BEARER,1001,bob,,,',
      'DEVICE_CODE,1001,,,,',
    ].join('\n');
    const { engine, summary, rows } = preflight(csv);
    expect(summary).toMatchObject({ totalRows: 5, validRows: 3, invalidRows: 2 });
    expect(engine.issues).toEqual([
      {
        line: 2,
        column: 'subject',
        value: 'alice',
        message: expect.stringMatching(/^A client credentials token has no subject \(Authlete would ignore it\)/),
      },
      { line: 6, column: 'subject', value: undefined, message: expect.stringContaining('Subject is required unless') },
    ]);
    expect(rows.map((row) => [row.grantType, row.subject])).toEqual([
      ['CLIENT_CREDENTIALS', undefined],
      ['JWT_BEARER', undefined],
      ['JWT_BEARER', 'bob'],
    ]);
  });

  it('finds duplicate supplied token values across rows and columns, and never echoes token values', () => {
    const csv = [
      header,
      'PASSWORD,1001,a,,value-aaaaaaaaaaaa,value-rrrrrrrrrrrr',
      'PASSWORD,1001,b,,value-rrrrrrrrrrrr,',
      'PASSWORD,1001,c,,value-cccccccccccc,value-aaaaaaaaaaaa',
      'PASSWORD,1001,d,,same-in-both,same-in-both',
      'PASSWORD,1001,e,,has space,',
    ].join('\n');
    const { engine, summary } = preflight(csv);
    expect(summary).toMatchObject({ validRows: 1, invalidRows: 4, suppliedAccessTokens: 1 });
    expect(engine.issues).toEqual([
      {
        line: 3,
        column: 'accessToken',
        message: 'The same token value is already supplied on line 2; every token value must be unique.',
        text: { key: 'batches.csv.duplicateValue', values: { line: 2 } },
      },
      {
        line: 4,
        column: 'refreshToken',
        message: 'The same token value is already supplied on line 2; every token value must be unique.',
        text: { key: 'batches.csv.duplicateValue', values: { line: 2 } },
      },
      {
        line: 5,
        column: 'refreshToken',
        message: 'The refresh token value must differ from the access token value.',
        text: { key: 'batches.csv.refreshSameAsAccess' },
      },
      { line: 6, column: 'accessToken', message: 'A token value is printable ASCII without spaces.', value: undefined },
    ]);
  });

  it('parses durations, the persistent flag and both forms of properties', () => {
    const csv =
      'grantType,clientId,subject,accessTokenDuration,refreshTokenDuration,accessTokenPersistent,properties\n' +
      'PASSWORD,1001,a,3600,0,yes,"[{""key"":""k"",""value"":""v"",""hidden"":true}]"\n' +
      'PASSWORD,1001,b,-5,1.5,maybe,\n' +
      'PASSWORD,1001,c,,,,"[1]"\n' +
      'PASSWORD,1001,d,,,,"not json"\n';
    const { rows, engine } = preflight(csv);
    expect(rows[0]).toEqual({
      grantType: 'PASSWORD',
      clientId: '1001',
      subject: 'a',
      scopes: [],
      accessTokenDuration: 3600,
      refreshTokenDuration: 0,
      accessTokenPersistent: true,
      properties: [{ key: 'k', value: 'v', hidden: true }],
    });
    expect(engine.issues.map((issue) => issue.column)).toEqual([
      'accessTokenDuration',
      'refreshTokenDuration',
      'accessTokenPersistent',
      'properties',
      'properties',
    ]);
    expect(engine.issues.slice(3).map((issue) => issue.line)).toEqual([4, 5]);
  });

  it('keeps valid rows as requests the BFF chunk schema accepts', () => {
    const { rows } = preflight(
      `${header}\nCLIENT_CREDENTIALS,portal,,email,migrated-value-123,\nJWT_BEARER,1001,z,,,\n`,
    );
    expect(chunkTokensInputSchema.safeParse({ tokens: rows }).success).toBe(true);
  });

  it('caps the kept issues but keeps counting invalid rows', () => {
    const csv = `${header}\n${Array.from({ length: 50 }, (_, i) => `PASSWORD,999,user${i},,,`).join('\n')}`;
    const { engine, summary } = preflight(csv, { limits: { maxIssues: 10 } });
    expect(engine.issues).toHaveLength(10);
    expect(summary).toMatchObject({ invalidRows: 50, issuesTruncated: true });
  });

  it('accepts its own template once the example client exists', () => {
    const { summary } = preflight(buildTemplateCsv({ clientId: '1001', scopes: ['openid', 'email'] }));
    expect(summary).toMatchObject({ totalRows: 1, validRows: 1 });
  });
});
