'use client';

import { useTranslations } from 'next-intl';
import { useEffect, useRef, useState } from 'react';
import type { SubjectList, SubjectListAnswer } from '@/lib/csv/subject-list';

const fileErrorKeys = {
  empty_file: 'incidents.subjects.fileErrors.empty_file',
  spreadsheet_file: 'incidents.subjects.fileErrors.spreadsheet_file',
  not_utf8: 'incidents.subjects.fileErrors.not_utf8',
  too_many_rows: 'incidents.subjects.fileErrors.too_many_rows',
  unreadable: 'incidents.subjects.fileErrors.unreadable',
} as const;

/**
 * A one-column CSV of subjects (up to a million), read in a worker so the page stays responsive:
 * the count of distinct subjects, duplicates dropped, and the lines that are not subjects.
 */
export function SubjectListField({ onChange }: { onChange: (list: SubjectList | null) => void }) {
  const t = useTranslations();
  const worker = useRef<Worker | null>(null);
  const [reading, setReading] = useState(false);
  const [list, setList] = useState<SubjectList | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => () => worker.current?.terminate(), []);

  const read = (file: File | undefined) => {
    worker.current?.terminate();
    setList(null);
    setFailure(null);
    onChange(null);
    if (!file) return;
    setReading(true);
    const reader = new Worker(new URL('../../lib/csv/subject-list.worker.ts', import.meta.url), {
      type: 'module',
      name: 'subject-list',
    });
    worker.current = reader;
    reader.onmessage = (event: MessageEvent<SubjectListAnswer>) => {
      setReading(false);
      reader.terminate();
      if (event.data.type === 'error') {
        // The precise sentence (which encoding, which byte) when the checker gave one, else the kind of problem.
        const [precise] = event.data.texts;
        setFailure(precise ? t(precise.key, precise.values) : t(fileErrorKeys[event.data.code]));
        return;
      }
      setList(event.data.list);
      onChange(event.data.list.subjects.length > 0 ? event.data.list : null);
    };
    reader.postMessage({ file });
  };

  return (
    <div className="space-y-2">
      <label className="block text-sm font-medium">
        {t('incidents.subjects.label')}
        <input
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          className="mt-1 block w-full max-w-full text-sm"
          aria-describedby="subject-list-help"
          onChange={(event) => read(event.target.files?.[0])}
        />
      </label>
      <p id="subject-list-help" className="text-xs text-zinc-600 dark:text-zinc-400">
        {t('incidents.subjects.help')}
      </p>
      <div aria-live="polite" className="text-sm">
        {reading && <p>{t('incidents.subjects.reading')}</p>}
        {failure && (
          <p role="alert" className="text-red-700 dark:text-red-300">
            {failure}
          </p>
        )}
        {list && (
          <div className="space-y-1" data-testid="subject-list-summary">
            <p>
              {t('incidents.subjects.summary', {
                subjects: list.subjects.length,
                duplicates: list.duplicates,
                problems: list.problemCount,
              })}
            </p>
            {list.problems.length > 0 && (
              <ul className="max-h-32 overflow-y-auto text-xs text-red-700 dark:text-red-300">
                {list.problems.map((problem) => (
                  <li key={problem.line}>
                    {problem.code === 'columns'
                      ? t('incidents.subjects.columns', { line: problem.line })
                      : t('incidents.subjects.invalid', { line: problem.line })}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
