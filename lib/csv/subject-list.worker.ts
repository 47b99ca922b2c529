/// <reference lib="webworker" />
import { CsvFileError } from './decode';
import { parseSubjectList, type SubjectListAnswer } from './subject-list';

/** Reads a subject list off the main thread: a million lines should not freeze the page. */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const known = ['empty_file', 'spreadsheet_file', 'not_utf8', 'too_many_rows'] as const;

scope.onmessage = async (event: MessageEvent<{ file: File }>) => {
  let answer: SubjectListAnswer;
  try {
    answer = { type: 'result', list: parseSubjectList(new Uint8Array(await event.data.file.arrayBuffer())) };
  } catch (error) {
    const code = error instanceof CsvFileError ? known.find((one) => one === error.code) : undefined;
    answer = {
      type: 'error',
      code: code ?? 'unreadable',
      texts: code && error instanceof CsvFileError ? error.texts : [],
    };
  }
  scope.postMessage(answer);
};
