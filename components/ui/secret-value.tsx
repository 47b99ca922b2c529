'use client';

import { CopyButton } from './copy-button';

/** A secret shown once (a token value, an initial password): read-only, selected on focus, with a copy button. */
export function SecretValue({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">
        {label}
      </label>
      <div className="flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(event) => event.currentTarget.select()}
          autoComplete="off"
          spellCheck={false}
          className="h-8 min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
        <CopyButton value={value} label={label} />
      </div>
    </div>
  );
}
