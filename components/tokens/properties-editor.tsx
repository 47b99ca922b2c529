'use client';

import { useTranslations } from 'next-intl';
import { useValidationMessage } from '@/components/forms/field';
import { buttonClass, inputClass } from '@/components/ui/button';

export interface PropertyRow {
  key: string;
  value: string;
  hidden: boolean;
}

interface PropertiesEditorProps {
  value: readonly PropertyRow[];
  onChange: (rows: PropertyRow[]) => void;
  /** Messages per row from validation ("properties.2.key" → errors[2].key). */
  errors?: ReadonlyArray<{ key?: string; value?: string } | undefined>;
}

/** Extra key/value data on a token; "hidden" ones are not shown to the client application. */
export function PropertiesEditor({ value, onChange, errors }: PropertiesEditorProps) {
  const t = useTranslations();
  const translate = useValidationMessage();
  const update = (index: number, patch: Partial<PropertyRow>) =>
    onChange(value.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  return (
    <div className="space-y-2">
      {value.length > 0 && (
        <table className="text-sm">
          <thead className="text-left text-xs text-zinc-600 dark:text-zinc-400">
            <tr>
              <th scope="col" className="pr-2 font-medium">
                {t('tokens.properties.key')}
              </th>
              <th scope="col" className="pr-2 font-medium">
                {t('tokens.properties.value')}
              </th>
              <th scope="col" className="pr-2 font-medium">
                {t('tokens.properties.hidden')}
              </th>
              <th scope="col">
                <span className="sr-only">{t('tokens.properties.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {value.map((row, index) => {
              const error = errors?.[index];
              return (
                <tr key={index} className="align-top">
                  <td className="py-1 pr-2">
                    <input
                      aria-label={t('tokens.properties.keyOf', { index: index + 1 })}
                      value={row.key}
                      onChange={(event) => update(index, { key: event.target.value })}
                      maxLength={100}
                      aria-invalid={Boolean(error?.key)}
                      className={`${inputClass} w-44 font-mono`}
                    />
                    {error?.key && (
                      <p className="mt-0.5 text-xs text-red-700 dark:text-red-400">{translate(error.key)}</p>
                    )}
                  </td>
                  <td className="py-1 pr-2">
                    <input
                      aria-label={t('tokens.properties.valueOf', { index: index + 1 })}
                      value={row.value}
                      onChange={(event) => update(index, { value: event.target.value })}
                      maxLength={1000}
                      aria-invalid={Boolean(error?.value)}
                      className={`${inputClass} w-64`}
                    />
                    {error?.value && (
                      <p className="mt-0.5 text-xs text-red-700 dark:text-red-400">{translate(error.value)}</p>
                    )}
                  </td>
                  <td className="py-1 pr-2 text-center">
                    <input
                      type="checkbox"
                      aria-label={t('tokens.properties.hiddenOf', { index: index + 1 })}
                      checked={row.hidden}
                      onChange={(event) => update(index, { hidden: event.target.checked })}
                      className="mt-2 size-4"
                    />
                  </td>
                  <td className="py-1">
                    <button
                      type="button"
                      className={buttonClass('ghost', 'sm')}
                      onClick={() => onChange(value.filter((_, i) => i !== index))}
                      aria-label={t('tokens.properties.removeOf', { index: index + 1 })}
                    >
                      {t('tokens.properties.remove')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <button
        type="button"
        className={buttonClass('secondary', 'sm')}
        onClick={() => onChange([...value, { key: '', value: '', hidden: false }])}
      >
        {t('tokens.properties.add')}
      </button>
    </div>
  );
}
