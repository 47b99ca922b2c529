import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, rawCell } from './csv-writer';
import { createTranslator } from 'next-intl';
import en from '@/messages/en.json';
import ja from '@/messages/ja.json';
import { buildErrorReportCsv, refusedRowIssues } from './error-report';
import type { CsvTranslate } from './messages';

const english = createTranslator({ locale: 'en', messages: en }) as CsvTranslate;
const japanese = createTranslator({ locale: 'ja', messages: ja }) as CsvTranslate;

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
        {
          line: 3,
          column: 'scopes',
          value: '@evil\r\nmore',
          message: 'Scope "x" is not supported by the service.',
          text: { key: 'batches.csv.unsupportedScopes', values: { count: 1, scopes: '"x"' } },
        },
        {
          line: 4,
          message: 'Has 7 values but the header has 6.',
          text: { key: 'batches.csv.tooFewValues', values: { count: 7, expected: 6 } },
        },
      ],
      { truncated: true, t: english },
    );
    expect(csv.startsWith('\uFEFF')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual(['Line', 'Column', 'Value', 'Problem']);
    expect(parsed[1]).toEqual([
      '2',
      'subject',
      `'=cmd|" /C calc"!A0`,
      'Subject must contain only printable ASCII characters.',
    ]);
    expect(parsed[2]).toEqual(['3', 'scopes', "'@evil\r\nmore", 'Scope "x" is not supported by the service.']);
    expect(parsed[3]).toEqual(['4', '', '', 'Has 7 values but the header has 6.']);
    expect(parsed[4]?.[3]).toBe('Only the first 3 problems are listed; fix these and check the file again.');
    for (const row of parsed) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('is written in Japanese for a Japanese reader: headers, the file’s problems, shared schema messages', () => {
    const csv = buildErrorReportCsv(
      [
        { line: 2, column: 'subject', message: 'Subject cannot be empty.' },
        {
          line: 3,
          column: 'accessTokenDuration',
          message: 'Must be a whole number of seconds (digits only).',
          text: { key: 'batches.csv.durationDigits' },
        },
        { line: 4, message: 'An English sentence nobody mapped.' },
      ],
      { truncated: true, t: japanese },
    );
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual(['行', '列', '値', '問題']);
    expect(parsed[1]![3]).toBe(japanese('validation.subjectEmpty'));
    expect(parsed[2]![3]).toBe('秒数を整数（数字のみ）で指定してください。');
    expect(parsed[3]![3]).toBe('An English sentence nobody mapped.');
    expect(parsed[4]![3]).toBe(
      '最初の 3 件の問題のみを記載しています。これらを修正してから、もう一度ファイルを確認してください。',
    );
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
    expect(issues).toMatchObject([
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
    const parsed = Papa.parse<string[]>(buildErrorReportCsv(issues, { t: english }).slice(1), {
      skipEmptyLines: true,
    }).data;
    expect(parsed[1]).toEqual(['7', 'accessToken', '', issues[0]!.message]);
    expect(parsed[3]).toEqual(['11', '', '', 'Refused by Authlete.']);
    const inJapanese = Papa.parse<string[]>(buildErrorReportCsv(issues, { t: japanese }).slice(1), {
      skipEmptyLines: true,
    }).data;
    // Authlete's own words stay as Authlete said them, after the translated explanation.
    expect(inJapanese[2]![3]).toBe(
      "Authlete に拒否されました。Authlete: [A109207] The scope 'x' is not supported by the service.",
    );
  });
});
