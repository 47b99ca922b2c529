'use client';

import { useTranslations } from 'next-intl';
import { inputClass } from '@/components/ui/button';

/** Typing the subject's own name confirms an action on every one of their tokens. */
export function TypedSubjectField({
  subject,
  value,
  onChange,
  disabled,
}: {
  subject: string;
  value: string;
  onChange: (typed: string) => void;
  disabled: boolean;
}) {
  const t = useTranslations();
  return (
    <label className="flex flex-col gap-1 text-xs font-medium text-zinc-700 dark:text-zinc-300">
      <span>
        {t.rich('subjects.revokeAll.typeSubject', {
          subject,
          code: (chunks) => <code className="rounded bg-zinc-100 px-1 font-mono dark:bg-zinc-800">{chunks}</code>,
        })}
      </span>
      <input
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete="off"
        spellCheck={false}
        disabled={disabled}
        aria-invalid={value !== '' && value !== subject}
        className={`${inputClass} font-mono`}
      />
    </label>
  );
}
