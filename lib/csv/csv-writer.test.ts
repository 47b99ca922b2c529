import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, rawCell } from './csv-writer';
import { buildErrorReportCsv, refusedRowIssues } from './error-report';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    [' padded ', '" padded "'],
  ])('neutralises and quotes %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('writes numbers, empty and missing values', () => {
    expect(csvLine([csvCell(12), csvCell(undefined), csvCell(null), csvCell(false)])).toBe('12,,,false\r\n');
  });

  it('refuses to write a formula-like value verbatim', () => {
    expect(() => rawCell('-abc')).toThrow();
    expect(rawCell('abc_-')).toBe('abc_-');
  });
});

describe('buildErrorReportCsv', () => {
  it('round-trips through a CSV parser with every hostile cell shown as text', () => {
    const csv = buildErrorReportCsv(
      [
        {
          line: 2,
          column: 'subject',
          value: '=cmd|" /C calc"!A0',
          message: 'Subject must contain only printable ASCII characters.',
        },
        { line: 3, column: 'scopes', value: '@evil\r\nmore', message: 'Scope "x" is not supported.' },
        { line: 4, message: 'Has 7 values but the header has 6.' },
      ],
      { truncated: true },
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual(['line', 'column', 'value', 'problem']);
    expect(parsed[1]).toEqual([
      '2',
      'subject',
      `'=cmd|" /C calc"!A0`,
      'Subject must contain only printable ASCII characters.',
    ]);
    expect(parsed[2]).toEqual(['3', 'scopes', "'@evil\r\nmore", 'Scope "x" is not supported.']);
    expect(parsed[3]).toEqual(['4', '', '', 'Has 7 values but the header has 6.']);
    expect(parsed[4]?.[3]).toBe('Only the first 3 problems are listed; fix these and check the file again.');
    for (const row of parsed) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('refusedRowIssues', () => {
  it("says in plain words that a duplicate value is already present, with Authlete's code and description", () => {
    const issues = refusedRowIssues([
      {
        line: 7,
        outcome: 'already_present',
        errorCode: 'A109211',
        errorDescription: '[A109211] The access token value cannot be used: a token with the same hash already exists.',
      },
      {
        line: 9,
        outcome: 'rejected',
        errorCode: 'A109207',
        errorDescription: "[A109207] The scope 'x' is not supported by the service.",
      },
      { line: 11, outcome: 'rejected', errorCode: null, errorDescription: null },
    ]);
    expect(issues).toEqual([
      {
        line: 7,
        column: 'accessToken',
        message:
          'Already present in Authlete: a token with this access token value exists (from an earlier run or another system). Authlete: [A109211] The access token value cannot be used: a token with the same hash already exists.',
      },
      {
        line: 9,
        column: undefined,
        message: "Refused by Authlete. Authlete: [A109207] The scope 'x' is not supported by the service.",
      },
      { line: 11, column: undefined, message: 'Refused by Authlete.' },
    ]);
    const parsed = Papa.parse<string[]>(buildErrorReportCsv(issues).slice(1), { skipEmptyLines: true }).data;
    expect(parsed[1]).toEqual(['7', 'accessToken', '', issues[0]!.message]);
  });
});
