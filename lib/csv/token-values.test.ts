import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import { chunkTokensInputSchema } from '@/lib/schemas/issue-job';
import { sha256Base64Url } from '@/lib/hash';
import { CsvPreflight } from './preflight';
import {
  buildValuesFileParts,
  generateTokenValues,
  generateValuesForRows,
  issuedRowsOf,
  requestsJson,
  restoreValues,
} from './token-values';

describe('generateTokenValues', () => {
  it('gives unique 43-character base64url values that never start with a formula character', () => {
    const values = generateTokenValues(5000);
    expect(values).toHaveLength(5000);
    expect(new Set(values).size).toBe(5000);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{42}$/);
  });

  it('encodes the random bytes faithfully (every alphabet position reachable, 256 bits)', () => {
    const seen = new Set<string>();
    for (const value of generateTokenValues(2000)) for (const ch of value) seen.add(ch);
    expect(seen.size).toBe(64);
    // The last character carries 4 bits followed by two zero bits.
    for (const value of generateTokenValues(200)) expect('AEIMQUYcgkosw048').toContain(value[42]);
  });
});

describe('requests and the values file', () => {
  const facts = { clients: [{ clientId: '7' }], supportedScopes: ['openid'] };
  const csv =
    'grantType,clientId,subject,accessToken,refreshToken\nPASSWORD,7,=alice,,\nCLIENT_CREDENTIALS,7,,,\nPASSWORD,7,bob,kept-value-0001,kept-refresh-0001\n';

  it('adds generated values only where the file gave none, in requests the BFF accepts', async () => {
    const engine = new CsvPreflight(facts);
    engine.push(new TextEncoder().encode(csv));
    engine.finish();
    const values = generateValuesForRows(engine.rows);
    expect(values.accessTokens.map((v) => v !== undefined)).toEqual([true, true, false]);
    expect(values.refreshTokens.map((v) => v !== undefined)).toEqual([true, false, false]);
    const requests = JSON.parse(requestsJson(engine.rows, values, [0, 1, 2])) as Record<string, unknown>[];
    expect(chunkTokensInputSchema.safeParse({ tokens: requests }).success).toBe(true);
    expect(requests[0]).toMatchObject({
      subject: '=alice',
      accessToken: values.accessTokens[0],
      refreshToken: values.refreshTokens[0],
    });
    expect(requests[1]).not.toHaveProperty('refreshToken');
    expect(requests[2]).toMatchObject({ accessToken: 'kept-value-0001', refreshToken: 'kept-refresh-0001' });

    const all = issuedRowsOf(3, [[0, 3]]);
    const file = buildValuesFileParts(engine.rows, values, all).join('');
    const parsed = Papa.parse<string[]>(file.slice(1), { skipEmptyLines: true }).data;
    expect(parsed).toEqual([
      ['line', 'subject', 'clientId', 'accessToken', 'refreshToken'],
      ['2', "'=alice", '7', values.accessTokens[0], values.refreshTokens[0]],
      ['3', '', '7', values.accessTokens[1], ''],
    ]);
    expect(await sha256Base64Url(values.accessTokens[0]!)).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Resuming in a new tab: the values come back from the downloaded file, row by row.
    expect(restoreValues(engine.rows, file, all)).toEqual(values);
    expect(() => restoreValues(engine.rows, file.replace(values.accessTokens[1]!, ''), all)).toThrow(
      'no generated values for line 3',
    );
    expect(() => restoreValues(engine.rows, 'a,b\n1,2\n', all)).toThrow('not a Token Desk values file');
  });

  it('leaves rows the job does not issue (excluded after the dry run) out of the values file, and does not ask for them on resume', () => {
    const engine = new CsvPreflight(facts);
    engine.push(new TextEncoder().encode(csv));
    engine.finish();
    const values = generateValuesForRows(engine.rows);
    // Row 0 (line 2) was refused by the dry run and excluded: it is never created.
    const issued = issuedRowsOf(3, [[1, 3]]);
    expect([...issued]).toEqual([0, 1, 1]);
    const file = buildValuesFileParts(engine.rows, values, issued).join('');
    const parsed = Papa.parse<string[]>(file.slice(1), { skipEmptyLines: true }).data;
    expect(parsed).toEqual([
      ['line', 'subject', 'clientId', 'accessToken', 'refreshToken'],
      ['3', '', '7', values.accessTokens[1], ''],
    ]);
    expect(file).not.toContain(values.accessTokens[0]);
    expect(file).not.toContain(values.refreshTokens[0]);
    expect(restoreValues(engine.rows, file, issued)).toEqual({
      accessTokens: [undefined, values.accessTokens[1], undefined],
      refreshTokens: [undefined, undefined, undefined],
    });
  });
});
