'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useState } from 'react';
import { formatDuration } from '@/lib/format';
import { inputClass } from '@/components/ui/button';

const units = [
  { label: 'tokens.duration.seconds', seconds: 1 },
  { label: 'tokens.duration.minutes', seconds: 60 },
  { label: 'tokens.duration.hours', seconds: 3_600 },
  { label: 'tokens.duration.days', seconds: 86_400 },
] as const;

interface DurationInputProps {
  id: string;
  /** Seconds; undefined = the service default. */
  value: number | undefined;
  onChange: (seconds: number | undefined) => void;
  describedBy?: string;
  invalid?: boolean;
  disabled?: boolean;
}

/** A number and a unit, stored as seconds (Authlete's unit); empty means the service default. */
export function DurationInput({ id, value, onChange, describedBy, invalid, disabled }: DurationInputProps) {
  const t = useTranslations();
  const locale = useLocale();
  const [unit, setUnit] = useState<number>(
    () =>
      [...units].reverse().find((u) => value !== undefined && value > 0 && value % u.seconds === 0)?.seconds ?? 3_600,
  );
  const [text, setText] = useState(value === undefined ? '' : String(value / unit));

  function emit(nextText: string, nextUnit: number) {
    const amount = Number(nextText);
    // Not a number yet ("1e", "-"): hand the raw NaN to validation so it explains the problem.
    onChange(nextText.trim() === '' ? undefined : Number.isFinite(amount) ? Math.round(amount * nextUnit) : Number.NaN);
  }

  return (
    <span className="flex items-center gap-2">
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={0}
        step="any"
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          emit(event.target.value, unit);
        }}
        placeholder={t('tokens.duration.placeholder')}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        disabled={disabled}
        className={`${inputClass} w-36`}
      />
      <select
        aria-label={t('tokens.duration.unit')}
        value={unit}
        onChange={(event) => {
          const next = Number(event.target.value);
          setUnit(next);
          emit(text, next);
        }}
        disabled={disabled}
        className={inputClass}
      >
        {units.map((u) => (
          <option key={u.seconds} value={u.seconds}>
            {t(u.label)}
          </option>
        ))}
      </select>
      {value !== undefined && Number.isFinite(value) && value > 0 && (
        <span className="text-xs text-zinc-500 dark:text-zinc-400">
          {t('tokens.duration.equals', { duration: formatDuration(value, { locale }) })}
        </span>
      )}
    </span>
  );
}
