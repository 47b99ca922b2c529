import { describe, expect, it } from 'vitest';
import { CsvFileError } from './decode';
import { parseSubjectList, PROBLEMS_SHOWN } from './subject-list';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('parseSubjectList', () => {
  it('reads one subject per line, with or without a header, trimmed, without duplicates or empty lines', () => {
    const list = parseSubjectList(bytes('subject\r\n alice \r\nbob\r\n\r\nalice\r\n"carol"\r\n'));
    expect(list).toEqual({
      subjects: ['alice', 'bob', 'carol'],
      rows: 4,
      duplicates: 1,
      problems: [],
      problemCount: 0,
    });
    expect(parseSubjectList(bytes('\uFEFFdave\nerin')).subjects).toEqual(['dave', 'erin']);
  });

  it('reports lines with several values or a subject Authlete refuses, by line number', () => {
    const list = parseSubjectList(bytes(`alice\nbob,extra\n${'x'.repeat(101)}\nok\nnaïve\n`));
    expect(list.subjects).toEqual(['alice', 'ok']);
    expect(list.problems).toEqual([
      { line: 2, code: 'columns' },
      { line: 3, code: 'invalid' },
      { line: 5, code: 'invalid' },
    ]);
  });

  it('lists the first problems and counts the rest', () => {
    const list = parseSubjectList(bytes(Array.from({ length: PROBLEMS_SHOWN + 7 }, () => 'a,b').join('\n')));
    expect(list.problems).toHaveLength(PROBLEMS_SHOWN);
    expect(list.problemCount).toBe(PROBLEMS_SHOWN + 7);
  });

  it('refuses an empty file, a workbook and text that is not UTF-8', () => {
    const code = (input: Uint8Array) => {
      try {
        parseSubjectList(input);
        return 'ok';
      } catch (error) {
        return error instanceof CsvFileError ? error.code : String(error);
      }
    };
    expect(code(new Uint8Array())).toBe('empty_file');
    expect(code(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2]))).toBe('spreadsheet_file');
    expect(code(new Uint8Array([0x61, 0xff, 0x62]))).toBe('not_utf8');
  });

  it('reads a large list quickly enough for a worker (100k subjects)', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `user-${i}`).join('\n');
    expect(parseSubjectList(bytes(text)).subjects).toHaveLength(100_000);
  });
});
