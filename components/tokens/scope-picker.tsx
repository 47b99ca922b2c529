'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import type { Scope } from '@/lib/schemas';
import { buttonClass, inputClass } from '@/components/ui/button';

/** Why a typed scope was not added (its catalogue key), or null when it is fine. */
function scopeEntryProblem(name: string, supported: readonly Scope[], chosen: readonly string[]) {
  if (chosen.includes(name)) return 'tokens.scopes.alreadyAdded' as const;
  if (!supported.some((scope) => scope.name === name)) return 'tokens.scopes.unsupported' as const;
  return null;
}

interface ScopePickerProps {
  id: string;
  value: readonly string[];
  onChange: (scopes: string[]) => void;
  supported: readonly Scope[];
  loading: boolean;
  describedBy?: string;
  invalid?: boolean;
}

/**
 * Chosen scopes as removable chips plus an input with the service's scopes as suggestions.
 * Free entry is checked against the supported list and refused with the reason.
 */
export function ScopePicker({ id, value, onChange, supported, loading, describedBy, invalid }: ScopePickerProps) {
  const t = useTranslations();
  const [entry, setEntry] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const listId = useId();
  const problemId = `${id}-entry-problem`;

  function add() {
    // Several at once are fine ("openid profile"): each is checked on its own.
    const names = entry.split(/\s+/).filter(Boolean);
    if (names.length === 0) return;
    const added: string[] = [];
    const problems: string[] = [];
    for (const name of names) {
      const reason = scopeEntryProblem(name, supported, [...value, ...added]);
      if (reason) problems.push(t(reason, { scope: name }));
      else added.push(name);
    }
    if (added.length) onChange([...value, ...added]);
    setProblem(problems.length ? problems.join(' ') : null);
    setEntry(problems.length ? names.filter((name) => !added.includes(name)).join(' ') : '');
  }

  const unused = supported.filter((scope) => !value.includes(scope.name));
  return (
    <div className="space-y-2">
      {value.length > 0 && (
        <ul className="flex flex-wrap gap-1.5" aria-label={t('tokens.scopes.chosen')}>
          {value.map((scope) => (
            <li
              key={scope}
              className="flex items-center gap-1 rounded bg-indigo-50 py-0.5 pr-0.5 pl-2 font-mono text-xs text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100"
            >
              {scope}
              <button
                type="button"
                className="rounded px-1 text-indigo-700 hover:bg-indigo-100 dark:text-indigo-300 dark:hover:bg-indigo-900"
                aria-label={t('tokens.scopes.remove', { scope })}
                onClick={() => onChange(value.filter((name) => name !== scope))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="flex gap-2">
        <input
          id={id}
          list={listId}
          value={entry}
          onChange={(event) => {
            setEntry(event.target.value);
            setProblem(null);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
          placeholder={loading ? t('tokens.scopes.loading') : t('tokens.scopes.placeholder')}
          disabled={loading}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={invalid || problem !== null}
          aria-describedby={[describedBy, problem ? problemId : ''].filter(Boolean).join(' ') || undefined}
          className={`${inputClass} w-72 font-mono`}
        />
        <datalist id={listId}>
          {unused.map((scope) => (
            <option key={scope.name} value={scope.name}>
              {scope.description}
            </option>
          ))}
        </datalist>
        <button type="button" className={buttonClass('secondary')} onClick={add} disabled={loading || !entry.trim()}>
          {t('tokens.scopes.add')}
        </button>
      </div>
      {problem && (
        <p id={problemId} role="alert" className="text-xs font-medium text-red-700 dark:text-red-400">
          {problem}
        </p>
      )}
    </div>
  );
}
