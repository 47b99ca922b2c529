import Papa from 'papaparse';
import { subjectSchema } from '@/lib/schemas/common';
import { MAX_REVOKE_SUBJECTS } from '@/lib/schemas/incident';
import type { CsvText } from './messages';
import { CsvFileError, sniffFileStart } from './decode';

/** A line of a subject list that is not a subject, by its 1-based line number in the file. */
export interface SubjectListProblem {
  line: number;
  code: 'columns' | 'invalid';
}

export interface SubjectList {
  /** Distinct subjects, in the file's order. */
  subjects: string[];
  /** Data lines read (the header and empty lines not counted). */
  rows: number;
  /** Lines whose subject was already listed above. */
  duplicates: number;
  /** The first problems (PROBLEMS_SHOWN), and how many there are in all. */
  problems: SubjectListProblem[];
  problemCount: number;
}

/** What the subject-list worker answers: the list, or why the file as a whole cannot be read. */
export type SubjectListAnswer =
  | { type: 'result'; list: SubjectList }
  | {
      type: 'error';
      code: 'empty_file' | 'spreadsheet_file' | 'not_utf8' | 'too_many_rows' | 'unreadable';
      /** The precise problem in any language (the encoding found, the byte), when known. */
      texts: CsvText[];
    };

/** Problems listed in full; the rest are counted. */
export const PROBLEMS_SHOWN = 50;

/**
 * Reads a one-column CSV of subjects (the fraud team's spreadsheet): UTF-8, an optional `subject`
 * header, values trimmed, empty lines skipped, duplicates dropped; a line with more than one value,
 * or a value Authlete would refuse as a subject, is reported with its line number.
 */
export function parseSubjectList(bytes: Uint8Array): SubjectList {
  if (bytes.length === 0) throw new CsvFileError('empty_file', 'The file is empty.');
  sniffFileStart(bytes.subarray(0, 8));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CsvFileError('not_utf8', 'The file is not UTF-8 text. Save it as "CSV UTF-8" and upload it again.');
  }
  const records = Papa.parse<string[]>(text, { skipEmptyLines: false }).data;
  const seen = new Set<string>();
  const subjects: string[] = [];
  const problems: SubjectListProblem[] = [];
  let problemCount = 0;
  let rows = 0;
  let duplicates = 0;
  const problem = (line: number, code: SubjectListProblem['code']) => {
    problemCount++;
    if (problems.length < PROBLEMS_SHOWN) problems.push({ line, code });
  };
  records.forEach((record, index) => {
    const line = index + 1;
    const values = record.map((value) => value.trim()).filter((value) => value !== '');
    if (values.length === 0) return;
    if (index === 0 && values.length === 1 && values[0]!.toLowerCase() === 'subject') return;
    rows++;
    if (values.length > 1) return problem(line, 'columns');
    const parsed = subjectSchema.safeParse(values[0]);
    if (!parsed.success) return problem(line, 'invalid');
    if (seen.has(parsed.data)) {
      duplicates++;
      return;
    }
    seen.add(parsed.data);
    subjects.push(parsed.data);
  });
  if (subjects.length > MAX_REVOKE_SUBJECTS)
    throw new CsvFileError(
      'too_many_rows',
      `The file lists ${subjects.length} subjects; one job takes at most ${MAX_REVOKE_SUBJECTS}. Split it into several files.`,
    );
  return { subjects, rows, duplicates, problems, problemCount };
}
